"""The debrief of a candidate: submitted scorecards side by side, and the decision."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from interviews.models import Candidate

from ..models import Decision, DecisionChoice, audit
from ..pdf import debrief_pdf
from ..selectors import debrief


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DecisionChoice.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text="The evidence the decision rests on; kept with your name and the time.",
        error_messages={"required": "Write the rationale: a decision without one cannot be reviewed later."},
    )

    def clean_rationale(self):
        text = self.cleaned_data["rationale"].strip()
        if not text:
            raise forms.ValidationError("Write the rationale: a decision without one cannot be reviewed later.")
        return text


def _candidate(request, pk):
    """A candidate the user may see (else 404); interviewers see the debrief with only the
    scorecards the independence rule allows."""
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("position__hiring_manager", "position__recruiter"), pk=pk
    )
    return candidate


def _may_decide(user, candidate):
    return user.is_superuser or candidate.position.hiring_manager_id == user.pk


def debrief_view(request, pk):
    candidate = _candidate(request, pk)
    data = debrief(candidate, request.user)
    audit(actor=request.user, action="debrief.view", target=f"candidate {candidate.pk}", scorecards=len(data["cards"]))
    if request.GET.get("format") == "pdf":
        audit(actor=request.user, action="debrief.export_pdf", target=f"candidate {candidate.pk}")
        response = HttpResponse(debrief_pdf(candidate, data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="debrief-{candidate.pk}.pdf"'
        return response
    return render(request, "scoring/debrief.html", {
        "candidate": candidate, **data, "may_decide": _may_decide(request.user, candidate),
        "decision_form": DecisionForm(), "is_manager": request.user.is_superuser or request.user.pk in (
            candidate.position.hiring_manager_id, candidate.position.recruiter_id),
    })


@require_POST
def decision_view(request, pk):
    candidate = _candidate(request, pk)
    if not _may_decide(request.user, candidate):
        raise PermissionDenied("Only the position's hiring manager records the decision.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        data = debrief(candidate, request.user)
        return render(request, "scoring/debrief.html", {
            "candidate": candidate, **data, "may_decide": True, "decision_form": form, "is_manager": True,
        }, status=400)
    Decision.objects.create(candidate=candidate, by=request.user, **form.cleaned_data)
    audit(actor=request.user, action="decision.record", target=f"candidate {candidate.pk}",
          decision=form.cleaned_data["decision"])
    messages.success(request, f"Decision recorded: {DecisionChoice(form.cleaned_data['decision']).label}.")
    return redirect("scoring:debrief", pk=candidate.pk)
