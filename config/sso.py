"""The single sign-on settings (OpenID Connect), read and checked at start-up: a malformed one
stops the process with a message naming it, instead of a sign-in failing later for a reason
nobody can see. docs/operations.md lists them; docs/security.md tells the story."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The values of accounts.roles.Role (settings cannot import models; tests/sso/test_settings.py
# checks that the two agree).
ROLE_VALUES = ("hiring_manager", "interviewer", "recruiter")
SIGN_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
# The endpoints that can be given instead of discovering them from the issuer: all or none.
ENDPOINT_VARIABLES = {
    "authorization_endpoint": "PANELIST_OIDC_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "PANELIST_OIDC_TOKEN_ENDPOINT",
    "userinfo_endpoint": "PANELIST_OIDC_USERINFO_ENDPOINT",
    "jwks_uri": "PANELIST_OIDC_JWKS_URI",
}
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}|[a-z0-9-]{1,63}")
_CLAIM = re.compile(r"[A-Za-z0-9_:./-]{1,100}")


def parse_role_map(raw):
    """``"ml-hiring=hiring_manager, ml-panel=interviewer"`` as ``{"ml-hiring": "hiring_manager",
    "ml-panel": "interviewer"}``. A group is the text before the last ``=`` (so a group name may
    hold one, as some providers' paths do); several groups may give the same role."""
    mapping = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            if raw.strip():
                raise ImproperlyConfigured(f"PANELIST_OIDC_ROLE_MAP={raw!r} has an empty item: separate "
                                           "group=role pairs with single commas.")
            continue
        group, equals, role = item.rpartition("=")
        group, role = group.strip(), role.strip()
        if not equals or not group:
            raise ImproperlyConfigured(f"PANELIST_OIDC_ROLE_MAP: {item!r} is not group=role, for example "
                                       "ml-hiring=hiring_manager.")
        if role not in ROLE_VALUES:
            raise ImproperlyConfigured(f"PANELIST_OIDC_ROLE_MAP: {role!r} (for group {group!r}) is not a role: "
                                       f"use one of {', '.join(ROLE_VALUES)}.")
        if group in mapping:
            raise ImproperlyConfigured(f"PANELIST_OIDC_ROLE_MAP names group {group!r} twice: give each group one "
                                       "role (a person in several groups gets each group's role).")
        mapping[group] = role
    return mapping


def _check_url(name, url, *, issuer=False):
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ImproperlyConfigured(f"{name}={url!r} must be an https:// address (http:// only on this machine, "
                                   "for tests).")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name}={url!r} has no host name.")
    if issuer and (parts.query or parts.fragment):
        raise ImproperlyConfigured(f"{name}={url!r} must not have a query or fragment: give the issuer exactly as "
                                   "the provider names it (its discovery document's \"issuer\").")


def check_sso_settings(*, issuer, client_id, client_secret, allowed_domains, groups_claim, sign_algorithm,
                       endpoints, local_passwords, break_glass_users):
    """Raise ImproperlyConfigured when the single sign-on settings cannot work together.
    ``endpoints`` maps the discovery names (ENDPOINT_VARIABLES) to explicit addresses or ''."""
    given = {name: url for name, url in endpoints.items() if url}
    if not issuer:
        stray = [name for name, value in (("PANELIST_OIDC_CLIENT_ID", client_id),
                                          ("PANELIST_OIDC_CLIENT_SECRET", client_secret)) if value]
        stray += [ENDPOINT_VARIABLES[name] for name in given]
        if stray:
            raise ImproperlyConfigured(f"{', '.join(stray)} set without PANELIST_OIDC_ISSUER: set the issuer to turn "
                                       "single sign-on on, or unset these.")
        if not local_passwords:
            raise ImproperlyConfigured("PANELIST_LOCAL_PASSWORDS=off needs single sign-on (PANELIST_OIDC_ISSUER): "
                                       "without it nobody but the break-glass users could sign in.")
        return
    _check_url("PANELIST_OIDC_ISSUER", issuer, issuer=True)
    if not client_id or not client_secret:
        raise ImproperlyConfigured("PANELIST_OIDC_CLIENT_ID and PANELIST_OIDC_CLIENT_SECRET are both needed with "
                                   "PANELIST_OIDC_ISSUER: copy them from the application registered at the provider.")
    if not allowed_domains:
        raise ImproperlyConfigured("PANELIST_OIDC_ALLOWED_DOMAINS must list the email domains whose people may sign "
                                   "in (for example example.com,example.org): with none, anyone the provider knows "
                                   "would get an account.")
    for domain in allowed_domains:
        if not _DOMAIN.fullmatch(domain):
            raise ImproperlyConfigured(f"PANELIST_OIDC_ALLOWED_DOMAINS: {domain!r} is not a domain name (give the "
                                       "part after the @, such as example.com).")
    if not _CLAIM.fullmatch(groups_claim):
        raise ImproperlyConfigured(f"PANELIST_OIDC_GROUPS_CLAIM={groups_claim!r} is not a claim name (such as "
                                   "groups or roles).")
    if sign_algorithm not in SIGN_ALGORITHMS:
        raise ImproperlyConfigured(f"PANELIST_OIDC_SIGN_ALGORITHM={sign_algorithm!r}: use one of "
                                   f"{', '.join(SIGN_ALGORITHMS)} (the provider's id-token signing algorithm).")
    if given and len(given) != len(ENDPOINT_VARIABLES):
        missing = [ENDPOINT_VARIABLES[name] for name in ENDPOINT_VARIABLES if name not in given]
        raise ImproperlyConfigured(f"Give all four endpoints or none (then they are read from the issuer's "
                                   f"discovery document): {', '.join(missing)} missing.")
    for name, url in given.items():
        _check_url(ENDPOINT_VARIABLES[name], url)
    if not local_passwords and not break_glass_users:
        raise ImproperlyConfigured("PANELIST_LOCAL_PASSWORDS=off needs PANELIST_BREAK_GLASS_USERS: name at least one "
                                   "admin who can still sign in with a password when the provider is down.")
