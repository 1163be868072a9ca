"""Posting events to chat channels: a Slack or Microsoft Teams incoming webhook, for all
positions (PANELIST_WEBHOOK_URL) or per position (Position.webhook_url). Each post is recorded
before it is sent (WebhookDelivery, once per event and URL), sent by a job retried with
back-off, and its error kept for admins (Admin > Notifications > Webhook deliveries)."""

import hashlib
import http.client
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.outbound import TargetRefused, post

from .models import WebhookDelivery, WebhookFormat, WebhookStatus

TIMEOUT = 10  # seconds


class WebhookNotSent(Exception):
    """The channel refused the post or could not be reached; the job tries again."""


def webhook_body(fmt, text, link):
    """The JSON each service's incoming webhooks take: Slack's ``text`` (with its
    <url|label> link syntax), Teams' MessageCard."""
    if fmt == WebhookFormat.TEAMS:
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": text[:150],
                "text": f"{text} [Open in Panelist]({link})" if link else text}
    return {"text": f"{text} <{link}|Open in Panelist>" if link else text}


def channels_for(position):
    """The (url, format) pairs an event of ``position`` goes to: its own, and the global one."""
    channels = []
    if position is not None and position.webhook_url:
        channels.append((position.webhook_url, position.webhook_format))
    if settings.PANELIST_WEBHOOK_URL:
        channels.append((settings.PANELIST_WEBHOOK_URL, settings.PANELIST_WEBHOOK_FORMAT))
    return list(dict.fromkeys(channels))


@transaction.atomic
def channel_post(*, position, key, text, link=""):
    """Record and queue the post of one event (``key``) to the position's channels, in the
    caller's transaction; once per event and URL. Returns the deliveries recorded now."""
    from .tasks import webhook_send_job

    made = []
    for url, fmt in channels_for(position):
        url_hash = hashlib.sha256(url.encode()).hexdigest()[:16]
        delivery, created = WebhookDelivery.objects.get_or_create(
            key=f"{key}:hook-{url_hash}"[:250], defaults={"url": url, "body": webhook_body(fmt, text, link)})
        if created:
            webhook_send_job.defer(delivery_id=delivery.pk)
            made.append(delivery)
    return made


def webhook_send(*, delivery_id, last_attempt=False):
    """POST the delivery's body; marks it sent on a 2xx answer. Raises WebhookNotSent
    otherwise, after recording the error (failed if ``last_attempt``)."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status == WebhookStatus.SENT:
            return delivery
        # Through config.outbound, as the signed webhooks: a channel URL is typed by a hiring
        # manager or recruiter, so no private address, no redirect followed.
        try:
            status, _ = post(delivery.url, body=json.dumps(delivery.body).encode(), timeout=TIMEOUT,
                             headers={"Content-Type": "application/json", "User-Agent": "Panelist"})
        except TargetRefused as exc:
            error = f"Refused: {exc}"[:500]
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        else:
            error = None if 200 <= status < 300 else f"HTTP {status}"
        if error is None:
            delivery.status, delivery.sent_at, delivery.last_error = WebhookStatus.SENT, timezone.now(), ""
            delivery.attempts += 1
            delivery.save(update_fields=["status", "sent_at", "last_error", "attempts"])
            return delivery
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=WebhookStatus.SENT).update(
        attempts=delivery.attempts + 1, last_error=error,
        **({"status": WebhookStatus.FAILED} if last_attempt else {}))
    raise WebhookNotSent(error)


def webhook_retry(*, delivery):
    """Send a failed delivery again (an admin's retry)."""
    from .tasks import webhook_send_job

    with transaction.atomic():
        if WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookStatus.FAILED).update(status=WebhookStatus.QUEUED):
            webhook_send_job.defer(delivery_id=delivery.pk)
            return True
    return False
