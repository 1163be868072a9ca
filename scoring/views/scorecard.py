"""Submitting a scorecard, and amending it once submitted. Nothing of a cancelled interview is
submitted or amended; a scorecard it already had is shown read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from interviews.models import InterviewStatus

from ..forms import AmendForm, SubmitForm
from ..models import Scorecard
from ..scores import competency_scores
from ..services import ScoreError, missing_items, scorecard_amend, scorecard_open, scorecard_submit
from .live import _interview_for_panelist, refuse_cancelled


def _context(card):
    scores = list(card.scores.select_related("question__revision").order_by("question__order", "question_id"))
    per_competency, overall = competency_scores((s.question.competency, s.question.weight, s.score) for s in scores)
    titles = {s.question_id: s.question.title for s in scores}
    amendments = list(card.amendments.select_related("by")) if card.is_submitted else []
    return {
        "card": card, "scores": scores, "per_competency": per_competency, "overall": overall,
        "missing": missing_items(scores) if not card.is_submitted else [],
        # Each change in words, as the debrief says it ("score on ‘…’: 4 (Excellent) → 3 (Good)").
        "amendments": [(a, a.in_words(titles.get(a.question_id, ""))) for a in amendments],
    }


def _cancelled(request, interview):
    """A cancelled interview: a submit is refused (what was typed is said back); a scorecard
    it already has is shown read-only, and none is created."""
    card = Scorecard.objects.filter(interview=interview, interviewer=request.user).first()
    if request.method == "POST" or card is None:
        return refuse_cancelled(request, interview, typed=request.POST.get("summary", ""))
    return render(request, "scoring/scorecard.html", {"interview": interview, **_context(card), "cancelled": True})


@permission_required("scoring.add_scorecard", raise_exception=True)
def scorecard(request, pk):
    interview = _interview_for_panelist(request, pk)
    if interview.status == InterviewStatus.CANCELLED:
        return _cancelled(request, interview)
    form = SubmitForm(request.POST) if request.method == "POST" else None
    missing = None
    if form is not None and form.is_valid():
        # A submit needs nothing of the page: the draft is submitted (or refused) in two
        # statements, without opening it first (2 queries, left to the pages that are shown:
        # a successful submit redirects). Only a scorecard never opened is opened, then submitted.
        submit = {"interview": interview, "interviewer": request.user,
                  "recommendation": form.cleaned_data["recommendation"], "summary": form.cleaned_data["summary"]}
        missing = scorecard_submit(**submit)
        if missing is None and not scorecard_open(interview=interview, interviewer=request.user).is_submitted:
            missing = scorecard_submit(**submit)  # now it has a score row per question
        if missing == []:
            messages.success(request, "Scorecard submitted. It is read-only now; amendments need a reason.")
            return redirect("scoring:scorecard", pk=interview.pk)
    card = scorecard_open(interview=interview, interviewer=request.user)
    status = 200
    if form is not None and not card.is_submitted:
        if missing:
            messages.error(request, "Not submitted yet: score or skip (with a reason) every required question listed below.")
        status = 400
    else:
        form = SubmitForm(initial={"recommendation": card.recommendation, "summary": card.summary})
    # Built only for a page that is shown: a successful submit redirects, and loading every
    # score with its question's revision first cost it a query and ~3 ms (docs/performance.md).
    context = {"interview": interview, **_context(card), "form": form}
    if missing:
        context["missing"] = missing
    if card.is_submitted:
        context["amend_form"] = AmendForm(scores=context["scores"])
    return render(request, "scoring/scorecard.html", context, status=status)


@require_POST
@permission_required("scoring.add_scorecard", raise_exception=True)
def amend(request, pk):
    interview = _interview_for_panelist(request, pk)
    if interview.status == InterviewStatus.CANCELLED:
        typed = "; ".join(t for t in (request.POST.get("text", "").strip(), request.POST.get("reason", "").strip()) if t)
        return refuse_cancelled(request, interview, typed=typed)
    card = scorecard_open(interview=interview, interviewer=request.user)
    context = {"interview": interview, **_context(card)}
    form = AmendForm(request.POST, scores=context["scores"])
    if not card.is_submitted:
        messages.info(request, "This scorecard is still a draft: change it on the live page.")
        return redirect("scoring:live", pk=interview.pk)
    if form.is_valid():
        try:
            made = scorecard_amend(scorecard=card, by=request.user, reason=form.cleaned_data["reason"], changes=form.change())
        except ScoreError as exc:
            form.add_error(None, str(exc))
        else:
            if made:
                messages.success(request, "Amendment saved; the old value is kept in the history below.")
                return redirect("scoring:scorecard", pk=interview.pk)
            # Refused in place, so the reason typed stays in the form.
            form.add_error(None, "That is the value already on the scorecard; nothing changed.")
    context.update(form=SubmitForm(), amend_form=form)
    return render(request, "scoring/scorecard.html", context, status=400)
