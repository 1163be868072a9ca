"""A job whose worker died mid-run is queued again by the ten-minute sweep."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateWorker

from accounts.tasks import sessions_clear_expired
from jobs.models import Job
from jobs.tasks import jobs_retry_stalled
from tests.conftest import run_async


def start_job(*, heartbeat_age):
    """A running job of a worker whose last heartbeat was ``heartbeat_age`` ago."""
    job_id = sessions_clear_expired.configure(queueing_lock=f"stalled-{heartbeat_age}").defer(timestamp=0)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ProcrastinateWorker._meta.db_table} (last_heartbeat) VALUES (%s) RETURNING id",
                       [timezone.now() - heartbeat_age])
        worker_id = cursor.fetchone()[0]
        cursor.execute(f"UPDATE {Job._meta.db_table} SET status = 'doing', worker_id = %s WHERE id = %s",
                       [worker_id, job_id])
    return job_id


async def sweep():
    async with app.open_async():
        return await jobs_retry_stalled(timestamp=0)


def test_it_queues_again_the_jobs_of_a_dead_worker_and_leaves_a_live_ones(empty_queue):
    dead = start_job(heartbeat_age=timedelta(minutes=5))
    live = start_job(heartbeat_age=timedelta(seconds=2))
    with app.replace_connector(app.connector.get_worker_connector()):
        assert run_async(sweep()) == 1
    assert Job.objects.get(pk=dead).status == "todo"
    assert Job.objects.get(pk=live).status == "doing"
