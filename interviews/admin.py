from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .erasure import candidate_erase, candidate_erasure_preview
from .models import Candidate, Interview, InterviewPlan, Position

ERASE_TEMPLATE = "admin/interviews/candidate/erase_confirmation.html"


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
    # A CV link typed without a scheme is https, as on the app's candidate form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        view = self.admin_site.admin_view(self.erase_view)
        return [path("<int:object_id>/erase/", view, name="interviews_candidate_erase"), *super().get_urls()]

    def _erase_confirmation(self, request, candidates, *, action):
        """The page listing, per candidate, what an erasure removes and keeps; its form posts
        ``post=yes`` back to the action (``action``) or to the candidate's erase page."""
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data?",
            "opts": self.model._meta,
            "previews": [(candidate, candidate_erasure_preview(candidate=candidate)) for candidate in candidates],
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, ERASE_TEMPLATE, context)

    def _erase(self, request, candidates):
        # All or nothing: the admin confirmed this set of candidates.
        with transaction.atomic():
            for candidate in candidates:
                candidate_erase(candidate=candidate, by=request.user)
        names = ", ".join(f"Erased candidate {candidate.pk}" for candidate in candidates)
        self.message_user(
            request, f"Erased the personal data of {len(candidates)} candidate(s); they now read: {names}.",
            messages.SUCCESS,
        )

    @admin.action(description="Erase personal data (keeps anonymous scores; cannot be undone)", permissions=["delete"])
    def erase_personal_data(self, request, queryset):
        candidates = list(queryset.select_related("position").order_by("pk"))
        if request.POST.get("post") != "yes":
            return self._erase_confirmation(request, candidates, action="erase_personal_data")
        self._erase(request, candidates)
        return None  # back to the list

    def erase_view(self, request, object_id):
        """One candidate's erasure, linked from their change page: the same confirmation."""
        candidate = get_object_or_404(Candidate.objects.select_related("position"), pk=object_id)
        if not self.has_delete_permission(request, candidate):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("post") == "yes":
            self._erase(request, [candidate])
            return redirect(reverse("admin:interviews_candidate_change", args=[candidate.pk]))
        return self._erase_confirmation(request, [candidate], action="")


@admin.register(InterviewPlan)
class InterviewPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slot_minutes"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["candidate", "plan_name", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["candidate"]
