from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts.admin import AppendOnlyAdmin
from accounts.models import audit
from interviews.admin import CandidateAdmin
from interviews.models import Candidate

from .erasure import candidate_erase, candidate_erasure_preview
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


@admin.register(Decision)
class DecisionAdmin(AppendOnlyAdmin):
    list_display = ["candidate", "decision", "rule_verdict", "by", "at"]
    list_filter = ["decision", "rule_verdict"]
    list_select_related = ["candidate", "by"]


@admin.register(Amendment)
class AmendmentAdmin(AppendOnlyAdmin):
    list_display = ["scorecard", "field", "by", "at"]
    list_select_related = ["scorecard__interview__candidate", "scorecard__interviewer", "by"]


class ErasableCandidateAdmin(CandidateAdmin):
    """Interviews' candidate admin with the erasure of a candidate's personal data (scoring
    owns it, since it touches scorecards, decisions and the audit log): a list action and a
    button on the change page, both through the same confirmation page."""

    actions = ["erase_personal_data"]
    change_form_template = "admin/scoring/candidate_change_form.html"
    erase_template = "admin/scoring/candidate_erase_confirmation.html"

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
        return TemplateResponse(request, self.erase_template, context)

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


admin.site.unregister(Candidate)
admin.site.register(Candidate, ErasableCandidateAdmin)
