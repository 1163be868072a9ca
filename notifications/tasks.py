"""Background jobs of notifications (docs/architecture.md, Background jobs)."""

from procrastinate.contrib.django import app

from mail.tasks import RETRY  # a chat service down is retried as a mail server is

from .webhooks import webhook_send


@app.task(retry=RETRY, pass_context=True)
def webhook_send_job(context, delivery_id):
    """Post one recorded event to its chat channel (notifications.webhooks.webhook_send)."""
    webhook_send(delivery_id=delivery_id, last_attempt=context.job.attempts >= RETRY.max_attempts)
