"""Errors as RFC 9457 problem details (``application/problem+json``): ``type``, ``title``,
``status``, ``detail`` in words, and for invalid input ``errors``, each field's messages
(the same words the pages show)."""

from http import HTTPStatus

from rest_framework.exceptions import NotAuthenticated, Throttled, ValidationError
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"
INVALID = "Some of what was sent is not valid; “errors” says what, field by field. Nothing was changed."
NO_TOKEN = "Send a personal access token as “Authorization: Bearer <token>”; make one at /account/tokens/."


def problem(status, detail, **extra):
    """A problem document; ``type`` is about:blank, so ``title`` is the status's phrase."""
    return {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}


def problem_details_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own handling (status, headers such as WWW-Authenticate
    and Retry-After), with the body rewritten as a problem document."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django answers (a 500 page, logged)
    if isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = problem(response.status_code, INVALID, errors=errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
        if isinstance(exc, NotAuthenticated):  # DRF's words name no way in
            detail = NO_TOKEN
        extra = {"retry_after": exc.wait} if isinstance(exc, Throttled) and exc.wait is not None else {}
        response.data = problem(response.status_code, str(detail), **extra)
    response.content_type = PROBLEM_JSON
    return response
