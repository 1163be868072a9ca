from django.contrib import admin
from django.db import models

from .models import Candidate, Interview, InterviewPlan, PoolMember, Position


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "level", "hiring_manager", "recruiter", "status"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # the chat webhook, as PositionForm
    list_filter = ["status", "level"]
    search_fields = ["title", "team"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Erasing a candidate's personal data is added by scoring/admin.py (it touches scores)."""

    list_display = ["name", "position", "stage", "created_at"]
    list_filter = ["stage"]
    search_fields = ["name", "email"]
    list_select_related = ["position"]
    # A CV link typed without a scheme is https, as on the app's candidate form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(InterviewPlan)
class InterviewPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slot_minutes"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["candidate", "plan_name", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["candidate"]


@admin.register(PoolMember)
class PoolMemberAdmin(admin.ModelAdmin):
    """The other questions of plan items' pools. Only the builder adds them, with its checks
    (same level and area, not already in the plan); here an admin reads them and can take one out."""

    list_display = ["item", "order", "revision"]
    list_select_related = ["item__revision", "revision"]
    raw_id_fields = ["item", "revision"]
    search_fields = ["revision__title", "item__plan__name"]

    def has_add_permission(self, request):
        return False
