"""The debrief of a candidate: submitted scorecards side by side, and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import audit
from interviews.models import Candidate, Interview, InterviewStatus

from ..forms import DecisionForm, RemindForm
from ..models import DecisionChoice, Scorecard
from ..pdf import debrief_pdf
from ..reminders import reminder_send_now
from ..rules import rule_verdict
from ..selectors import debrief
from ..services import decision_record


def _candidate(request, pk):
    """A candidate the user may see (else 404); interviewers see the debrief with only the
    scorecards the independence rule allows. Read by its key and then asked
    ``is_visible_to``: for those who run the position that is one query, not visible_to's."""
    # Only the position: the pages use its title and the hiring manager's and recruiter's ids,
    # never their user rows.
    candidate = get_object_or_404(Candidate.objects.select_related("position"), pk=pk)
    if not candidate.is_visible_to(request.user):
        raise Http404("No Candidate matches the given query.")
    return candidate


def _may_decide(user, candidate):
    return user.is_superuser or candidate.position.hiring_manager_id == user.pk


def _check_role(user, *perms):
    """403 for someone who may see the candidate but no longer holds a role that reads it (a
    user removed from the Interviewers group keeps their panel seats). Checked after the
    candidate is found, so other people's candidates stay 404 for everyone."""
    if not any(user.has_perm(perm) for perm in perms):
        raise PermissionDenied("Your role no longer gives access to this candidate.")


def _decision_choices(form):
    """The decision's radio buttons as debrief.html writes them: (value, label, checked)."""
    chosen = form["decision"].value() if form.is_bound else None
    return [(value, label, value == chosen) for value, label in form.fields["decision"].choices]


def debrief_view(request, pk):
    candidate = _candidate(request, pk)
    _check_role(request.user, "interviews.view_candidate", "scoring.add_scorecard")
    data = debrief(candidate, request.user)
    audit(actor=request.user, action="debrief.view", target=f"candidate {candidate.pk}", scorecards=len(data["cards"]))
    if request.GET.get("format") == "pdf":
        audit(actor=request.user, action="debrief.export_pdf", target=f"candidate {candidate.pk}")
        response = HttpResponse(debrief_pdf(candidate, data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="debrief-{candidate.pk}.pdf"'
        return response
    form = DecisionForm()
    is_manager = candidate.position.is_run_by(request.user)
    return render(request, "scoring/debrief.html", {
        "candidate": candidate, **data, "may_decide": _may_decide(request.user, candidate),
        "decision_form": form, "decision_choices": _decision_choices(form),
        "is_manager": is_manager, "verdict": _verdict(candidate, data) if is_manager else None,
    })


def _verdict(candidate, data):
    """The decision rule's verdict from the page's own figures (no query), for those who run
    the position: they read every submitted scorecard, as the rule does."""
    return rule_verdict(position=candidate.position, candidate_summary=data)


@require_POST
def decision_view(request, pk):
    candidate = _candidate(request, pk)
    _check_role(request.user, "interviews.view_candidate")
    if not _may_decide(request.user, candidate):
        raise PermissionDenied("Only the position's hiring manager records the decision.")
    data = debrief(candidate, request.user)  # the rule's figures, and the page again if refused
    verdict = _verdict(candidate, data)
    form = DecisionForm(request.POST, verdict=verdict)
    old_stage = candidate.get_stage_display()
    if form.is_valid():
        try:
            decision_record(candidate=candidate, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            # A scorecard submitted within this request changed the verdict: the page again with
            # the verdict as it is now, so the override field it asks for is on it.
            data = debrief(candidate, request.user)
            verdict = form.verdict = _verdict(candidate, data)
            form.add_error(None, exc)
    if form.errors:  # everything typed is shown again, with what is wrong beside it
        return render(request, "scoring/debrief.html", {
            "candidate": candidate, **data, "may_decide": True, "decision_form": form,
            "decision_choices": _decision_choices(form), "is_manager": True, "verdict": verdict,
        }, status=400)
    text = f"Decision recorded: {DecisionChoice(form.cleaned_data['decision']).label}."
    if candidate.get_stage_display() != old_stage:
        text += f" Stage: {old_stage} → {candidate.get_stage_display()}."
    messages.success(request, text)
    return redirect("scoring:debrief", pk=candidate.pk)


@require_POST
def remind_view(request, pk):
    """The "Remind" button beside a missing scorecard: an e-mail to that panelist now, at most
    one an hour (scoring.reminders.reminder_send_now). For the position's recruiter and hiring
    manager, and admins."""
    candidate = _candidate(request, pk)
    _check_role(request.user, "interviews.view_candidate")
    if not candidate.position.is_run_by(request.user):
        raise PermissionDenied("Only the position's recruiter and hiring manager send reminders.")
    form = RemindForm(request.POST)
    seat = form.is_valid() and (
        Interview.interviewers.through.objects.select_related("interview", "user")
        .filter(interview__candidate=candidate, interview_id=form.cleaned_data["interview"],
                user_id=form.cleaned_data["panelist"])
        .exclude(interview__status=InterviewStatus.CANCELLED).first()
    )
    if not seat or Scorecard.objects.submitted().filter(interview=seat.interview, interviewer=seat.user).exists():
        messages.info(request, "That scorecard is no longer missing: nobody was reminded.")
        return redirect("scoring:debrief", pk=candidate.pk)
    if seat.interview.ends_at > timezone.now():
        messages.info(request, "That interview has not ended yet: a reminder can be sent once it has.")
        return redirect("scoring:debrief", pk=candidate.pk)
    name = seat.user.get_full_name() or seat.user.username
    if reminder_send_now(interview=seat.interview, panelist=seat.user, now=timezone.now()) is None:
        messages.info(request, f"{name} was already reminded in the last hour; try again later.")
    elif not seat.user.email:
        messages.success(request, f"Reminder sent to {name}, in the app only: they have no e-mail address "
                                  "in Panelist (an admin can add one).")
    else:
        messages.success(request, f"Reminder sent to {name}.")
    return redirect("scoring:debrief", pk=candidate.pk)

