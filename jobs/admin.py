from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from procrastinate import exceptions, utils
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob
from procrastinate.jobs import Status

from .models import Job, JobError

# Procrastinate's own page for its jobs is replaced by ours below: the same read-only list,
# plus each attempt's error, and a retry that says what it did.
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JobErrorInline(ReadOnlyInline):
    model = JobError
    fields = readonly_fields = ["attempt", "at", "error", "traceback"]
    verbose_name_plural = "errors"


class JobEventInline(ReadOnlyInline):
    model = ProcrastinateEvent
    fk_name = "job"
    fields = readonly_fields = ["type", "at"]
    ordering = ["at", "pk"]
    verbose_name_plural = "history"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """The queue's jobs: waiting, running and failed ones (a job that succeeds is deleted).
    Read-only; a failed job can be retried."""

    list_display = ["pk", "task_name", "status", "attempts", "scheduled_at", "last_error"]
    list_filter = ["status", "task_name", "queue_name"]
    search_fields = ["task_name"]
    fields = ["task_name", "args", "status", "attempts", "scheduled_at", "queue_name", "lock", "queueing_lock",
              "priority"]
    readonly_fields = fields
    inlines = [JobErrorInline, JobEventInline]
    actions = ["retry"]

    def get_queryset(self, request):
        # The list shows each job's latest error: one subquery, not a query per row.
        latest = JobError.objects.filter(job=OuterRef("pk")).order_by("-attempt", "-pk").values("error")[:1]
        return super().get_queryset(request).annotate(last_error=Subquery(latest))

    @admin.display(description="last error")
    def last_error(self, job):
        return job.last_error or ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("jobs.change_job")

    @admin.action(description="Retry the selected failed jobs", permissions=["retry"])
    def retry(self, request, queryset):
        """Queue each failed job to run now, through Procrastinate's own retry (which counts it
        as an attempt; the errors so far are kept). Jobs in any other state are left alone, and
        so is a failed job whose queueing lock a waiting job holds (the nightly clean-up failed,
        the next night's is already queued): the waiting one will do the work."""
        failed = list(queryset.filter(status=Status.FAILED.value))
        others = queryset.count() - len(failed)
        retried, locked = 0, 0
        for job in failed:
            try:
                # A savepoint: the refused retry must not abort the request's transaction.
                with transaction.atomic():
                    app.job_manager.retry_job_by_id(job.id, utils.utcnow(), job.priority, job.queue_name, job.lock)
            except exceptions.UniqueViolation:
                locked += 1
            else:
                retried += 1
        self.message_user(request, f"{retried} failed job(s) queued to run again.", messages.SUCCESS)
        if locked:
            self.message_user(request, f"{locked} failed job(s) left alone: a job of the same kind is already "
                                       "waiting to run.", messages.WARNING)
        if others:
            self.message_user(request, f"{others} job(s) left alone: only failed jobs can be retried.",
                              messages.WARNING)
