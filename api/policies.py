"""Who may call what: the token's scope, the user's role, and how often (per token)."""

from django.conf import settings
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenScope(BasePermission):
    """A signed-in token (else 401), and for a write a read-write one (else 403)."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return False  # DRF answers 401 with WWW-Authenticate: no credentials came
        if request.method not in SAFE_METHODS and not request.auth.allows_writes:
            raise PermissionDenied("This token may only read. Make a read-write token to change anything.")
        return True


class RolePermission(BasePermission):
    """The role permissions the pages check, per method: ``view.role_perms`` maps a method
    (or "*") to permissions of which the user needs one, as the pages' decorators ask."""

    message = "Your role does not give access to this."

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # a method the view does not answer: DRF's 405 follows
        perms = view.role_perms.get(request.method) or view.role_perms.get("*") or ()
        return bool(perms) and any(request.user.has_perm(perm) for perm in perms)


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``settings.PANELIST_API_RATE`` requests per token ("600/minute"). Counted in
    the cache, which is each app process's own memory (config/settings.py CACHES): with N
    processes a token may make up to N times the rate. Unauthenticated requests never get
    here (they are refused first)."""

    scope = "token"

    def get_rate(self):
        return settings.PANELIST_API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return f"api-throttle-token-{request.auth.pk}"
