"""The single sign-on pages: the start (off to the provider), the provider's return, the page
that says in plain words why a sign-in was refused, and the page after signing out that offers
the provider's own sign-out. accounts/oidc.py has the rules; docs/security.md the story."""

import re
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from config.network import client_ip

from .models import audit
from .oidc import SESSION_KEY, ProviderUnavailable, SignInRefused, end_session_url, endpoint
from .two_factor import STATE

# Why the last sign-in through the provider failed, for the failure page (this session only).
FAILURE_KEY = "panelist_sso_failure"

# reason -> (title, what happened and what to do; {provider} is the provider's name), status.
REASONS = {
    "domain": ("Your email address is not one Panelist accepts",
               "{provider} signed you in as someone at {domain}, but Panelist only accepts people whose email "
               "address ends in {allowed}. If you work here under another address, sign out of {provider} and "
               "sign in with that one; otherwise ask your Panelist administrator.", 403),
    "audience": ("The sign-in was meant for another application",
                 "{provider} answered with a sign-in issued for another application, not for Panelist, so Panelist "
                 "refused it. Nothing was signed in. Try again; if it happens again, tell your administrator: the "
                 "provider's set-up for Panelist needs checking.", 403),
    "expired": ("The sign-in had expired",
                "The sign-in {provider} sent back had already expired when it reached Panelist, so it was refused. "
                "Try again. If it keeps happening, the clock of the provider or of this server is probably wrong: "
                "tell your administrator.", 403),
    "token": ("The sign-in could not be verified",
              "Panelist could not verify the sign-in {provider} sent back (its signature or contents are not what "
              "Panelist expects), so it was refused. Try again; if it happens again, tell your administrator.", 403),
    "state": ("The sign-in did not start here, or took too long",
              "Panelist has no record of starting this sign-in in this browser: it may have been started in another "
              "browser or tab, taken too long, or been used already. Start again from the sign-in page.", 400),
    "provider": ("{provider} could not be reached",
                 "Panelist could not complete the sign-in because {provider} did not answer, or answered with an "
                 "error. Nothing was signed in. Wait a minute and try again; if it lasts, tell your administrator.",
                 502),
    "denied": ("{provider} did not sign you in",
               "{provider} ended the sign-in without signing you in ({error}). If you chose not to allow Panelist, "
               "that is all; otherwise start again from the sign-in page.", 403),
    "email": ("{provider} did not give your email address",
              "Panelist needs your email address to know who you are, and {provider} did not send one (or sent one "
              "too long to use). Ask your administrator to let Panelist read your email address.", 403),
    "unverified": ("Your email address is not verified",
                   "{provider} says your email address is not verified yet, so Panelist cannot tell it is yours. "
                   "Verify it with {provider}, then sign in again.", 403),
    "inactive": ("Your Panelist account is switched off",
                 "{provider} signed you in, but your Panelist account has been deactivated. Ask your Panelist "
                 "administrator if you should still have access.", 403),
    "ambiguous": ("More than one account has your email address",
                  "Panelist found several accounts with the email address {provider} gave, so it cannot tell which "
                  "is yours. Ask your Panelist administrator to give each account its own address.", 403),
    "failed": ("The sign-in did not complete",
               "The sign-in through {provider} did not complete. Start again from the sign-in page.", 403),
}


def _enabled():
    if not settings.PANELIST_SSO_ENABLED:
        raise Http404("Single sign-on is not set up.")


def _refused(request, reason, **detail):
    """Audit the refusal, remember its reason for the failure page, and go there."""
    audit(actor=None, action="sso.refused", target=detail.pop("target", ""), reason=reason, ip=client_ip(request),
          **detail)
    request.session[FAILURE_KEY] = {"reason": reason, **{k: v for k, v in detail.items() if k in ("domain", "error")}}
    return redirect("sso_failed")


@login_not_required
@require_GET
def sso_start(request):
    """Off to the provider, with a fresh state, nonce and PKCE verifier kept in the session."""
    _enabled()
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    try:
        authorization_endpoint = endpoint("authorization_endpoint")
    except ProviderUnavailable as refusal:
        return _refused(request, refusal.reason, **refusal.detail)
    return _StartView.as_view(authorization_endpoint=authorization_endpoint)(request)


class _StartView(OIDCAuthenticationRequestView):
    authorization_endpoint = ""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads settings we compute instead
        self.OIDC_OP_AUTH_ENDPOINT = self.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID


class _CallbackView(OIDCAuthenticationCallbackView):
    """The library's callback, whose every failure lands on our page with its reason."""

    def get(self, request):
        _enabled()
        error = request.GET.get("error")
        if error:
            code = error if re.fullmatch(r"[a-z_]{1,40}", error) else "an error"
            self._forget_state(request)
            return _refused(request, "denied", error=code)
        states = request.session.get("oidc_states")
        if "code" not in request.GET or not isinstance(states, dict) or request.GET.get("state") not in states:
            return _refused(request, "state")
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return _refused(request, refusal.reason, **refusal.detail)
        except SuspiciousOperation as error:
            return _refused(request, "state", problem=str(error)[:200])
        except requests.RequestException as error:
            return _refused(request, "provider", problem=str(error)[:200])

    @staticmethod
    def _forget_state(request):
        states = request.session.get("oidc_states")
        if isinstance(states, dict) and states.pop(request.GET.get("state"), None) is not None:
            request.session.modified = True

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_KEY] = True
        # The provider asked for its own second factor, if any: Panelist's is not asked for.
        self.request.session[STATE] = {"device": False, "required": False}
        return response

    def login_failure(self):
        return _refused(self.request, "failed")


sso_callback = login_not_required(_CallbackView.as_view())


@login_not_required
@require_GET
def sso_failed(request):
    """Why the sign-in through the provider failed, in plain words, and the way back."""
    _enabled()
    failure = request.session.pop(FAILURE_KEY, None) or {"reason": "failed"}
    reason = failure.get("reason") if failure.get("reason") in REASONS else "failed"
    title, text, status = REASONS[reason]
    words = {
        "provider": settings.PANELIST_OIDC_PROVIDER_NAME,
        "domain": failure.get("domain") or "another domain",
        "allowed": " or ".join(f"@{domain}" for domain in settings.PANELIST_OIDC_ALLOWED_DOMAINS),
        "error": failure.get("error") or "no reason given",
    }
    return render(request, "accounts/sso_failed.html", {
        "title": title.format(**words), "text": text.format(**words), "reason": reason,
    }, status=status)


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; a session signed in through the provider then goes to the page that
    offers the provider's sign-out too."""

    def post(self, request, *args, **kwargs):
        through_provider = bool(request.session.get(SESSION_KEY)) and settings.PANELIST_SSO_ENABLED
        response = super().post(request, *args, **kwargs)
        if through_provider:
            return redirect("sso_signed_out")
        return response


@login_not_required
@require_GET
def sso_signed_out(request):
    """Signed out of Panelist; the provider may still remember the person, so its sign-out is
    offered (when it has one)."""
    _enabled()
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    provider_url = end_session_url()
    if provider_url:
        query = urlencode({"client_id": settings.OIDC_RP_CLIENT_ID,
                           "post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))})
        provider_url += ("&" if "?" in provider_url else "?") + query
    return render(request, "accounts/sso_signed_out.html", {"provider_sign_out_url": provider_url})
