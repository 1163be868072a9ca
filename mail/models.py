from django.conf import settings
from django.db import models
from django.db.models import Q


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    KEPT = "kept", "Kept in the outbox (no SMTP server set)"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """One e-mail, recorded before it is sent (mail.services.message_queue). ``key`` names what
    it is about, "<reason>:<object>:<recipient>:<period>": a second message with the same key is
    never recorded, so a retried job, a double click or a sweep run twice sends it once."""

    key = models.CharField(max_length=200, unique=True)
    reason = models.CharField(max_length=40)  # what kind of message: "invitation", ...
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    # One optional attachment (an invitation's calendar file).
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="mail_message_status_valid",
                violation_error_message="Unknown message status.",
            ),
            models.CheckConstraint(
                condition=Q(attachment="") | ~Q(attachment_name=""), name="mail_message_attachment_named",
                violation_error_message="An attachment needs a file name.",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def message_id(self):
        """The Message-ID header: the same for every attempt, so a receiving server or client
        that sees one message twice (a worker killed after the SMTP server accepted it and
        before the outbox recorded it) can tell."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">").strip() or "panelist.local"
        return f"<panelist-message-{self.pk}@{domain}>"
