"""Records why a job failed (Procrastinate keeps only that it did): a task middleware around
every task the worker runs, installed by PROCRASTINATE_ON_APP_READY (config/settings.py)."""

import logging
import traceback

from asgiref.sync import sync_to_async
from procrastinate.exceptions import JobAborted

logger = logging.getLogger(__name__)


def install(app):
    """Add the recorders to the worker's task middleware, inside Procrastinate's own (which
    opens and closes Django's database connection around each task)."""
    existing = list(app.worker_defaults.get("task_middleware") or [])
    app.worker_defaults["task_middleware"] = [*existing, record_errors, record_errors_async]


def job_failed(job, exc):
    """Write the error of this attempt of ``job``. The bookkeeping never changes a job's
    outcome: if it fails, the worker's log has both errors and the job fails as it would have."""
    from .models import JobError

    error = f"{type(exc).__name__}: {exc}"
    try:
        JobError.objects.create(
            job_id=job.id, attempt=job.attempts + 1, error=error[:500],
            traceback="".join(traceback.format_exception(exc)),
        )
    except Exception:
        logger.exception("Could not record the error of job %s", job.id)


def job_succeeded(job):
    """A job that succeeds is deleted (delete_jobs="successful"): so are the errors of its
    earlier attempts. Only a retried job (attempts > 0) can have any, so most cost no query.
    A failure here must not fail a job that did its work (it would run again)."""
    from .models import JobError

    if job.attempts:
        try:
            JobError.objects.filter(job_id=job.id).delete()
        except Exception:
            logger.exception("Could not delete the errors of job %s", job.id)


def record_errors(call_next, context, worker):
    """For sync tasks (run in the worker's thread, where Django's connection is)."""
    try:
        result = call_next()
    except JobAborted:
        raise
    except Exception as exc:
        job_failed(context.job, exc)
        raise
    job_succeeded(context.job)
    return result


async def record_errors_async(call_next, context, worker):
    """For async tasks (the database work goes through sync_to_async, as Django requires)."""
    try:
        result = await call_next()
    except JobAborted:
        raise
    except Exception as exc:
        await sync_to_async(job_failed)(context.job, exc)
        raise
    await sync_to_async(job_succeeded)(context.job)
    return result
