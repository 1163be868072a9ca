"""The account middleware: who acts in a request (for the audit log), session timeouts and
two-factor enforcement. Their places in settings.MIDDLEWARE are explained there."""

import time
import zoneinfo
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .two_factor import STATE, two_factor_flags, wants_json

# Session timeouts: an idle limit and an absolute limit, checked on every request. The absolute
# limit is also the cookie's lifetime (SESSION_COOKIE_AGE); the server checks the sign-in time
# too, so a copied cookie cannot outlive it. The idle limit is tracked in the session, written
# at most once a minute so that busy pages (the live page's autosave) do not pay a database
# write per request. Both stamps are first written at sign-in (accounts.signals).
LOGIN_AT = "panelist_login_at"
SEEN_AT = "panelist_seen_at"
WRITE_EVERY = 60


# Who is acting in the current request, for the role-change audit receiver (accounts/signals.py):
# Django's m2m signal says which user's groups changed but not who changed them.
# AuditActorMiddleware sets it around every request (the admin's user page is where roles
# change); outside a request (a shell, a command) it is None and so is the event's actor.
# A ContextVar rather than a global, so that threads (and async tasks) never see another's.
acting_user = ContextVar("panelist_acting_user", default=None)


@contextmanager
def acting_as(user):
    """Attribute role changes made inside the block to ``user``."""
    token = acting_user.set(user)
    try:
        yield
    finally:
        acting_user.reset(token)


class AuditActorMiddleware:
    """Makes the signed-in user the actor of role changes made during the request (the
    role-change audit receiver in accounts/signals.py cannot see the request). The user is
    passed lazily, so a request that changes no role costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class SessionTimeoutMiddleware:
    """Signs a session out when it was idle too long or is older than its absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            expired = None
            if now - login_at > settings.SESSION_COOKIE_AGE:
                expired = "Your session reached its maximum length. Please sign in again."
            elif now - seen_at > settings.SESSION_IDLE_SECONDS:
                expired = "You were signed out after a period of inactivity. Please sign in again."
            if expired:
                logout(request)
                messages.info(request, expired)
                if request.content_type == "application/json":
                    return JsonResponse({"ok": False, "error": "signed_out", "message": expired}, status=401)
                return redirect_to_login(request.get_full_path())
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = now
            if now - seen_at >= WRITE_EVERY or SEEN_AT not in request.session:
                request.session[SEEN_AT] = now
        return self.get_response(request)


def _always_open(path):
    """Paths a signed-in user reaches before giving a code: signing out, the code page itself,
    static files and the health check."""
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    return path in (reverse("logout"), reverse("two_factor_verify"), reverse("healthz")) or path.startswith(static_prefix)


class TwoFactorMiddleware:
    """Sends a user with a device to the code page until they give a code, and a user an admin
    requires to use two-factor to the set-up page until they have a device. JSON requests get a
    401 with a JSON body instead of a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refused = self._check(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request, user):
        state = request.session.get(STATE)
        if state is None:
            # A session signed in where the sign-in receiver did not run, e.g. by a process of the
            # previous release during a rolling deploy: look once, then remember.
            state = two_factor_flags(user)
            request.session[STATE] = state
        if not (state["device"] or state["required"]):
            return None  # the common case, decided without a query
        path = request.path
        if state["device"]:
            if user.is_verified() or _always_open(path):
                return None
            url = reverse("two_factor_verify")
            if request.method in ("GET", "HEAD"):
                url += "?" + urlencode({"next": request.get_full_path()})
            return self._refuse(request, url, "two_factor_required",
                                "Enter the code from your authenticator app to continue.")
        if _always_open(path) or path.startswith(reverse("two_factor_status")):
            return None
        message = "Your account needs two-factor sign-in. Set it up to continue."
        if not wants_json(request):
            messages.warning(request, message)
        return self._refuse(request, reverse("two_factor_status"), "two_factor_setup_required", message)

    @staticmethod
    def _refuse(request, url, error, message):
        if wants_json(request):
            return JsonResponse({"ok": False, "error": error, "message": message, "location": url}, status=401)
        return redirect(url)


# The signed-in person's time zone name, kept in the session so that no page pays a query for
# it: written at sign-in (accounts.signals) and when the settings page saves it; a session
# without it (signed in before it existed, or a person without a profile) reads settings.TIME_ZONE.
TIME_ZONE_KEY = "panelist_time_zone"


def remember_time_zone(request, name):
    """Keep ``name`` as the zone of this session's pages from the next request on."""
    request.session[TIME_ZONE_KEY] = name


class TimeZoneMiddleware:
    """Shows every time of the request in the person's own zone, and reads the times they type
    in it (Django converts both with USE_TZ): activates the session's zone for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(TIME_ZONE_KEY) if hasattr(request, "session") else None
        zone = None
        if name:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None  # a zone the server's tz database no longer has: the server's own
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
