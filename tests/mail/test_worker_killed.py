"""A worker killed in the middle of a batch of mail: once the stalled job is queued again and
a worker runs, every message has arrived exactly once at the (real, loopback) SMTP server."""

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
from procrastinate.contrib.django.models import ProcrastinateWorker

from mail.models import Message, MessageStatus
from tests.conftest import make_user, run_async
from tests.jobs.test_stalled import sweep
from tests.test_two_processes import database_url

from .test_mail import queue

ROOT = Path(__file__).resolve().parents[2]


def worker(smtp_server, *args):
    env = {**os.environ, "DATABASE_URL": database_url(), "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp_server.port), "EMAIL_USE_TLS": "0", "EMAIL_USE_SSL": "0"}
    return subprocess.Popen([sys.executable, "manage.py", "procrastinate", "worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_a_worker_killed_mid_batch_leaves_every_message_delivered_once(empty_queue, smtp_server):
    ivan = make_user("ivan", email="ivan@example.com")
    messages = [queue(ivan, key=f"batch:{n}") for n in range(8)]
    smtp_server.recorder.delay = 0.4  # a slow server: the worker is killed while one is being sent
    running = worker(smtp_server)
    try:
        assert smtp_server.wait_for(3) >= 3
        # Killed while the next message is under way (its recipient being answered: 0.4 s), once
        # the outbox has recorded the ones the server accepted, not in the milliseconds between
        # the two: the one moment SMTP cannot make safe (docs/operations.md, Mail).
        deadline = time.monotonic() + 20
        while Message.objects.filter(status=MessageStatus.SENT).count() < len(smtp_server.messages):
            assert time.monotonic() < deadline, "the worker never recorded what the server accepted"
            time.sleep(0.02)
        time.sleep(0.1)
    finally:
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=10)
    arrived_before = len(smtp_server.messages)
    assert arrived_before < len(messages)  # killed mid-batch
    # Time passes: the dead worker's heartbeat grows old and the ten-minute sweep requeues its job.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ProcrastinateWorker._meta.db_table} SET last_heartbeat = %s",
                       [timezone.now() - timedelta(minutes=5)])
    with app.replace_connector(app.connector.get_worker_connector()):
        run_async(sweep())
    smtp_server.recorder.delay = 0
    finished = worker(smtp_server, "--one-shot")
    assert finished.wait(timeout=90) == 0, finished.stderr.read()
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert sorted(ids) == sorted(m.message_id for m in messages)  # each once: none lost, none doubled
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
