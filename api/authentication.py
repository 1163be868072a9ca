"""``Authorization: Bearer <token>``: the API's only way in (no session, so no CSRF to
consider: a browser never sends the header on its own)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .services import token_for_secret

REALM = 'Bearer realm="Panelist API"'


class BearerTokenAuthentication(BaseAuthentication):
    """The user of a personal access token (``api.ApiToken``), with the token as
    ``request.auth``. No header: not authenticated (the permission check then answers 401).
    A header with an unknown, revoked or expired token, or one of a deactivated user: 401,
    saying which. A use is recorded at most once a minute (``ApiToken.touch``)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as “Authorization: Bearer <token>”, with nothing else.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This is not a Panelist token.") from None
        token, problem = token_for_secret(secret)
        if token is None:
            raise AuthenticationFailed(problem)
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        return REALM


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (the docs page's "Authorize" button)."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "pnl_…",
                "description": "A personal access token from /account/tokens/."}
