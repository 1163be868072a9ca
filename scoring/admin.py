from django.contrib import admin

from accounts.models import audit

from .models import Amendment, Decision, Scorecard


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["interview", "interviewer", "status", "recommendation", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["interview__candidate", "interviewer"]
    readonly_fields = [f.name for f in Scorecard._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Admins may read any scorecard here, drafts included: an override, so it is logged.
        audit(actor=request.user, action="scorecard.admin_view", target=f"scorecard {object_id}")
        return super().change_view(request, object_id, form_url, extra_context)


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


@admin.register(Decision)
class DecisionAdmin(AppendOnlyAdmin):
    list_display = ["candidate", "decision", "by", "at"]
    list_select_related = ["candidate", "by"]


@admin.register(Amendment)
class AmendmentAdmin(AppendOnlyAdmin):
    list_display = ["scorecard", "field", "by", "at"]
    list_select_related = ["scorecard__interview__candidate", "scorecard__interviewer", "by"]
