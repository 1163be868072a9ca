"""Two-factor sign-in with an authenticator app (TOTP codes, django-otp), optional for everyone
and required for members of the "Two-factor required" group. The longer story, for users and
admins, is docs/two-factor.md.

Every request passes through TwoFactorMiddleware, so it must not cost a query for the common
user, who has no device and is not required to have one. It decides from two facts written into
the session when the user signs in (``user_logged_in``, one query): whether the user has a
confirmed device, and whether an admin requires one. The pages below keep those facts current
for the user's own session when they enrol or turn two-factor off.
"""

import base64
import math
import re
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.network import client_ip
from scoring.models import audit

# Admins require two-factor sign-in by adding users to this group in the Django admin. It is
# created the first time a staff user signs in (no migration, no fixture).
REQUIRED_GROUP = "Two-factor required"
# {"device": bool, "required": bool}, written at sign-in.
STATE = "panelist_2fa"
# Wrong codes in this session; at MAX_FAILURES the session is signed out.
FAILURES = "panelist_2fa_failures"
MAX_FAILURES = 5
DEVICE_NAME = "Authenticator app"


# --- The facts the middleware decides from ---------------------------------------------------

def two_factor_flags(user):
    """Whether ``user`` has a confirmed device and whether an admin requires one (one query)."""
    row = (
        get_user_model().objects.filter(pk=user.pk)
        .values(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            is_required=Exists(Group.objects.filter(user=OuterRef("pk"), name=REQUIRED_GROUP)),
        )
        .first()
    )
    return {"device": bool(row and row["has_device"]), "required": bool(row and row["is_required"])}


@receiver(user_logged_in, dispatch_uid="panelist_two_factor_flags")
def _record_flags_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if user.is_staff:
        # Staff are who add users to the group: make sure it is there for them to find.
        Group.objects.get_or_create(name=REQUIRED_GROUP)
    request.session[STATE] = two_factor_flags(user)
    request.session.pop(FAILURES, None)
    if getattr(user, "otp_device", None) is None:
        # Every password sign-in asks for a fresh code, even when the session it replaces
        # (Django keeps the data of a same-user session) had been verified.
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


def _update_flags(request, **changes):
    request.session[STATE] = {**request.session.get(STATE, {"device": False, "required": False}), **changes}


# --- Enforcement -------------------------------------------------------------------------------

def _wants_json(request):
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


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
            # A session signed in where the receiver above did not run, e.g. by a process of the
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
        if not _wants_json(request):
            messages.warning(request, message)
        return self._refuse(request, reverse("two_factor_status"), "two_factor_setup_required", message)

    @staticmethod
    def _refuse(request, url, error, message):
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": error, "message": message, "location": url}, status=401)
        return redirect(url)


# --- Forms and helpers -------------------------------------------------------------------------

