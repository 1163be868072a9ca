"""Audit events for sign-ins and role changes (the other events are recorded where they happen)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import audit


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    audit(actor=user, action="auth.sign_in", target=f"user {user.pk}", ip=request.META.get("REMOTE_ADDR", "") if request else "")


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit(actor=None, action="auth.sign_in_failed", target=str(credentials.get("username", ""))[:150],
          ip=request.META.get("REMOTE_ADDR", "") if request else "")


@receiver(m2m_changed, sender=get_user_model().groups.through)
def audit_role_change(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, get_user_model()):
        audit(actor=None, action=f"roles.{action.removeprefix('post_')}", target=f"user {instance.pk}",
              groups=sorted(pk_set or []))
    else:  # a group's users changed
        audit(actor=None, action=f"roles.{action.removeprefix('post_')}", target=f"group {instance.pk}",
              users=sorted(pk_set or []))
