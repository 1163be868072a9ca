"""The nightly clean-up of expired sessions: what it deletes, and that it is queued once a
night however many workers' schedulers offer it."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicDeferrer, PeriodicRegistry

from accounts.tasks import sessions_clear_expired
from jobs.models import Job
from tests.conftest import run_async


def make_session(key, expires_in):
    return Session.objects.create(session_key=key.ljust(32, "0"), session_data="",
                                  expire_date=timezone.now() + expires_in)


@pytest.mark.django_db
def test_it_deletes_expired_sessions_and_keeps_current_ones():
    make_session("expired", timedelta(seconds=-1))
    make_session("current", timedelta(minutes=5))
    sessions_clear_expired(timestamp=0)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current".ljust(32, "0")]


def nightly_registry():
    registry = PeriodicRegistry()
    registry.periodic_tasks = {key: task for key, task in app.periodic_registry.periodic_tasks.items()
                               if task.task is sessions_clear_expired}
    assert len(registry.periodic_tasks) == 1
    return registry


async def schedulers_offer(*, workers, at):
    """What each worker's scheduler does at time ``at``: offer the jobs whose tick has come."""
    async with app.open_async():
        for _ in range(workers):
            deferrer = PeriodicDeferrer(registry=nightly_registry())
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at))


def test_it_is_queued_once_a_night_however_many_workers_offer_it(empty_queue):
    tick = datetime(2026, 12, 5, 3, 17, tzinfo=dt_timezone.utc).timestamp()
    with app.replace_connector(app.connector.get_worker_connector()):
        run_async(schedulers_offer(workers=3, at=tick + 30))
        jobs = list(Job.objects.filter(task_name=sessions_clear_expired.name))
        assert [(job.args, job.status) for job in jobs] == [({"timestamp": int(tick)}, "todo")]
        # The next night, while that one still waits (no worker ran it), its queueing lock keeps
        # a second from piling up behind it.
        run_async(schedulers_offer(workers=2, at=tick + 24 * 3600 + 30))
        assert Job.objects.filter(task_name=sessions_clear_expired.name).count() == 1
