"""Background jobs of webhooks (docs/architecture.md, Background jobs)."""

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app

from mail.tasks import RETRY

from .services import DeliveryNotMade, delivery_attempt


class DeliveryRetry(BaseRetryStrategy):
    """A delivery that failed is tried again when it says (``Delivery.next_attempt``: its
    exponential back-off, for 24 hours), and not after its window is over. Anything else that
    goes wrong (the database away for a moment) backs off as every job does."""

    def get_retry_decision(self, *, exception, job):
        if isinstance(exception, DeliveryNotMade):
            return RetryDecision(retry_at=exception.retry_at) if exception.retry_at else None
        return RETRY.get_retry_decision(exception=exception, job=job)


@app.task(retry=DeliveryRetry())
def delivery_send_job(delivery_id):
    """Deliver one event to one subscription (webhooks.services.delivery_attempt)."""
    delivery_attempt(delivery_id=delivery_id)
