"""Deliveries sent by real worker processes (`manage.py procrastinate worker`): a failed one
is put back in the queue for its next attempt; with the worker killed in the middle of a
delivery, every event still arrives at least once, and a duplicate carries the same event id
and body, so the receiver can tell."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinateWorker

from tests.conftest import run_async
from tests.jobs.test_stalled import sweep
from tests.test_two_processes import database_url
from webhooks.models import Delivery, DeliveryStatus, EventType
from webhooks.services import event_publish
from webhooks.tasks import delivery_send_job

from .conftest import body_of, subscribe, verify

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("empty_queue")


def worker(*args):
    env = {**os.environ, "DATABASE_URL": database_url(), "PANELIST_WEBHOOKS_ALLOW_PRIVATE": "127.0.0.0/8"}
    return subprocess.Popen([sys.executable, "manage.py", "procrastinate", "worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def move_clock(sql, params):
    """Time passes for the queue: SQL, because Procrastinate's Django models are read-only (the
    tests of mail do the same)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def run_once():
    done = worker("--one-shot")
    assert done.wait(timeout=90) == 0, done.stderr.read()


def test_a_failed_delivery_waits_in_the_queue_for_its_next_attempt(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    webhook_receiver.status = 500
    event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": 1}})
    run_once()
    delivery = Delivery.objects.get()
    job = ProcrastinateJob.objects.get(task_name=delivery_send_job.name)
    assert (delivery.status, delivery.attempts, job.status) == (DeliveryStatus.PENDING, 1, "todo")
    assert abs((job.scheduled_at - delivery.next_attempt).total_seconds()) < 1
    assert delivery.next_attempt - delivery.last_attempt_at == timedelta(seconds=30)
    # Time passes (the job's time comes); the receiver is back.
    webhook_receiver.status = 200
    move_clock(f"UPDATE {ProcrastinateJob._meta.db_table} SET scheduled_at = %s WHERE id = %s", [timezone.now(), job.pk])
    run_once()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert not ProcrastinateJob.objects.filter(pk=job.pk).exists()
    assert verify(webhook_receiver.requests[-1], subscription.secret)


def test_with_the_worker_killed_mid_delivery_every_event_arrives_and_duplicates_share_their_id(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    events = [event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": n}}) for n in range(6)]
    webhook_receiver.delay = 0.5  # a slow receiver: the worker is killed while it waits for an answer
    running = worker()
    try:
        deadline = time.monotonic() + 60
        # Killed once a few have arrived and another has just reached the receiver, unanswered.
        while not (len(webhook_receiver.requests) >= 3 and len(webhook_receiver.requests) > len(webhook_receiver.bodies)
                   and time.monotonic() - webhook_receiver.requests[-1]["at"] < 0.2):
            assert time.monotonic() < deadline, "the worker never got going"
            time.sleep(0.01)
    finally:
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=10)
    in_flight = body_of(webhook_receiver.requests[-1])["id"]
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()  # killed mid-batch
    # Time passes: the dead worker's heartbeat grows old and the sweep queues its job again.
    move_clock(f"UPDATE {ProcrastinateWorker._meta.db_table} SET last_heartbeat = %s", [timezone.now() - timedelta(minutes=5)])
    with app.replace_connector(app.connector.get_worker_connector()):
        run_async(sweep())
    webhook_receiver.delay = 0
    run_once()

    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    received = {}
    for request in webhook_receiver.requests:
        assert verify(request, subscription.secret)
        assert body_of(request)["id"] == request["headers"]["webhook-id"]
        received.setdefault(request["headers"]["webhook-id"], set()).add(request["body"])
    assert set(received) == {e.webhook_id for e in events}  # every one, at least once
    assert all(len(bodies) == 1 for bodies in received.values())  # a duplicate is the same event
    ids = [r["headers"]["webhook-id"] for r in webhook_receiver.requests]
    assert ids.count(in_flight) == 2  # the one under way when the worker died, sent again
