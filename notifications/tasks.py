"""Background jobs of notifications (docs/architecture.md, Background jobs)."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .webhooks import webhook_send

# As mail (mail/tasks.py): 3 s, 9 s, 27 s ... then failed, for an admin to retry.
RETRY = RetryStrategy(max_attempts=9, exponential_wait=3)


@app.task(retry=RETRY, pass_context=True)
def webhook_send_job(context, delivery_id):
    """Post one recorded event to its chat channel (notifications.webhooks.webhook_send)."""
    webhook_send(delivery_id=delivery_id, last_attempt=context.job.attempts >= RETRY.max_attempts)
