"""Receivers for sign-ins and role changes: the audit events they write, and the session facts
the account middleware decides from. Connected by AccountsConfig.ready()."""

import time

# The client's address as sign-in throttling sees it (AXES_CLIENT_IP_CALLABLE: behind a trusted
# proxy, from X-Forwarded-For; config/network.py).
from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from . import two_factor
from .middleware import LOGIN_AT, SEEN_AT, acting_user, remember_time_zone
from .models import Profile, audit

UNKNOWN_USER = "unknown user"


@receiver(user_logged_in, dispatch_uid="panelist_audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    audit(actor=user, action="auth.sign_in", target=f"user {user.pk}", ip=get_client_ip_address(request) or "" if request else "")


@receiver(user_logged_in, dispatch_uid="panelist_session_stamps")
def stamp_login(sender, request, user, **kwargs):
    """The sign-in time the session timeouts count from (accounts.middleware)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="panelist_time_zone")
def remember_profile_time_zone(sender, request, user, **kwargs):
    """The person's time zone for their pages (accounts.middleware.TimeZoneMiddleware), read
    once here rather than on every page. Without a profile, nothing is kept: the pages then
    follow settings.TIME_ZONE."""
    if request is None or not hasattr(request, "session"):
        return
    name = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if name:
        remember_time_zone(request, name)


@receiver(user_logged_in, dispatch_uid="panelist_two_factor_flags")
def record_two_factor_flags(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if user.is_staff:
        # Staff are who add users to the group: make sure it is there for them to find.
        Group.objects.get_or_create(name=two_factor.REQUIRED_GROUP)
    request.session[two_factor.STATE] = two_factor.two_factor_flags(user)
    request.session.pop(two_factor.FAILURES, None)
    if getattr(user, "otp_device", None) is None:
        # Every password sign-in asks for a fresh code, even when the session it replaces
        # (Django keeps the data of a same-user session) had been verified.
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


def _failed_sign_in_target(typed):
    """``user <pk>`` when ``typed`` names an account, else a fixed marker: never the typed text
    itself, as people type their password into the username box by mistake."""
    User = get_user_model()
    pk = None
    if isinstance(typed, str) and typed and "\x00" not in typed:
        pk = User._default_manager.filter(**{User.USERNAME_FIELD: typed}).values_list("pk", flat=True).first()
    return f"user {pk}" if pk else UNKNOWN_USER


@receiver(user_login_failed, dispatch_uid="panelist_audit_failed_sign_in")
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit(actor=None, action="auth.sign_in_failed",
          target=_failed_sign_in_target(credentials.get(get_user_model().USERNAME_FIELD)),
          ip=get_client_ip_address(request) or "" if request else "")


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="panelist_audit_role_change")
def audit_role_change(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    actor = acting_user.get()
    if isinstance(instance, get_user_model()):
        audit(actor=actor, action=f"roles.{action.removeprefix('post_')}", target=f"user {instance.pk}",
              groups=sorted(pk_set or []))
    else:  # a group's users changed
        audit(actor=actor, action=f"roles.{action.removeprefix('post_')}", target=f"group {instance.pk}",
              users=sorted(pk_set or []))
