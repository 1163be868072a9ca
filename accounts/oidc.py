"""Single sign-on with an OpenID Connect provider (authorization code with PKCE), through
mozilla-django-oidc: the provider's endpoints (discovered from the issuer), the checks the
library leaves to us, and the sign-in backend that creates people and gives them the roles
their provider groups map to. docs/security.md, Single sign-on, tells the whole story; the
pages are in accounts/sso_views.py.

What the library checks on the id token: its signature (with the provider's published keys
and the configured algorithm only), the nonce we sent, and, through PyJWT, that it has not
expired when it carries ``exp``. What it does not, and ``check_id_token_claims`` does: that the
token was issued by our issuer (``iss``), for us (``aud`` holds our client id, and ``azp`` is
us when present or when there are several audiences), that it carries ``exp``, ``iat`` and
``sub``, and that the userinfo answer is about the same person (``sub``).
"""

import logging
import threading
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import audit
from .roles import GROUP_NAMES, Role, forget_access

log = logging.getLogger(__name__)

# The session remembers that its sign-in came from the provider (sign-out then offers the
# provider's own sign-out).
SESSION_KEY = "panelist_sso"
# How long a discovery document is trusted before it is read again.
METADATA_SECONDS = 3600
# How far in the future an id token's issue time may be (the provider's clock may run ahead).
CLOCK_SKEW_SECONDS = 60


class SignInRefused(Exception):
    """A sign-in through the provider that must not go ahead. ``reason`` is one of
    accounts.sso_views.REASONS (the page that explains it); ``detail`` goes to the audit log."""

    def __init__(self, reason, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class ProviderUnavailable(SignInRefused):
    def __init__(self, **detail):
        super().__init__("provider", **detail)


# --- The provider's endpoints ---

# issuer -> (read at, document). Not a speed-up for a budget: every sign-in reads the endpoints
# twice (the redirect and the callback) and every sign-out once, and without this each would be
# one more HTTPS request to the company's provider, which can fail or rate-limit discovery.
_metadata = {}
_metadata_lock = threading.Lock()


def provider_metadata():
    """The issuer's discovery document (``<issuer>/.well-known/openid-configuration``), read
    at most once an hour per process, or the endpoints given in the settings. Raises
    ProviderUnavailable when it cannot be read or is not the issuer's."""
    issuer = settings.PANELIST_OIDC_ISSUER
    given = {name: url for name, url in settings.PANELIST_OIDC_ENDPOINTS.items() if url}
    if given:
        return {"issuer": issuer, **given}
    with _metadata_lock:
        cached = _metadata.get(issuer)
        if cached and time.monotonic() - cached[0] < METADATA_SECONDS:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(step="discovery", problem=str(error)[:200]) from error
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(step="discovery", problem="the discovery document names another issuer")
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
               if not isinstance(document.get(name), str)]
    if missing:
        raise ProviderUnavailable(step="discovery", problem=f"the discovery document lacks {', '.join(missing)}")
    with _metadata_lock:
        _metadata[issuer] = (time.monotonic(), document)
    return document


def forget_provider_metadata():
    with _metadata_lock:
        _metadata.clear()


def endpoint(name):
    return provider_metadata()[name]


def end_session_url():
    """The provider's sign-out page (RP-initiated logout), or '' when it has none or cannot
    be reached now."""
    try:
        url = provider_metadata().get("end_session_endpoint", "")
    except ProviderUnavailable:
        return ""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


# --- The rules ---

def check_id_token_claims(payload, *, issuer, client_id, now):
    """Raise SignInRefused unless the id token's claims say it is ours and current."""
    if payload.get("iss", "").rstrip("/") != issuer:
        raise SignInRefused("token", problem="issuer", iss=str(payload.get("iss"))[:200])
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if client_id not in audiences:
        raise SignInRefused("audience", aud=[str(a)[:100] for a in audiences][:5])
    if (len(audiences) > 1 or "azp" in payload) and payload.get("azp") != client_id:
        raise SignInRefused("audience", azp=str(payload.get("azp"))[:100])
    expires, issued = payload.get("exp"), payload.get("iat")
    if not isinstance(expires, (int, float)) or not isinstance(issued, (int, float)):
        raise SignInRefused("token", problem="exp and iat are required")
    if expires <= now:
        raise SignInRefused("expired", exp=expires, now=int(now))
    if issued > now + CLOCK_SKEW_SECONDS:
        raise SignInRefused("token", problem="issued in the future", iat=issued, now=int(now))
    if not isinstance(payload.get("sub"), str) or not payload["sub"]:
        raise SignInRefused("token", problem="no sub")


def email_domain_allowed(email):
    domain = email.rpartition("@")[2].lower()
    return bool(domain) and domain in settings.PANELIST_OIDC_ALLOWED_DOMAINS


