"""Account pages: the two-factor code at sign-in, setting two-factor up and turning it off
(docs/two-factor.md), the throttled change-password page, and the settings page (time zone,
calendar feed address)."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.network import client_ip

from .forms import CodeForm, RecoveryCodeForm, TimeZoneForm
from .middleware import remember_time_zone
from .oidc import local_password_allowed
from .models import audit, profile_new_calendar_token, profile_of, time_zone_choices
from .two_factor import (
    DEVICE_NAME,
    FAILURES,
    MAX_FAILURES,
    STATE,
    confirmed_device,
    pending_device,
    qr_code_svg,
    readable_secret,
    recovery_codes_left,
    recovery_codes_new,
    two_factor_flags,
    two_factor_remove,
    update_flags,
)

# Wrong current passwords on the change-password page in this session; at the limit the
# session is signed out, so a borrowed session cannot be used to guess the password.
PASSWORD_FAILURES = "panelist_password_failures"
MAX_PASSWORD_FAILURES = 5


def _record_failure(request, *, stage):
    """Audit a wrong code. At sign-in (an app's code or a recovery code), when turning two-factor
    off and when renewing recovery codes, the fifth wrong code in a session signs it out; returns
    that redirect, or None."""
    user = request.user
    counted = stage in ("sign_in", "disable", "recovery_codes")
    failures = request.session.get(FAILURES, 0) + 1 if counted else 0
    if counted:
        request.session[FAILURES] = failures
    signed_out = counted and failures >= MAX_FAILURES
    audit(actor=user, action="auth.2fa_failed", target=f"user {user.pk}", stage=stage, failures=failures,
          signed_out=signed_out, ip=client_ip(request))
    if not signed_out:
        return None
    logout(request)
    messages.error(request, "You entered a wrong code too many times, so you were signed out. Sign in again "
                            "and enter the code your authenticator app shows.")
    return redirect(settings.LOGIN_URL)


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
def two_factor_verify(request):
    """The second sign-in step: a code from the user's authenticator app, or one of their
    recovery codes (each works once; every use is audited)."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    device = confirmed_device(request.user)
    if device is None:  # no device (any more: an admin may have removed a lost one)
        update_flags(request, device=False)
        return redirect(next_url)
    using_recovery = request.method == "POST" and "recovery_code" in request.POST
    form = CodeForm(request.POST if request.method == "POST" and not using_recovery else None,
                    user=request.user, device=device)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None, user=request.user)
    if request.method == "POST":
        checked = recovery_form if using_recovery else form
        if checked.is_valid():
            django_otp.login(request, checked.verified_device)
            request.session.cycle_key()  # the fully signed-in session gets a key of its own
            request.session.pop(FAILURES, None)
            if using_recovery:
                left = recovery_codes_left(request.user)
                audit(actor=request.user, action="auth.recovery_code_used", target=f"user {request.user.pk}",
                      codes_left=left, ip=client_ip(request))
                messages.warning(request, f"You signed in with a recovery code; it will not work again. You have "
                                          f"{left} left. If your phone is lost, ask an administrator to reset your "
                                          "two-factor sign-in, or make new codes on the two-factor page.")
            return redirect(next_url)
        if checked.checked:
            signed_out = _record_failure(request, stage="sign_in")
            if signed_out:
                return signed_out
    return render(request, "accounts/two_factor_verify.html", {
        "form": form, "recovery_form": recovery_form, "using_recovery": using_recovery, "next": next_url,
    })


def _status_page(request, *, disable_form=None, recovery_form=None):
    flags = two_factor_flags(request.user)
    # Visiting the page also refreshes this session's facts (e.g. a requirement added since sign-in).
    request.session[STATE] = flags
    device = confirmed_device(request.user)
    context = {
        "device": device,
        "pending": None if device else pending_device(request.user),
        "required": flags["required"],
        "disable_form": disable_form or (CodeForm(user=request.user, device=device, autofocus=False) if device else None),
        "recovery_form": recovery_form or (CodeForm(user=request.user, device=device, autofocus=False,
                                                    prefix="renew") if device else None),
        "codes_left": recovery_codes_left(request.user) if device else 0,
    }
    return render(request, "accounts/two_factor_status.html", context)


def two_factor_status(request):
    """Whether two-factor sign-in is on, with the buttons to set it up or turn it off."""
    return _status_page(request)


@require_POST
def two_factor_setup(request):
    """Start setting up: a new, unconfirmed device (replacing an unfinished one)."""
    if confirmed_device(request.user):
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("two_factor_status")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    return redirect("two_factor_confirm")


