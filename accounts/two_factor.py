"""Two-factor sign-in with an authenticator app (TOTP codes, django-otp): the facts the
middleware decides from, and the device helpers the pages share. Optional for everyone and
required for members of the "Two-factor required" group; docs/two-factor.md is the longer
story, for users and admins.

Every request passes through accounts.middleware.TwoFactorMiddleware, so it must not cost a
query for the common user, who has no device and is not required to have one. It decides from
two facts written into the session when the user signs in (accounts.signals, one query): whether
the user has a confirmed device, and whether an admin requires one. The pages in
accounts.views keep those facts current for the user's own session when they enrol or turn
two-factor off.
"""

import base64

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

# Admins require two-factor sign-in by adding users to this group in the Django admin. It is
# created the first time a staff user signs in (no migration, no fixture).
REQUIRED_GROUP = "Two-factor required"
# {"device": bool, "required": bool}, written at sign-in.
STATE = "panelist_2fa"
# Wrong codes in this session; at MAX_FAILURES the session is signed out.
FAILURES = "panelist_2fa_failures"
MAX_FAILURES = 5
DEVICE_NAME = "Authenticator app"


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
