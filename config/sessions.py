"""Session timeouts: an idle limit and an absolute limit, checked on every request.

The absolute limit is also the cookie's lifetime (SESSION_COOKIE_AGE); the server checks the
sign-in time too, so a copied cookie cannot outlive it. The idle limit is tracked in the
session, written at most once a minute so that busy pages (the live page's autosave) do not
pay a database write per request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.contrib.auth.views import redirect_to_login

LOGIN_AT = "panelist_login_at"
SEEN_AT = "panelist_seen_at"
WRITE_EVERY = 60


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
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