def roles_from_groups(groups, role_map):
    """The roles ``groups`` (a claim's value: a list of names, or one name) map to, sorted.
    Any other value maps to none."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return []
    return sorted({role_map[group] for group in groups if isinstance(group, str) and group in role_map})


def local_password_allowed(username):
    """Whether ``username`` may sign in with a password: everyone, unless local passwords are
    off (then only the break-glass users)."""
    return settings.PANELIST_LOCAL_PASSWORDS or username in settings.PANELIST_BREAK_GLASS_USERS


@transaction.atomic
def user_roles_sync(*, user, roles, groups=()):
    """Give ``user`` exactly ``roles`` (Role values), adding and removing role groups only (other
    groups, such as "Two-factor required", stay). Audited when something changed, with the
    provider's ``groups`` that decided it. Returns (added, removed)."""
    wanted = {GROUP_NAMES[Role(role)] for role in roles}
    held = set(user.groups.filter(name__in=GROUP_NAMES.values()).values_list("name", flat=True))
    added, removed = sorted(wanted - held), sorted(held - wanted)
    if added:
        user.groups.add(*Group.objects.filter(name__in=added))
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added or removed:
        forget_access(user)
        audit(actor=None, action="sso.roles_synced", target=f"user {user.pk}", added=added, removed=removed,
              groups=sorted(g for g in groups if isinstance(g, str))[:50])
    return added, removed


def _username_for(email):
    """The email address itself (readable in the admin and the audit log), or with a number
    when a local account already has that username."""
    User = get_user_model()
    candidate, n = email, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{email}-{n}"
    return candidate


class ProviderBackend(OIDCAuthenticationBackend):
    """Signs people in with their provider's id token. Django builds every backend for each
    sign-in attempt (password ones too) and this one for each request of a session it signed
    in, so nothing here reads a setting that may be missing or touches the network until a
    provider callback is being handled. It grants no permission (RoleBackend does)."""

    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    # The library's attributes, read when used (settings change in tests; endpoints are discovered).
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("token_endpoint"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("jwks_uri"))

    def authenticate(self, request, **kwargs):
        # Only the callback view passes exactly these; a password sign-in passes a username.
        if not settings.PANELIST_SSO_ENABLED or request is None or set(kwargs) != {"nonce", "code_verifier"}:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            raise ProviderUnavailable(step="token", problem=str(error)[:200]) from error

    def verify_token(self, token, **kwargs):
        """The library's checks (signature, algorithm, nonce, expiry), then ours on an id token."""
        if not isinstance(token, str) or not token:
            raise SignInRefused("token", problem="no id token")
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.ExpiredSignatureError:
            raise SignInRefused("expired") from None
        except (jwt.InvalidTokenError, SuspiciousOperation, KeyError) as error:
            raise SignInRefused("token", problem=str(error)[:200]) from None
        if "nonce" in kwargs:  # the id token (a signed userinfo answer has no nonce to check)
            check_id_token_claims(payload, issuer=settings.PANELIST_OIDC_ISSUER, client_id=self.OIDC_RP_CLIENT_ID,
                                  now=time.time())
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SignInRefused("token", problem="userinfo is about another subject")
        group_claim = settings.PANELIST_OIDC_GROUPS_CLAIM
        if group_claim not in claims and group_claim in payload:  # some providers put groups in the id token only
            claims = {**claims, group_claim: payload[group_claim]}
        return claims

    def verify_claims(self, claims):
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise SignInRefused("email")
        if claims.get("email_verified") is False:
            raise SignInRefused("unverified", domain=email.rpartition("@")[2].lower())
        if not email_domain_allowed(email):
            raise SignInRefused("domain", domain=email.rpartition("@")[2].lower())
        return True

    def filter_users_by_claims(self, claims):
        users = list(self.UserModel.objects.filter(email__iexact=claims["email"])[:2])
        if len(users) > 1:
            raise SignInRefused("ambiguous")
        return users

    def _roles(self, user, claims):
        if not settings.PANELIST_OIDC_ROLE_MAP:
            return  # no mapping: roles are given in Panelist (the people page, the admin), not by the provider
        groups = claims.get(settings.PANELIST_OIDC_GROUPS_CLAIM)
        roles = roles_from_groups(groups, settings.PANELIST_OIDC_ROLE_MAP)
        user_roles_sync(user=user, roles=roles, groups=groups if isinstance(groups, list) else [groups])

    @staticmethod
    def _names(claims):
        return {field: value[:150] for field, value in (("first_name", claims.get("given_name")),
                                                        ("last_name", claims.get("family_name")))
                if isinstance(value, str)}

    @transaction.atomic
    def create_user(self, claims):
        email = claims["email"]
        if len(email) > 140:
            raise SignInRefused("email", problem="too long")
        user = self.UserModel.objects.create_user(_username_for(email), email=email, **self._names(claims))
        audit(actor=None, action="sso.user_created", target=f"user {user.pk}",
              domain=email.rpartition("@")[2].lower())
        self._roles(user, claims)
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        if not user.is_active:
            raise SignInRefused("inactive")
        names = {field: value for field, value in self._names(claims).items() if getattr(user, field) != value}
        if names:
            for field, value in names.items():
                setattr(user, field, value)
            user.save(update_fields=list(names))
        self._roles(user, claims)
        return user

    def get_user(self, user_id):
        # Django's check (an inactive user's session ends), where the library's skips it; and
        # none while single sign-on is off.
        if not settings.PANELIST_SSO_ENABLED:
            return None
        return ModelBackend.get_user(self, user_id)

    # Permissions are RoleBackend's alone: ModelBackend's would read them again, in more queries.
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        return self.UserModel._default_manager.none()
