"""Small project-wide middleware."""

import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse


# NUL cannot be stored in a PostgreSQL text value (psycopg refuses to send it), and a lone
# surrogate has no UTF-8 form; neither belongs in anything a person types.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = ("The address or the form contains a character that is not allowed (a NUL or a broken "
                      "character). Remove it and try again.")


class RefuseUnstorableCharactersMiddleware:
    """Answers 400 with a clear page when the path, a query parameter or a posted form field
    (name or value) contains NUL (%00) or a lone surrogate, so no view hands one to the
    database as a search term or a field value. JSON bodies are the views' own to check.

    It works in process_view: the refusal then still passes through every middleware's
    response handling (security headers, CSP) and renders in the signed-in page frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _has_unstorable(request):
            return None
        if request.content_type == "application/json" or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"ok": False, "error": "bad_characters", "message": UNSTORABLE_MESSAGE}, status=400)
        return render(request, "errors/400.html", {"message": UNSTORABLE_MESSAGE}, status=400)


def _has_unstorable(request):
    if _UNSTORABLE.search(request.path):
        return True
    data = [request.GET]
    if request.method == "POST":
        small = int(request.META.get("CONTENT_LENGTH") or 0) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.content_type == "multipart/form-data" and small:
            # Parsing a multipart form consumes the stream; keep the body first, so that a view
            # reading request.body can still read it. A larger body cannot be kept (request.body
            # refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE) and is parsed from the stream, so the
            # views that read request.body (autosave, plan reorder) refuse any content type but
            # JSON with 415 before touching it.
            request.body  # noqa: B018 (read for its side effect)
        data.append(request.POST)
    for query in data:
        for key, values in query.lists():
            if _UNSTORABLE.search(key) or any(_UNSTORABLE.search(value) for value in values):
                return True
    return False


def _megabytes(n):
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


class RequestBodyLimitMiddleware:
    """Refuses a request body before anything reads it:

    - a Content-Length over ``settings.MAX_REQUEST_BYTES`` (413);
    - a body sent without a Content-Length (chunked; 411): Django would read none of it, so a
      form sent that way would arrive empty;
    - a multipart body (a file upload) from someone not signed in, except on the sign-in page:
      they are sent to sign in, as every other page would, but without the upload being parsed
      and written to a temporary file first.

    Its place in MIDDLEWARE: after AuthenticationMiddleware (it asks whether the user is signed
    in, which reads the session only for multipart requests), and it works in ``__call__``,
    which for every middleware runs before any ``process_view``. The first code to read the
    body is a ``process_view`` (CsrfViewMiddleware's token check reads ``request.POST``), so no
    body is parsed before this has looked at it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        limit = settings.MAX_REQUEST_BYTES
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if not raw_length.strip():
            if "HTTP_TRANSFER_ENCODING" in request.META:
                return _refuse(request, 411, "length_required", "The request was sent without its length. "
                               "Send it again from the page (browsers always give the length).")
            return None
        try:
            length = int(raw_length)
        except ValueError:
            return _refuse(request, 400, "bad_length", "The request gave a length that is not a number.")
        if length > limit:
            return _refuse(request, 413, "too_large", (
                f"The request is {_megabytes(length)}; Panelist accepts at most {_megabytes(limit)} at a time "
                "(CVs up to 5 MB, question imports up to 2 MB). Nothing was saved: choose a smaller file and "
                "send the form again."
            ))
        if request.content_type == "multipart/form-data" and request.path != reverse(settings.LOGIN_URL):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
        return None


def _refuse(request, status, code, message):
    if request.content_type == "application/json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": code, "message": message}, status=status)
    return render(request, "errors/request_refused.html", {"message": message}, status=status)


class PrivatePagesNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user (pages,
    exports, PDFs, CVs) that did not set its own, so no browser or shared cache keeps a
    debrief or a candidate's page after the person signs out. Static files never get here
    (WhiteNoise answers them earlier in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if not response.has_header("Cache-Control") and user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
