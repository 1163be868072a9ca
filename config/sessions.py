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
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from config.network import client_ip
from scoring.models import audit

LOGIN_AT = "panelist_login_at"
SEEN_AT = "panelist_seen_at"
WRITE_EVERY = 60
# Wrong current passwords on the change-password page in this session; at the limit the
# session is signed out, so a borrowed session cannot be used to guess the password.
PASSWORD_FAILURES = "panelist_password_failures"
MAX_PASSWORD_FAILURES = 5


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


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page, whose "current password" check cannot be used to guess
    the password from a signed-in (say, borrowed) session: every wrong one is audited, and the
    fifth in a session signs it out. Signing in again needs the password, and django-axes
    throttles that."""

    def form_invalid(self, form):
        if not form.has_error("old_password", "password_incorrect"):
            return super().form_invalid(form)  # e.g. a weak new password: not a guess
        session, user = self.request.session, self.request.user
        failures = session.get(PASSWORD_FAILURES, 0) + 1
        session[PASSWORD_FAILURES] = failures
        signed_out = failures >= MAX_PASSWORD_FAILURES
        audit(actor=user, action="auth.password_change_failed", target=f"user {user.pk}", failures=failures,
              signed_out=signed_out, ip=client_ip(self.request))
        if signed_out:
            logout(self.request)
            messages.error(self.request, "You entered a wrong current password too many times, so you were signed "
                                         "out. Sign in again to change your password.")
            return redirect(settings.LOGIN_URL)
        if failures == MAX_PASSWORD_FAILURES - 1:
            form.add_error("old_password", "One more wrong password signs you out.")
        return super().form_invalid(form)

    def form_valid(self, form):
        self.request.session.pop(PASSWORD_FAILURES, None)
        return super().form_valid(form)
