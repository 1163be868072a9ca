from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django_otp.plugins.otp_static.models import StaticDevice

from .models import AuditEvent

# Recovery codes (django-otp's static devices) hold digests, which no one can read or usefully
# edit: an admin resets a person's two-factor on the People page (/people/<id>/) instead.
try:
    admin.site.unregister(StaticDevice)
except NotRegistered:  # django-otp's admin module not loaded (yet): nothing to take away
    pass


class AppendOnlyAdmin(admin.ModelAdmin):
    """Read-only: these rows are the history (docs/security.md). They are written by the app's
    own audited views, and never changed or deleted, not even by an admin (the bulk delete
    action goes too, as it needs the delete permission)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin):
    """The audit log: append-only."""

    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["action", "target", "actor__username"]
    date_hierarchy = "at"
