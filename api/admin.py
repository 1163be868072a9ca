"""API tokens in the Django admin: every person's tokens, for an admin to find and revoke a
leaked one. Tokens are made by their owner (the tokens page, or manage.py create_api_token),
never here, and revoked rather than deleted, so the record stays."""

from django.contrib import admin, messages

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "scope", "shown", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__username", "shown")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "scope", "shown", "created_at", "expires_at", "last_used_at", "revoked_at")
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(token_revoke(token=token, by=request.user) for token in queryset)
        messages.success(request, f"Revoked {revoked} token{'s' if revoked != 1 else ''}; "
                                  "requests with them are refused from now on.")
