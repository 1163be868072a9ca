"""Subscriptions of outside systems to Panelist's events, the events and their deliveries
(docs/webhooks.md)."""

import base64
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A delivery is tried again with back-off for this long after it was made (or redelivered),
# then it is failed.
RETRY_WINDOW = timedelta(hours=24)
# A rotated secret still signs (beside the new one) for this long, so a receiver can switch.
ROTATION_OVERLAP = timedelta(hours=24)
SECRET_PREFIX = "whsec_"


class EventType(models.TextChoices):
    INTERVIEW_SCHEDULED = "interview.scheduled", "Interview scheduled"
    INTERVIEW_RESCHEDULED = "interview.rescheduled", "Interview rescheduled"
    INTERVIEW_CANCELLED = "interview.cancelled", "Interview cancelled"
    SCORECARD_SUBMITTED = "scorecard.submitted", "Scorecard submitted"
    SCORECARD_AMENDED = "scorecard.amended", "Scorecard amended"
    DECISION_RECORDED = "decision.recorded", "Decision recorded"
    CANDIDATE_ERASED = "candidate.erased", "Candidate erased"


def new_secret():
    """A signing secret as the Standard Webhooks scheme writes it: ``whsec_`` and the base64 of
    32 random bytes (the HMAC key)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    """An outside system (an ATS) that receives the events it chose, signed with its secret.

    The secret is kept as it is (signing needs it, so it cannot be hashed); admins see it once,
    when it is made or rotated. After a rotation the previous secret also signs each delivery
    until ``previous_secret_until``, so the receiver can switch without losing any."""

    name = models.CharField(max_length=100, help_text="What receives the events, e.g. “Greenhouse sync”.")
    url = models.URLField(max_length=500, verbose_name="URL", help_text="Where the events are posted (https://).")
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    events = ArrayField(models.CharField(max_length=40, choices=EventType.choices),
                        help_text="The events this system receives.")
    active = models.BooleanField(default=True, help_text="An inactive subscription receives nothing new.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(events__len__gt=0), name="webhooks_subscription_has_events",
                violation_error_message="Choose at least one event.",
            ),
            models.CheckConstraint(
                condition=Q(events__contained_by=EventType.values), name="webhooks_subscription_known_events",
                violation_error_message="Choose events from the list.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.events:
            raise ValidationError({"events": "Choose at least one event."})
        unknown = sorted(set(self.events) - set(EventType.values))
        if unknown:
            raise ValidationError({"events": f"Unknown event: {', '.join(unknown)}."})

    def signing_secrets(self, now=None):
        """The secrets that sign a delivery now: the current one, and the previous one during
        the overlap after a rotation."""
        now = now or timezone.now()
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            return [self.secret, self.previous_secret]
        return [self.secret]

    @property
    def secret_hint(self):
        """The end of the secret, to tell two apart without showing it."""
        return f"{SECRET_PREFIX}…{self.secret.rstrip('=')[-4:]}"


class Event(models.Model):
    """Something that happened, as the receivers are told it: one body, the same for every
    subscription and every attempt (``webhook-id`` is ``evt_<id>``, so a receiver that gets it
    twice can tell). The payload holds ids and a few fields, never a candidate's personal data
    (docs/webhooks.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    timestamp = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["-timestamp"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EventType.values), name="webhooks_event_type_valid",
                                   violation_error_message="Unknown event type."),
        ]

    def __str__(self):
        return f"{self.type} {self.webhook_id}"

    @property
    def webhook_id(self):
        return f"evt_{self.id.hex}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one subscription: sent by a job, tried again with back-off until the
    receiver answers 2xx or ``give_up_at`` passes. ``last_*`` describe the latest attempt."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The delivery log of one subscription, newest first.
            models.Index(fields=["subscription", "-created_at", "-id"], name="webhooks_delivery_log"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhooks_one_delivery_per_event",
                                    violation_error_message="This event is already delivered to this subscription."),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="webhooks_delivery_status_valid",
                                   violation_error_message="Unknown delivery status."),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.DELIVERED) | Q(delivered_at__isnull=False),
                name="webhooks_delivered_has_time", violation_error_message="A delivered event needs its time.",
            ),
        ]

    def __str__(self):
        return f"{self.event.type} → {self.subscription}"

    def clean(self):
        if self.status == DeliveryStatus.DELIVERED and self.delivered_at is None:
            raise ValidationError("A delivered event needs its time.")
