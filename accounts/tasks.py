"""Background jobs of accounts (docs/architecture.md, Background jobs)."""

from datetime import datetime
from importlib import import_module

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .password_reset import password_reset_mail

# A failed run is tried again 10 s, 100 s and 1000 s later (exponential_wait ** attempt),
# then left failed for an admin to see and retry (Background jobs > Jobs).
RETRY = RetryStrategy(max_attempts=3, exponential_wait=10)


# Every night at 03:17 UTC (Procrastinate reads cron in UTC). With several workers, each one's scheduler offers the job
# for the same timestamp and Procrastinate keeps one (its periodic defers are unique per task and
# timestamp); the queueing lock also refuses a second run queued while one still waits.
@app.periodic(cron="17 3 * * *", periodic_id="nightly")
@app.task(queueing_lock="accounts.sessions_clear_expired", retry=RETRY)
def sessions_clear_expired(timestamp):
    """Delete the sessions that have expired (what `manage.py clearsessions` does): sign-outs
    by timeout leave their rows behind, and the table would only grow."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@app.task(retry=RETRY)
def password_reset_mail_job(email, requested_at):
    """Mail a password reset link to the accounts with ``email`` (accounts.password_reset): run
    here rather than in the request, so the page answers in the same time whether or not the
    address has an account."""
    password_reset_mail(email=email, requested_at=datetime.fromisoformat(requested_at))
