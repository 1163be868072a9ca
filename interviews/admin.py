from django.contrib import admin, messages

from .erasure import candidate_erase
from .models import Candidate, Interview, InterviewPlan, Position


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "level", "hiring_manager", "recruiter", "status"]
    list_filter = ["status", "level"]
    search_fields = ["title", "team"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "stage", "created_at"]
    list_filter = ["stage"]
    search_fields = ["name", "email"]
    list_select_related = ["position"]
    actions = ["erase_personal_data"]

    @admin.action(description="Erase personal data (keeps anonymous scores; cannot be undone)")
    def erase_personal_data(self, request, queryset):
        for candidate in queryset:
            candidate_erase(candidate=candidate, by=request.user)
        messages.success(request, f"Erased the personal data of {queryset.count()} candidate(s).")


@admin.register(InterviewPlan)
class InterviewPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slot_minutes"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["candidate", "plan_name", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["candidate"]
