"""Two-factor sign-in with an authenticator app (TOTP codes, django-otp) and recovery codes:
the facts the middleware decides from, and the device helpers the pages share. Optional for
everyone and required for members of the "Two-factor required" group and of roles that require
it (accounts.models.RoleTwoFactor); docs/two-factor.md is the longer story, for users and admins.

Every request passes through accounts.middleware.TwoFactorMiddleware, so it must not cost a
query for the common user, who has no device and is not required to have one. It decides from
two facts written into the session when the user signs in (accounts.signals, one query): whether
the user has a confirmed device, and whether an admin requires one. The pages in
accounts.views keep those facts current for the user's own session when they enrol or turn
two-factor off.
"""

import base64
import hashlib
import secrets

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Admins require two-factor sign-in of one person by adding them to this group (the People page's
# "Require two-factor", or the Django admin), and of a whole role with a RoleTwoFactor row. The
# group is created the first time a staff user signs in or an admin requires it (no migration).
REQUIRED_GROUP = "Two-factor required"
# {"device": bool, "required": bool}, written at sign-in.
STATE = "panelist_2fa"
# Wrong codes in this session; at MAX_FAILURES the session is signed out.
FAILURES = "panelist_2fa_failures"
MAX_FAILURES = 5
DEVICE_NAME = "Authenticator app"


def two_factor_flags(user):
    """Whether ``user`` has a confirmed device and whether an admin requires one, of them or of
    one of their roles (one query)."""
    row = (
        get_user_model().objects.filter(pk=user.pk)
        .values(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            is_required=Exists(required_groups().filter(user=OuterRef("pk"))),
        )
        .first()
    )
    return {"device": bool(row and row["has_device"]), "required": bool(row and row["is_required"])}


def required_groups():
    """The groups whose members must use two-factor: the "Two-factor required" group and the
    groups of roles that require it (accounts.models.RoleTwoFactor)."""
    return Group.objects.filter(Q(name=REQUIRED_GROUP) | Q(two_factor_rule__isnull=False))


def update_flags(request, **changes):
    request.session[STATE] = {**request.session.get(STATE, {"device": False, "required": False}), **changes}


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def qr_code_svg(data):
    """``data`` as an inline SVG QR code, drawn here (the secret never leaves the server)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=12, border=4)
    return mark_safe(image.to_string(encoding="unicode"))  # our own markup; data is only encoded, never echoed


def readable_secret(device):
    """The device's key in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def wants_json(request):
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


# --- Recovery codes ---------------------------------------------------------------------------
# Ten single-use codes, shown once when two-factor is set up or the codes are renewed, for the
# day the phone is lost. They are django-otp's static tokens on one StaticDevice per user, so
# django-otp's verified-session middleware and its throttling of wrong guesses apply to them as
# to the app's codes; but the token column holds a digest of each code, never the code. A code
# is 12 random base32 characters (60 bits), so a plain SHA-256 is enough: a stolen table cannot
# be searched back to codes in any useful time, and a guess at the sign-in page is throttled.
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _recovery_digest(code):
    """What the token column stores for ``code``: typed in any case, with or without dashes."""
    normal = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()[:16]  # the column holds 16 characters


def _new_recovery_code():
    raw = "".join(secrets.choice(_BASE32) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).order_by("pk").first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


@transaction.atomic
def recovery_codes_new(*, user):
    """Ten new recovery codes for ``user``, returned in clear this once; the old ones die."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_recovery_digest(code)) for code in codes)
    return codes


def recovery_code_use(*, user, code):
    """Spend one of ``user``'s recovery codes: the device it verifies, or None (a wrong or spent
    code, or too many wrong ones in a row: django-otp then makes the next try wait). The code
    is deleted by one DELETE statement, so two requests racing with the same code cannot both
    succeed (django-otp's own verify_token reads, then deletes)."""
    device = recovery_device(user)
    if device is None or not device.verify_is_allowed()[0]:
        return None
    deleted, _ = StaticToken.objects.filter(device=device, token=_recovery_digest(code)).delete()
    if not deleted:
        device.throttle_increment()
        return None
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


def recovery_throttled(user):
    """Whether wrong recovery codes in a row make the next try wait (django-otp's throttle)."""
    device = recovery_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def two_factor_remove(*, user):
    """Delete every two-factor device of ``user``: their app's and their recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
