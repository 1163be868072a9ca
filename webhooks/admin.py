from django.contrib import admin

from .forms import SubscriptionForm
from .models import Delivery, Event, Subscription
from .services import subscription_save


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions; their secrets are never shown here (the app's page shows a new one once)."""

    list_display = ["name", "url", "active", "created_by", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret_hint", "created_by", "created_at"]
    fields = ["name", "url", "events", "active", "secret_hint", "created_by", "created_at"]
    form = SubscriptionForm  # the URL checked as the app's page checks it

    def save_model(self, request, obj, form, change):
        subscription_save(subscription=obj, by=request.user)  # audited


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """What was published: read-only."""

    list_display = ["timestamp", "type", "id"]
    list_filter = ["type"]
    readonly_fields = ["id", "type", "timestamp", "payload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every delivery with its last attempt: read-only (Redeliver is on the subscription's page)."""

    list_display = ["created_at", "subscription", "event", "status", "attempts", "last_status_code", "last_error"]
    list_filter = ["status", "subscription"]
    list_select_related = ["subscription", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
