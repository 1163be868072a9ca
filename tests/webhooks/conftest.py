"""The webhook tests' receiver is on loopback, which the tests allow (as an operator would
allow an internal network with PANELIST_WEBHOOKS_ALLOW_PRIVATE); the tests about refused
targets set it back to nothing."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from webhooks.models import Delivery, DeliveryStatus, EventType, Subscription
from webhooks.services import DeliveryNotMade, delivery_attempt


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = ["127.0.0.0/8"]


def subscribe(url, events=EventType.values, **extra):
    return Subscription.objects.create(name=extra.pop("name", "ATS"), url=url, events=list(events), **extra)


def verify(request, secret, *, now=None, tolerance=300):
    """The receiver's check, written from the Standard Webhooks specification (not with
    Panelist's signer): HMAC-SHA256 with the base64-decoded secret after ``whsec_`` over
    "{webhook-id}.{webhook-timestamp}.{raw body}", base64, compared with each ``v1,`` entry
    of webhook-signature; the timestamp within ``tolerance`` seconds of ``now``."""
    headers = request["headers"]
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs((now if now is not None else time.time()) - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + request["body"],
                                         hashlib.sha256).digest())
    return any(
        version == "v1" and hmac.compare_digest(sig.encode(), expected)
        for version, _, sig in (entry.partition(",") for entry in headers["webhook-signature"].split(" "))
    )


def iso(moment):
    """A time as the events write it: ISO 8601, UTC, to the millisecond, with a Z."""
    return json.loads(json.dumps(moment, cls=DjangoJSONEncoder))


def body_of(request):
    return json.loads(request["body"])


def attempt_all(now=None):
    """One attempt of every pending delivery, as the jobs would make them; the failed ones'
    next attempt times."""
    retry_at = {}
    for pk in Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True):
        try:
            delivery_attempt(delivery_id=pk, now=now)
        except DeliveryNotMade as exc:
            retry_at[pk] = exc.retry_at
    return retry_at
