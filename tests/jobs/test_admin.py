"""Admins see the queue's jobs, a failed one with the error of each attempt, and retry it."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import sessions_clear_expired
from jobs.models import Job, JobError
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:jobs_job_changelist")


def make_failed_job():
    """A job as a worker leaves it after its last attempt failed: status failed, its errors kept
    (the table is Procrastinate's and read-only to Django, hence the SQL)."""
    job_id = sessions_clear_expired.defer(timestamp=0)
    with connection.cursor() as cursor:
        # Through "doing", as a worker does: Procrastinate's trigger records the history.
        for status in ("doing", "failed"):
            cursor.execute(f"UPDATE {Job._meta.db_table} SET status = %s, attempts = 2 WHERE id = %s", [status, job_id])
    JobError.objects.create(job_id=job_id, attempt=1, error="OperationalError: server closed the connection",
                            traceback="Traceback ...\nOperationalError: server closed the connection\n")
    JobError.objects.create(job_id=job_id, attempt=2, error="OperationalError: the database is starting up",
                            traceback="Traceback ...\nOperationalError: the database is starting up\n")
    return Job.objects.get(pk=job_id)


def test_it_lists_failed_jobs_with_their_last_error_and_shows_every_attempts_error(client, admin_user):
    job = make_failed_job()
    client.force_login(admin_user)
    changelist = client.get(CHANGELIST, {"status__exact": "failed"}).content.decode()
    assert "accounts.tasks.sessions_clear_expired" in changelist
    assert "OperationalError: the database is starting up" in changelist
    assert "server closed the connection" not in changelist  # the last error only
    page = client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert "server closed the connection" in page and "the database is starting up" in page
    assert "Traceback ..." in page
    assert [e.type for e in job.procrastinateevent_set.order_by("pk")] == ["deferred", "started", "failed"]


def test_it_lists_jobs_in_a_fixed_number_of_queries(client, admin_user, django_assert_num_queries):
    for _ in range(3):
        make_failed_job()
    client.force_login(admin_user)
    # Session, user, the user's groups (the navigation), the bell's unread count (our context
    # processors run on admin pages too), two counts (filtered and all), the page of jobs with
    # their last errors, the task and queue filters' values (status has fixed choices): the
    # same for 3 jobs or 300.
    with django_assert_num_queries(9):
        assert client.get(CHANGELIST).status_code == 200


def test_it_retries_a_failed_job_and_leaves_others_alone(client, admin_user):
    failed = make_failed_job()
    waiting = Job.objects.get(pk=sessions_clear_expired.configure(queueing_lock="another").defer(timestamp=1))
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk, waiting.pk]}, follow=True)
    text = response.content.decode()
    assert "1 failed job(s) queued to run again." in text
    assert "1 job(s) left alone: only failed jobs can be retried." in text
    failed.refresh_from_db()
    waiting.refresh_from_db()
    # Queued to run now (Procrastinate counts the retry as an attempt); its errors are kept.
    assert (failed.status, failed.attempts) == ("todo", 3)
    assert failed.scheduled_at <= timezone.now()
    assert JobError.objects.filter(job_id=failed.pk).count() == 2
    assert (waiting.status, waiting.attempts) == ("todo", 0)


def test_it_leaves_a_failed_job_alone_when_the_next_one_of_its_kind_is_already_waiting(client, admin_user):
    failed = make_failed_job()
    sessions_clear_expired.defer(timestamp=1)  # the next night's, with the same queueing lock
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)
    assert response.status_code == 200
    assert "1 failed job(s) left alone: a job of the same kind is already waiting to run." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_only_those_who_may_change_jobs_can_retry_them(client):
    failed = make_failed_job()
    viewer = make_user("ops-viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_job", content_type__app_label="jobs"))
    client.force_login(viewer)
    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200 and 'value="retry"' not in changelist.content.decode()
    client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "failed"
