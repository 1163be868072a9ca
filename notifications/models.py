from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What a notification is about; each person chooses, per kind, how to hear of it."""

    INVITATION = "invitation", "Interviews I am on: scheduled, moved or cancelled"
    SCORECARD_REMINDER = "scorecard_reminder", "My scorecards still to submit"
    SCORECARD_ESCALATION = "scorecard_escalation", "Overdue scorecards of positions I run"
    DEBRIEF_READY = "debrief_ready", "Every scorecard of an interview is in (positions I run)"
    DECISION = "decision", "A decision on a candidate I interviewed"
    DIGEST = "digest", "Each morning, the missing scorecards and recent decisions of positions I recruit for"


class Delivery(models.TextChoices):
    EMAIL = "email", "In the app and by e-mail"
    IN_APP = "in_app", "In the app only"
    OFF = "off", "Off"


class Notification(models.Model):
    """One thing the bell shows its recipient, until they read it. ``key`` names it as the
    e-mail of the same event is named (mail.Message.key): the same event notifies once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)  # a path in the app
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's unread count on every page, and the list.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.text


class Preference(models.Model):
    """How one person hears of one kind; without a row, in the app and by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_one_preference_per_kind",
                                    violation_error_message="One choice per kind of notification."),
            models.CheckConstraint(condition=models.Q(delivery__in=Delivery.values), name="notification_delivery_valid",
                                   violation_error_message="Choose e-mail, in the app only, or off."),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.delivery}"


class WebhookFormat(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class WebhookStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event posted to a chat channel's incoming webhook (Slack or Microsoft Teams),
    recorded before it is sent, once per event and URL (``key``), sent by a retried job."""

    key = models.CharField(max_length=250, unique=True)
    url = models.URLField(max_length=500)
    body = models.JSONField()
    status = models.CharField(max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=WebhookStatus.values), name="webhook_status_valid",
                                   violation_error_message="Unknown delivery status."),
        ]

    def __str__(self):
        return f"{self.key} → {self.url}"
