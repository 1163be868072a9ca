"""The queue's own housekeeping (docs/operations.md, Background jobs)."""

from procrastinate.contrib.django import app


# Every ten minutes. A job whose worker died mid-run (SIGKILL, out of memory, a lost machine)
# stays "doing" for ever; its worker's heartbeat stops, and this queues the job again. Once per
# period however many workers (see accounts/tasks.py); nothing to retry: the next run does it.
@app.periodic(cron="*/10 * * * *", periodic_id="stalled")
@app.task(queueing_lock="jobs.jobs_retry_stalled")
async def jobs_retry_stalled(timestamp):
    """Queue again, to run now, the running jobs of workers with no heartbeat for 30 seconds
    (Procrastinate's recipe: its worker beats every 10 s). Returns how many."""
    manager = app.job_manager  # in a worker, on the worker's own connections
    stalled = await manager.get_stalled_jobs()
    for job in stalled:
        await manager.retry_job(job)
    return len(stalled)
