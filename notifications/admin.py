from django.contrib import admin, messages

from .models import Notification, WebhookDelivery, WebhookStatus
from .webhooks import webhook_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["text", "recipient__username"]
    readonly_fields = ["recipient", "kind", "key", "text", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every event posted to a chat channel, with the error of a failed one; retry."""

    list_display = ["created_at", "url", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["key", "url"]
    actions = ["retry"]
    readonly_fields = ["key", "url", "body", "status", "attempts", "last_error", "created_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed deliveries again")
    def retry(self, request, queryset):
        retried = sum(webhook_retry(delivery=d) for d in queryset.filter(status=WebhookStatus.FAILED))
        messages.success(request, f"{retried} deliver{'y' if retried == 1 else 'ies'} queued again.")
