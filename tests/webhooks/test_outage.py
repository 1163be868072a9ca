"""A receiver down for an hour gets everything once it is back: with the clock driven through
each delivery's own next-attempt times, the events published before and during the outage are
tried with their back-off, none is given up, and each arrives (signed, once) at the first attempt
after the receiver recovers."""

from datetime import timedelta

import pytest

from webhooks.models import Delivery, DeliveryStatus, EventType
from webhooks.services import DeliveryNotMade, delivery_attempt, event_publish

from .conftest import subscribe, verify

pytestmark = pytest.mark.django_db


def test_a_receiver_down_for_an_hour_gets_every_event_after_it_recovers(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    webhook_receiver.status = 503
    events = [event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": n}}) for n in range(3)]
    start = min(e.timestamp for e in events)
    # An event published twenty minutes into the outage.
    late = event_publish(type=EventType.DECISION_RECORDED, payload={"decision": {"id": 9}})
    Delivery.objects.filter(event=late).update(created_at=start + timedelta(minutes=20),
                                               next_attempt=start + timedelta(minutes=20),
                                               give_up_at=start + timedelta(minutes=20, hours=24))
    events.append(late)
    recovered_at = start + timedelta(hours=1)

    # The clock moves from one due attempt to the next, as the job queue would run them.
    arrivals = {}
    while Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("next_attempt", "pk").first()
        clock = due.next_attempt
        webhook_receiver.status = 200 if clock >= recovered_at else 503
        try:
            delivery_attempt(delivery_id=due.pk, now=clock)
            arrivals[due.event_id] = clock
        except DeliveryNotMade as exc:
            assert exc.retry_at is not None, "given up during a one-hour outage"
        assert clock < start + timedelta(hours=3), "still not delivered two hours after the receiver came back"

    assert set(arrivals) == {e.id for e in events}
    assert all(recovered_at <= at <= recovered_at + timedelta(minutes=70) for at in arrivals.values())
    # Each arrived once (the 503s were refusals, not arrivals), signed.
    assert sorted(b["id"] for b in webhook_receiver.bodies) == sorted(e.webhook_id for e in events)
    assert all(verify(r, subscription.secret, now=int(r["headers"]["webhook-timestamp"]))
               for r in webhook_receiver.requests)
    # Every failed attempt was recorded: several each, at growing intervals.
    assert all(d.attempts >= 6 and d.last_status_code == 200 for d in Delivery.objects.all())
