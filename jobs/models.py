from django.db import models
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob


class Job(ProcrastinateJob):
    """A job of the queue, as the admin lists it (the table is Procrastinate's, read-only to
    Django: jobs change through Procrastinate's own functions)."""

    class Meta:
        proxy = True
        verbose_name = "job"
        verbose_name_plural = "jobs"


class JobError(models.Model):
    """The error of one failed attempt of a job. Procrastinate keeps a job's status and events
    but not why it failed; the worker's middleware (jobs/middleware.py) writes this before the
    job is marked failed or scheduled for its retry."""

    # No database constraint: Procrastinate deletes jobs with its own SQL (a succeeded job at
    # once, PROCRASTINATE_WORKER_DEFAULTS), which a foreign key would refuse; the middleware
    # deletes a job's errors when it succeeds. The index serves the job page's list of errors.
    job = models.ForeignKey(ProcrastinateJob, on_delete=models.DO_NOTHING, db_constraint=False,
                            related_name="errors")
    attempt = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=500)
    traceback = models.TextField()

    class Meta:
        ordering = ["job", "attempt", "pk"]

    def __str__(self):
        return f"Job {self.job_id}, attempt {self.attempt}"
