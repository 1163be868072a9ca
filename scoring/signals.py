"""Audit events for sign-ins and role changes (the other events are recorded where they happen)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

# The client's address as sign-in throttling sees it (AXES_CLIENT_IP_CALLABLE: behind a trusted
# proxy, from X-Forwarded-For; config/network.py).
from axes.helpers import get_client_ip_address

from .models import audit

# Who is acting in the current request, for the role-change receiver below: Django's m2m
# signal says which user's groups changed but not who changed them. config.middleware's
# AuditActorMiddleware sets it around every request (the admin's user page is where roles
# change); outside a request (a shell, a command) it is None and so is the event's actor.
# A ContextVar rather than a global, so that threads (and async tasks) never see another's.
acting_user = ContextVar("panelist_acting_user", default=None)

UNKNOWN_USER = "unknown user"


@contextmanager
def acting_as(user):
    """Attribute role changes made inside the block to ``user``."""
    token = acting_user.set(user)
    try:
        yield
    finally:
        acting_user.reset(token)


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    audit(actor=user, action="auth.sign_in", target=f"user {user.pk}", ip=get_client_ip_address(request) or "" if request else "")


def _failed_sign_in_target(typed):
    """``user <pk>`` when ``typed`` names an account, else a fixed marker: never the typed text
    itself, as people type their password into the username box by mistake."""
    User = get_user_model()
    pk = None
    if isinstance(typed, str) and typed and "\x00" not in typed:
        pk = User._default_manager.filter(**{User.USERNAME_FIELD: typed}).values_list("pk", flat=True).first()
    return f"user {pk}" if pk else UNKNOWN_USER


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit(actor=None, action="auth.sign_in_failed",
          target=_failed_sign_in_target(credentials.get(get_user_model().USERNAME_FIELD)),
          ip=get_client_ip_address(request) or "" if request else "")


@receiver(m2m_changed, sender=get_user_model().groups.through)
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
