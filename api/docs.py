"""The OpenAPI 3 schema (/api/v1/schema/) and the interactive docs (/api/v1/docs/).

The docs page is Swagger UI from the drf-spectacular-sidecar package, served as our own
static files (no CDN), under the same content security policy as every page: its start-up
script is a separate file (drf-spectacular's split view serves it at ``?script``), and the
page's template (templates/api/swagger.html) has no inline script or style."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from .authentication import BearerTokenAuthentication


class Schema(SpectacularAPIView):
    """The schema, for anyone with a token, or signed in (the docs page reads it with the
    session)."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI for people signed in (the sign-in redirect applies). "Try it out" sends
    requests with the token given under "Authorize"."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    template_name = "api/swagger.html"
