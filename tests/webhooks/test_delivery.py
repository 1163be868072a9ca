"""Delivering an event: posted to a real HTTP receiver on loopback, signed by the Standard
Webhooks scheme (checked here by a verifier written from the specification), 2xx delivers it;
anything else is tried again with exponential back-off for 24 hours, then failed; a redirect is
not followed; a redelivery sends the same event id."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import AuditEvent
from tests.conftest import make_user
from tests.webhook_receiver import Receiver
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, Event, EventType
from webhooks.services import (
    DeliveryNotMade, delivery_attempt, delivery_redeliver, event_publish, subscription_rotate_secret,
)
from webhooks.tasks import DeliveryRetry, delivery_send_job

from .conftest import attempt_all, body_of, iso, subscribe, verify

pytestmark = pytest.mark.django_db


def publish(kind=EventType.SCORECARD_SUBMITTED, **payload):
    return event_publish(type=kind, payload=payload or {"scorecard": {"id": 7}})


def test_it_posts_the_event_signed_so_that_the_receivers_check_passes(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    event = publish(scorecard={"id": 7, "recommendation": "yes"})
    attempt_all()
    (request,) = webhook_receiver.requests
    assert verify(request, subscription.secret)
    assert request["headers"]["webhook-id"] == event.webhook_id == f"evt_{event.id.hex}"
    assert request["headers"]["content-type"] == "application/json"
    assert body_of(request) == {"id": event.webhook_id, "type": "scorecard.submitted",
                                "timestamp": iso(event.timestamp), "data": {"scorecard": {"id": 7, "recommendation": "yes"}}}
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.response_excerpt) == (
        DeliveryStatus.DELIVERED, 1, 200, "ok")
    assert delivery.delivered_at is not None and delivery.next_attempt is None


def test_a_wrong_secret_a_changed_body_or_an_old_timestamp_fail_the_check(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    publish()
    attempt_all()
    (request,) = webhook_receiver.requests
    other = subscribe(webhook_receiver.url, name="Other")
    assert not verify(request, other.secret)
    assert not verify({**request, "body": request["body"].replace(b"7", b"8")}, subscription.secret)
    assert not verify(request, subscription.secret, now=int(request["headers"]["webhook-timestamp"]) + 301)


def test_each_subscription_gets_the_events_it_chose_while_active(webhook_receiver):
    other = Receiver()
    try:
        subscribe(webhook_receiver.url, events=["scorecard.submitted"])
        subscribe(other.url, events=["decision.recorded"])
        subscribe(other.url, events=["scorecard.submitted"], active=False, name="Off")
        publish()
        publish(EventType.DECISION_RECORDED, decision={"id": 1})
        publish(EventType.INTERVIEW_CANCELLED, interview={"id": 2})  # nobody chose it: not even stored
        attempt_all()
        assert [body_of(r)["type"] for r in webhook_receiver.requests] == ["scorecard.submitted"]
        assert [body_of(r)["type"] for r in other.requests] == ["decision.recorded"]
        assert Event.objects.count() == 2 and Delivery.objects.count() == 2
    finally:
        other.close()


def test_publishing_queues_one_job_per_delivery_in_the_callers_transaction(webhook_receiver):
    subscribe(webhook_receiver.url)
    subscribe(webhook_receiver.url, name="Second")
    event = publish()
    jobs = ProcrastinateJob.objects.filter(task_name=delivery_send_job.name)
    assert sorted(j.args["delivery_id"] for j in jobs) == sorted(event.deliveries.values_list("pk", flat=True))
    with pytest.raises(RuntimeError), transaction.atomic():
        publish()
        raise RuntimeError("the action failed")
    assert Event.objects.count() == 1 and jobs.count() == 2  # the rolled-back event left nothing


def test_with_no_subscriber_the_payload_is_not_even_built(django_assert_num_queries):
    def payload():
        raise AssertionError("built for nobody")

    with django_assert_num_queries(1):  # the subscriptions that want it: none
        assert event_publish(type=EventType.SCORECARD_SUBMITTED, payload=payload) is None


def test_a_refusing_receiver_is_tried_again_with_doubling_waits_then_failed_after_24_hours(webhook_receiver):
    subscribe(webhook_receiver.url)
    webhook_receiver.status = 503
    publish()
    delivery = Delivery.objects.get()
    start = delivery.created_at
    assert delivery.give_up_at == start + timedelta(hours=24)
    clock, attempts = start, []
    while True:
        try:
            delivery_attempt(delivery_id=delivery.pk, now=clock)
        except DeliveryNotMade as exc:
            attempts.append(clock)
            if exc.retry_at is None:
                break
            assert exc.retry_at > clock
            clock = exc.retry_at
        else:
            raise AssertionError("a 503 delivered it")
    waits = [(b - a).total_seconds() for a, b in zip(attempts, attempts[1:])]
    assert waits[:9] == [30, 60, 120, 240, 480, 960, 1920, 3840, 7200]
    assert set(waits[9:-1]) == {7200} and 0 < waits[-1] <= 7200  # the last one at the window's end
    assert attempts[-1] == start + timedelta(hours=24)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, len(attempts), 503)
    assert delivery.last_error == "HTTP 503" and delivery.next_attempt is None
    assert len(webhook_receiver.requests) == len(attempts)
    assert {r["headers"]["webhook-id"] for r in webhook_receiver.requests} == {delivery.event.webhook_id}
    # Its job is not tried again: the next attempt is left to no one.
    delivery_attempt(delivery_id=delivery.pk)
    assert len(webhook_receiver.requests) == len(attempts)


def test_the_jobs_retry_strategy_follows_the_deliverys_next_attempt():
    strategy = DeliveryRetry()
    job = delivery_send_job.configure().job
    at = timezone.now() + timedelta(minutes=4)
    assert strategy.get_retry_decision(exception=DeliveryNotMade("HTTP 500", retry_at=at), job=job).retry_at == at
    assert strategy.get_retry_decision(exception=DeliveryNotMade("failed", retry_at=None), job=job) is None
    # Anything else (the database away) backs off as every job does.
    assert strategy.get_retry_decision(exception=ConnectionError(), job=job) is not None


def test_a_redirect_is_not_followed(webhook_receiver):
    elsewhere = Receiver()
    try:
        subscribe(webhook_receiver.url)
        webhook_receiver.status, webhook_receiver.location = 302, elsewhere.url
        publish()
        attempt_all()
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 302
        assert "redirect is not followed" in delivery.last_error
        assert elsewhere.requests == []
    finally:
        elsewhere.close()


def test_a_receiver_that_does_not_answer_in_time_is_tried_later(webhook_receiver, monkeypatch):
    monkeypatch.setattr(services, "TIMEOUT", 0.3)
    subscribe(webhook_receiver.url)
    webhook_receiver.delay = 1
    publish()
    attempt_all()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code is None
    assert "timed out" in delivery.last_error and delivery.attempts == 1


def test_an_unreachable_receiver_keeps_the_error():
    from tests.smtp import free_port

    subscribe(f"http://127.0.0.1:{free_port()}/nobody")
    publish()
    attempt_all()
    assert "Connection refused" in Delivery.objects.get().last_error


def test_a_turned_off_subscription_stops_its_pending_deliveries(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    publish()
    subscription.active = False
    subscription.save()
    assert attempt_all() == {Delivery.objects.get().pk: None}
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "turned off" in delivery.last_error
    assert webhook_receiver.requests == []


def test_a_redelivery_sends_the_same_event_id_again_and_is_audited(webhook_receiver):
    admin = make_user("boss", is_superuser=True, is_staff=True)
    subscription = subscribe(webhook_receiver.url)
    publish()
    attempt_all()
    delivery = Delivery.objects.get()
    assert delivery_redeliver(delivery=delivery, by=admin)
    assert not delivery_redeliver(delivery=delivery, by=admin)  # pending already: its job is on it
    attempt_all()
    first, second = webhook_receiver.requests
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] and first["body"] == second["body"]
    assert verify(second, subscription.secret)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert AuditEvent.objects.filter(actor=admin, action="webhooks.redeliver").count() == 1


def test_after_a_rotation_both_secrets_sign_for_a_day_then_only_the_new_one(webhook_receiver):
    admin = make_user("boss", is_superuser=True, is_staff=True)
    subscription = subscribe(webhook_receiver.url)
    old = subscription.secret
    new = subscription_rotate_secret(subscription=subscription, by=admin)
    assert new != old and new.startswith("whsec_")
    publish()
    attempt_all()
    request = webhook_receiver.requests[-1]
    assert verify(request, old) and verify(request, new)
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    publish()
    later = timezone.now() + timedelta(hours=25)
    attempt_all(now=later)
    request = webhook_receiver.requests[-1]
    assert verify(request, new, now=later.timestamp()) and not verify(request, old, now=later.timestamp())
    assert AuditEvent.objects.filter(actor=admin, action="webhooks.rotate_secret").count() == 1


def test_the_body_is_the_same_bytes_on_every_attempt(webhook_receiver):
    subscribe(webhook_receiver.url)
    webhook_receiver.status = 500
    publish(scorecard={"b": 1, "a": [1, 2], "when": "2026-12-05T10:00:00Z"})
    attempt_all()
    webhook_receiver.status = 200
    attempt_all(now=timezone.now() + timedelta(minutes=1))
    first, second = webhook_receiver.requests
    assert first["body"] == second["body"] and json.loads(first["body"])["data"]["scorecard"]["a"] == [1, 2]


def test_whatever_the_receiver_answers_only_its_start_is_kept_and_stored_safely(webhook_receiver):
    subscribe(webhook_receiver.url)
    webhook_receiver.status, webhook_receiver.answer = 500, b"\x00\xff<script>" + b"x" * 5000
    publish()
    attempt_all()
    delivery = Delivery.objects.get()
    assert delivery.response_excerpt.startswith("\ufffd<script>") and len(delivery.response_excerpt) == 499  # 500 bytes read, the NUL dropped