@never_cache
def two_factor_confirm(request):
    """The QR code and key of the unconfirmed device, and the code that proves the app has it."""
    device = pending_device(request.user)
    if device is None:
        if confirmed_device(request.user):
            messages.info(request, "Two-factor sign-in is already on.")
        else:
            messages.info(request, "Choose “Set up” to get a new QR code.")
        return redirect("two_factor_status")
    form = CodeForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                device.refresh_from_db()  # verify_token saved its own copy
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                codes = recovery_codes_new(user=request.user)
            django_otp.login(request, device)  # the code just given verifies this session too
            update_flags(request, device=True)
            audit(actor=request.user, action="auth.2fa_enrolled", target=f"user {request.user.pk}",
                  ip=client_ip(request))
            messages.success(request, "Two-factor sign-in is on. From now on, signing in asks for a code from your app.")
            # Shown in this response only (never stored in clear, not even in the session).
            return _recovery_codes_page(request, codes)
        if form.checked:
            _record_failure(request, stage="enrol")
    context = {"form": form, "qr_svg": qr_code_svg(device.config_url), "secret": readable_secret(device),
               "account": f"{settings.OTP_TOTP_ISSUER}: {request.user.get_username()}"}
    return render(request, "accounts/two_factor_confirm.html", context)


@require_POST
def two_factor_disable(request):
    """Turn two-factor off; needs a current code, so a borrowed session cannot do it."""
    device = confirmed_device(request.user)
    if device is None:
        messages.info(request, "Two-factor sign-in is already off.")
        return redirect("two_factor_status")
    form = CodeForm(request.POST, user=request.user, device=device, autofocus=False)
    if form.is_valid():
        two_factor_remove(user=request.user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        update_flags(request, device=False)
        audit(actor=request.user, action="auth.2fa_disabled", target=f"user {request.user.pk}",
              ip=client_ip(request))
        messages.success(request, "Two-factor sign-in is off. Signing in needs only your password now.")
        return redirect("two_factor_status")
    if form.checked:
        signed_out = _record_failure(request, stage="disable")
        if signed_out:
            return signed_out
    return _status_page(request, disable_form=form)


def _recovery_codes_page(request, codes):
    response = render(request, "accounts/recovery_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def two_factor_recovery_codes(request):
    """Ten new recovery codes (the old ones die), shown once; needs a current code from the app,
    so a borrowed session cannot read a way past two-factor."""
    device = confirmed_device(request.user)
    if device is None:
        messages.info(request, "Recovery codes come with two-factor sign-in, which is off. Set it up first.")
        return redirect("two_factor_status")
    form = CodeForm(request.POST, user=request.user, device=device, autofocus=False, prefix="renew")
    if form.is_valid():
        codes = recovery_codes_new(user=request.user)
        # The session may have been verified by a recovery code, whose device was just replaced:
        # the app's code given now verifies it instead.
        django_otp.login(request, form.verified_device)
        audit(actor=request.user, action="auth.recovery_codes_renewed", target=f"user {request.user.pk}",
              ip=client_ip(request))
        return _recovery_codes_page(request, codes)
    if form.checked:
        signed_out = _record_failure(request, stage="recovery_codes")
        if signed_out:
            return signed_out
    return _status_page(request, recovery_form=form)


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page, whose "current password" check cannot be used to guess
    the password from a signed-in (say, borrowed) session: every wrong one is audited, and the
    fifth in a session signs it out. Signing in again needs the password, and django-axes
    throttles that."""

    def dispatch(self, request, *args, **kwargs):
        # Local passwords off for this person (accounts/oidc.py), or an account made by single
        # sign-on (it has no password): the page says where the password lives instead.
        user = request.user
        if user.is_authenticated and settings.PANELIST_SSO_ENABLED and (
                not local_password_allowed(user.get_username()) or not user.has_usable_password()):
            return render(request, "registration/password_change_form.html",
                          {"passwords_off": True, "provider": settings.PANELIST_OIDC_PROVIDER_NAME},
                          status=200 if request.method in ("GET", "HEAD") else 403)
        return super().dispatch(request, *args, **kwargs)

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


def _calendar_feed_url(profile):
    """The absolute address of the person's calendar feed (interviews' calendar_feed view)."""
    path = reverse("interviews:calendar_feed", args=[profile.calendar_token])
    return settings.PANELIST_BASE_URL.rstrip("/") + path


def account_settings(request):
    """The person's own settings: their time zone, and the address of their calendar feed."""
    profile = profile_of(request.user)
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            profile.time_zone = form.cleaned_data["time_zone"]
            profile.save(update_fields=["time_zone"])
            remember_time_zone(request, profile.time_zone)
            messages.success(request, f"Saved. Times are now shown in {profile.time_zone}.")
            return redirect("account_settings")
    else:
        form = TimeZoneForm(initial={"time_zone": profile.time_zone})
    return render(request, "accounts/settings.html", {
        "form": form,
        "time_zones": time_zone_choices(),
        "feed_url": _calendar_feed_url(profile),
    }, status=400 if form.errors else 200)


@require_POST
def account_new_calendar_link(request):
    """A new secret for the calendar feed: the old address stops working at once."""
    profile_new_calendar_token(profile=profile_of(request.user))
    messages.success(request, "Your calendar feed has a new address. The old one no longer works: "
                              "subscribe again with the new one in your calendar apps.")
    return redirect("account_settings")