class CodeForm(forms.Form):
    """A 6-digit code, checked against ``device`` (django-otp counts wrong codes on the device
    and makes each next try wait longer: 1, 2, 4, 8… seconds)."""

    code = forms.CharField(
        label="6-digit code",
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
                                      "size": 8, "spellcheck": "false"}),
    )

    def __init__(self, *args, user, device, autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not autofocus:  # e.g. turning two-factor off: a page's secondary form
            self.fields["code"].widget.attrs.pop("autofocus")
        self.user = user
        self.device = device
        self.checked = False  # True once a well-formed code was tried against the device
        self.verified_device = None

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError("Enter the 6 digits your authenticator app shows, for example 123456.")
        self.checked = True
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until") or timezone.now()
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            raise ValidationError(f"Too many wrong codes in a row. Wait {wait} second{pluralize(wait)}, "
                                  "then enter the code your app shows.")
        self.verified_device = django_otp.verify_token(self.user, self.device.persistent_id, code)
        if self.verified_device is None:
            raise ValidationError("That code is not right. Codes change every 30 seconds: enter the one your app "
                                  "shows now (and check that your phone sets its clock automatically).")
        return code


def _confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def _pending_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def qr_code_svg(data):
    """``data`` as an inline SVG QR code, drawn here (the secret never leaves the server)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=12, border=4)
    return mark_safe(image.to_string(encoding="unicode"))  # our own markup; data is only encoded, never echoed


def readable_secret(device):
    """The device's key in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _ip(request):
    return client_ip(request)


def _record_failure(request, *, stage):
    """Audit a wrong code. At sign-in and when turning two-factor off, the fifth wrong code in a
    session signs it out; returns that redirect, or None."""
    user = request.user
    counted = stage in ("sign_in", "disable")
    failures = request.session.get(FAILURES, 0) + 1 if counted else 0
    if counted:
        request.session[FAILURES] = failures
    signed_out = counted and failures >= MAX_FAILURES
    audit(actor=user, action="auth.2fa_failed", target=f"user {user.pk}", stage=stage, failures=failures,
          signed_out=signed_out, ip=_ip(request))
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


# --- Views ---------------------------------------------------------------------------------------

@never_cache
def two_factor_verify(request):
    """The second sign-in step: a code from the user's authenticator app."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    device = _confirmed_device(request.user)
    if device is None:  # no device (any more: an admin may have removed a lost one)
        _update_flags(request, device=False)
        return redirect(next_url)
    form = CodeForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST":
        if form.is_valid():
            django_otp.login(request, form.verified_device)
            request.session.cycle_key()  # the fully signed-in session gets a key of its own
            request.session.pop(FAILURES, None)
            return redirect(next_url)
        if form.checked:
            signed_out = _record_failure(request, stage="sign_in")
            if signed_out:
                return signed_out
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


def _status_page(request, *, disable_form=None):
    flags = two_factor_flags(request.user)
    # Visiting the page also refreshes this session's facts (e.g. a requirement added since sign-in).
    request.session[STATE] = flags
    device = _confirmed_device(request.user)
    context = {
        "device": device,
        "pending": None if device else _pending_device(request.user),
        "required": flags["required"],
        "disable_form": disable_form or (CodeForm(user=request.user, device=device, autofocus=False) if device else None),
    }
    return render(request, "registration/two_factor_status.html", context)


def two_factor_status(request):
    """Whether two-factor sign-in is on, with the buttons to set it up or turn it off."""
    return _status_page(request)


@require_POST
def two_factor_setup(request):
    """Start setting up: a new, unconfirmed device (replacing an unfinished one)."""
    if _confirmed_device(request.user):
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("two_factor_status")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    return redirect("two_factor_confirm")


@never_cache
def two_factor_confirm(request):
    """The QR code and key of the unconfirmed device, and the code that proves the app has it."""
    device = _pending_device(request.user)
    if device is None:
        if _confirmed_device(request.user):
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
            django_otp.login(request, device)  # the code just given verifies this session too
            _update_flags(request, device=True)
            audit(actor=request.user, action="auth.2fa_enrolled", target=f"user {request.user.pk}", ip=_ip(request))
            messages.success(request, "Two-factor sign-in is on. From now on, signing in asks for a code from your app.")
            return redirect("two_factor_status")
        if form.checked:
            _record_failure(request, stage="enrol")
    context = {"form": form, "qr_svg": qr_code_svg(device.config_url), "secret": readable_secret(device),
               "account": f"{settings.OTP_TOTP_ISSUER}: {request.user.get_username()}"}
    return render(request, "registration/two_factor_confirm.html", context)


@require_POST
def two_factor_disable(request):
    """Turn two-factor off; needs a current code, so a borrowed session cannot do it."""
    device = _confirmed_device(request.user)
    if device is None:
        messages.info(request, "Two-factor sign-in is already off.")
        return redirect("two_factor_status")
    form = CodeForm(request.POST, user=request.user, device=device, autofocus=False)
    if form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        _update_flags(request, device=False)
        audit(actor=request.user, action="auth.2fa_disabled", target=f"user {request.user.pk}", ip=_ip(request))
        messages.success(request, "Two-factor sign-in is off. Signing in needs only your password now.")
        return redirect("two_factor_status")
    if form.checked:
        signed_out = _record_failure(request, stage="disable")
        if signed_out:
            return signed_out
    return _status_page(request, disable_form=form)
