from django.contrib import admin, messages

from .models import Message, MessageStatus
from .services import message_retry


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Every message Panelist recorded (the outbox): read-only; a failed one can be sent again."""

    list_display = ["created_at", "to", "subject", "reason", "status", "attempts", "last_error"]
    list_filter = ["status", "reason"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed messages again")
    def retry(self, request, queryset):
        retried = sum(message_retry(message=m) for m in queryset.filter(status=MessageStatus.FAILED))
        skipped = queryset.count() - retried
        messages.success(request, f"{retried} message(s) queued again." + (
            f" {skipped} not failed, left as they were." if skipped else ""))
