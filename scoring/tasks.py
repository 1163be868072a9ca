"""Background jobs of scoring (docs/architecture.md, Background jobs)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .calibration import calibration_refresh
from .digests import digests_send
from .reminders import reminders_send


# Every minute, once per minute however many workers (see accounts/tasks.py). Nothing to retry:
# the next minute's run does the same work.
@app.periodic(cron="* * * * *", periodic_id="calibration")
@app.task(queueing_lock="scoring.calibration_refresh_job")
def calibration_refresh_job(timestamp):
    """Compute the calibration page's figures again when what they read has changed: a few small
    aggregates when nothing did, the three statements (about a second on the bench's 200,000
    scores) when something did (scoring.calibration.calibration_refresh)."""
    calibration_refresh()


# Every ten minutes, once per period however many workers (see accounts/tasks.py). Nothing to
# retry: the next sweep sends what this one did not (each reminder is sent once, by its key).
@app.periodic(cron="*/10 * * * *", periodic_id="scorecard_reminders")
@app.task(queueing_lock="scoring.scorecard_reminders_job")
def scorecard_reminders_job(timestamp):
    """Remind panelists of their missing scorecards and tell recruiters and hiring managers of
    the overdue ones (scoring.reminders)."""
    reminders_send(now=timezone.now())


# Every hour, on the hour: each recruiter's digest goes at the first run after 8:00 in their
# own zone (once a day, by its key).
@app.periodic(cron="0 * * * *", periodic_id="recruiter_digests")
@app.task(queueing_lock="scoring.recruiter_digests_job")
def recruiter_digests_job(timestamp):
    """The recruiters' daily digest of missing scorecards and recent decisions (scoring.digests)."""
    digests_send(now=timezone.now())
