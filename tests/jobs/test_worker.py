"""Jobs run by a real worker: one deferred from the app is run by `manage.py procrastinate
worker` in another process; a task that fails is retried after its back-off, its error kept for
admins until it succeeds."""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import DjangoApp, app

from accounts.tasks import sessions_clear_expired
from jobs.middleware import install
from jobs.models import Job, JobError
from tests.test_two_processes import database_url

ROOT = Path(__file__).resolve().parents[2]

# The worker is another process (or another connection): it sees committed rows only.
pytestmark = pytest.mark.usefixtures("empty_queue")


def make_session(key, expires_in):
    return Session.objects.create(session_key=key, session_data="", expire_date=timezone.now() + expires_in)


def test_it_runs_a_deferred_job_in_a_worker_process():
    make_session("expired" + "0" * 25, timedelta(hours=-1))
    make_session("current" + "0" * 25, timedelta(hours=1))
    job_id = sessions_clear_expired.defer(timestamp=int(time.time()))

    # --one-shot: the worker runs what is due, then exits.
    worker = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"], cwd=ROOT, timeout=60,
        env={**os.environ, "DATABASE_URL": database_url()}, capture_output=True, text=True,
    )
    assert worker.returncode == 0, worker.stderr
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" + "0" * 25]
    # A job that succeeds is deleted (PROCRASTINATE_WORKER_DEFAULTS).
    assert not Job.objects.filter(pk=job_id).exists()


# A throwaway app (Procrastinate's advice for tests), configured as ours is: the worker's
# defaults and the error-recording middleware.
flaky_app = DjangoApp(connector=app.connector, worker_defaults=dict(settings.PROCRASTINATE_WORKER_DEFAULTS))
install(flaky_app)
calls = []


@flaky_app.task(name="tests.flaky", retry=RetryStrategy(max_attempts=3, wait=1))
def flaky():
    calls.append(timezone.now())
    if len(calls) == 1:
        raise ConnectionError("the mail server is down")


def run_worker_once():
    """An in-process worker with its own connections, until nothing is due; in a thread of its
    own, since its event loop cannot start where one already runs (tests.conftest.run_async)."""

    def work():
        with flaky_app.replace_connector(app.connector.get_worker_connector()):
            flaky_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()


def test_it_retries_a_failed_job_after_its_back_off_and_keeps_the_error_until_it_succeeds():
    calls.clear()
    job_id = flaky.defer()
    run_worker_once()
    job = Job.objects.get(pk=job_id)
    # Failed once, waiting for its retry a second later; its error is kept.
    assert (len(calls), job.status, job.attempts) == (1, "todo", 1)
    assert timedelta(seconds=0.5) < job.scheduled_at - calls[0] < timedelta(seconds=2)
    error = JobError.objects.get(job_id=job_id)
    assert (error.attempt, error.error) == (1, "ConnectionError: the mail server is down")
    assert 'raise ConnectionError("the mail server is down")' in error.traceback

    # Not run again before its time.
    run_worker_once()
    assert len(calls) == 1

    time.sleep(max(0, (job.scheduled_at - timezone.now()).total_seconds()) + 0.1)
    run_worker_once()
    assert len(calls) == 2
    # Succeeded: deleted, and its error with it.
    assert not Job.objects.filter(pk=job_id).exists()
    assert not JobError.objects.filter(job_id=job_id).exists()


def test_our_tasks_back_off_ten_then_a_hundred_then_a_thousand_seconds_then_stay_failed():
    strategy = sessions_clear_expired.retry_strategy
    job = sessions_clear_expired.configure().job
    waits = []
    for attempts in range(5):
        decision = strategy.get_retry_decision(exception=ConnectionError(), job=job.evolve(attempts=attempts))
        waits.append(decision and round((decision.retry_at - timezone.now()).total_seconds()))
    assert waits == [10, 100, 1000, None, None]
