"""Background jobs of mail (docs/architecture.md, Background jobs)."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .services import message_send

# An SMTP server that refuses or cannot be reached is tried again 3 s, 9 s, 27 s, ... 6.5 hours
# later (3 ** attempt; nine retries, about eight hours in all, so an outage of minutes costs
# minutes), then the message is failed, for an admin to see and retry (Mail > Messages).
RETRY = RetryStrategy(max_attempts=9, exponential_wait=3)


@app.task(retry=RETRY, pass_context=True)
def message_send_job(context, message_id):
    """Send one recorded message (mail.services.message_send)."""
    message_send(message_id=message_id, last_attempt=context.job.attempts >= RETRY.max_attempts)
