"""Publishing events, delivering them signed (the Standard Webhooks scheme), and the admins'
changes to subscriptions (docs/webhooks.md)."""

import base64
import hashlib
import hmac
import http.client
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import audit

from .models import (
    RETRY_WINDOW, ROTATION_OVERLAP, SECRET_PREFIX, Delivery, DeliveryStatus, Event, Subscription, new_secret,
)
from config.outbound import TargetRefused, post

TIMEOUT = 10  # seconds, to connect and for each read: a receiver answers quickly or is tried later
# After the n-th failed attempt the next comes 30 s * 2 ** (n - 1) later, at most two hours
# later: 30 s, 1 min, 2, 4, 8, 16, 32, 64 min, then every two hours until the retry window
# (24 hours) ends, with a last attempt at its end.
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)
USER_AGENT = "Panelist-Webhooks/1"


class DeliveryNotMade(Exception):
    """An attempt failed. ``retry_at``: when the job tries again, or None when the delivery is
    now failed (its retry window is over)."""

    def __init__(self, message, *, retry_at):
        super().__init__(message)
        self.retry_at = retry_at


def backoff(attempts):
    """The wait after ``attempts`` failed attempts."""
    return min(FIRST_WAIT * 2 ** min(attempts - 1, 20), LONGEST_WAIT)


def event_publish(*, type, payload):
    """Record an event of ``type`` and one delivery for each active subscription that chose it,
    and queue their sending jobs, in the caller's transaction: if it rolls back, none of it
    happened. ``payload``: a dict, or a function returning one, called only when some
    subscription wants the event (an action nobody subscribed to costs one query and stores
    nothing). Returns the event, or None."""
    from .tasks import delivery_send_job  # the task module imports this one

    subscriptions = list(Subscription.objects.filter(active=True, events__contains=[type]).values_list("pk", flat=True))
    if not subscriptions:
        return None
    with transaction.atomic():
        event = Event.objects.create(type=type, payload=json.loads(json.dumps(
            payload() if callable(payload) else payload, cls=DjangoJSONEncoder)))
        deliveries = Delivery.objects.bulk_create([
            Delivery(subscription_id=pk, event=event, created_at=event.timestamp, next_attempt=event.timestamp,
                     give_up_at=event.timestamp + RETRY_WINDOW)
            for pk in subscriptions
        ])
        for delivery in deliveries:
            delivery_send_job.defer(delivery_id=delivery.pk)
    return event


def event_body(event):
    """The bytes posted for ``event``: the same for every subscription and attempt. Times are
    ISO 8601 in UTC to the millisecond (``2026-12-05T10:41:07.512Z``), as in the payloads."""
    document = {"id": event.webhook_id, "type": event.type, "timestamp": event.timestamp, "data": event.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def signature(*, secrets, webhook_id, timestamp, body):
    """The ``webhook-signature`` header: ``v1,<base64 HMAC-SHA256>`` of "{id}.{timestamp}.{body}"
    under each secret (the key is the base64-decoded part after ``whsec_``), space-separated."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(base64.b64decode(secret.removeprefix(SECRET_PREFIX)), signed,
                                          hashlib.sha256).digest()).decode()
        for secret in secrets
    )


def _send(delivery, now):
    """One POST of the delivery; returns (status code or None, response excerpt, error)."""
    event, subscription = delivery.event, delivery.subscription
    body = event_body(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "webhook-id": event.webhook_id, "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secrets=subscription.signing_secrets(now), webhook_id=event.webhook_id,
                                       timestamp=timestamp, body=body),
    }
    try:
        code, excerpt = post(subscription.url, body=body, headers=headers, timeout=TIMEOUT)
    except TargetRefused as exc:
        return None, "", f"Refused: {exc}"
    except (OSError, http.client.HTTPException) as exc:  # unreachable, timed out, TLS, nonsense
        return None, "", f"{type(exc).__name__}: {exc}"
    if 200 <= code < 300:
        return code, excerpt, ""
    if 300 <= code < 400:
        return code, excerpt, f"HTTP {code}: a redirect is not followed; give the final URL"
    return code, excerpt, f"HTTP {code}"


def delivery_attempt(*, delivery_id, now=None):
    """Try to deliver once, now (``now``: the clock, for tests). A 2xx answer delivers it;
    otherwise the error is recorded and DeliveryNotMade raised with the next attempt's time,
    or with None once the retry window is over (the delivery is then failed). A delivery no
    longer pending is left alone.

    The row stays locked while it is sent, so two workers (a job and a redelivery, or a job
    queued again after its worker died) never post it at once; a worker killed after the
    receiver answered and before this commits makes the event go again, with the same
    ``webhook-id``: at least once, and a receiver can tell."""
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("subscription", "event")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery
        now = now or timezone.now()
        if not delivery.subscription.active:
            code, excerpt, error = None, "", "Not sent: the subscription is turned off."
            delivery.give_up_at = now
        else:
            code, excerpt, error = _send(delivery, now)
            delivery.attempts += 1
        delivery.last_attempt_at, delivery.last_status_code = now, code
        # A receiver may answer anything; PostgreSQL's text holds no NUL.
        delivery.response_excerpt = excerpt.replace("\x00", "")[:500]
        delivery.last_error = error.replace("\x00", "")[:500]
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt = DeliveryStatus.DELIVERED, now, None
        elif now >= delivery.give_up_at:
            delivery.status, delivery.next_attempt = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt = min(now + backoff(delivery.attempts), delivery.give_up_at)
        delivery.save(update_fields=["status", "attempts", "last_status_code", "last_error", "response_excerpt",
                                     "last_attempt_at", "next_attempt", "delivered_at", "give_up_at"])
    if delivery.status == DeliveryStatus.PENDING:
        raise DeliveryNotMade(delivery.last_error, retry_at=delivery.next_attempt)
    if delivery.status == DeliveryStatus.FAILED:
        raise DeliveryNotMade(f"Failed for good: {delivery.last_error}", retry_at=None)
    return delivery


def delivery_redeliver(*, delivery, by):
    """Send a delivered or failed event again (an admin's Redeliver): the same event id and
    body, a new series of attempts with its own retry window. Returns False, changing nothing,
    while it is still pending (its job is trying already)."""
    from .tasks import delivery_send_job

    now = timezone.now()
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.PENDING, next_attempt=now, give_up_at=now + RETRY_WINDOW)
        if updated:
            delivery_send_job.defer(delivery_id=delivery.pk)
            audit(actor=by, action="webhooks.redeliver", target=f"webhook subscription {delivery.subscription_id}",
                  delivery=delivery.pk, event=delivery.event_id.hex)
    return bool(updated)


@transaction.atomic
def subscription_save(*, subscription, by):
    """Create or change a subscription (already validated by its form), audited."""
    creating = subscription.pk is None
    if creating:
        subscription.created_by = by if getattr(by, "pk", None) else None
    subscription.save()
    audit(actor=by, action="webhooks.create" if creating else "webhooks.change",
          target=f"webhook subscription {subscription.pk}", name=subscription.name, url=subscription.url,
          events=list(subscription.events), active=subscription.active)
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription, by):
    """Give the subscription a new secret; the old one also signs for ROTATION_OVERLAP, so the
    receiver can switch without refusing a delivery. Returns the new secret (shown once)."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    locked.previous_secret, locked.previous_secret_until = locked.secret, timezone.now() + ROTATION_OVERLAP
    locked.secret = new_secret()
    locked.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    audit(actor=by, action="webhooks.rotate_secret", target=f"webhook subscription {locked.pk}")
    return locked.secret
