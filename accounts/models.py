"""The audit log: who did what sensitive thing, and when."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Append-only record of sensitive actions: admin overrides of scorecard privacy,
    amendments, scorecard views and exports, role changes, sign-ins. Times are UTC."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


def audit(*, actor, action, target="", **detail):
    """Record one audit event."""
    return AuditEvent.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                                     target=str(target)[:200], detail=detail)
