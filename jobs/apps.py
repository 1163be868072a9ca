from django.apps import AppConfig


class JobsConfig(AppConfig):
    """What admins see of the job queue: its jobs, each failed one with its error, and a retry.
    The queue itself is Procrastinate's (procrastinate.contrib.django); the tasks live in the
    apps whose code they run (docs/architecture.md)."""

    name = "jobs"
    verbose_name = "Background jobs"
