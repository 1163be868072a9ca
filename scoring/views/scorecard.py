"""The review-and-submit page of a scorecard, submitting it, and amending it once submitted.
Nothing of a cancelled interview is submitted or amended; a scorecard it already had is shown
read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from interviews.models import Interview

from ..forms import AmendForm, SubmitForm
from ..models import Scorecard, ScorecardIncomplete, Submitted
from ..scores import competency_scores
from ..services import ScoreError, missing_items, scorecard_amend, scorecard_open
from .live import interview_for_panelist, refuse_cancelled


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


def _render(request, interview, card, *, form=None, status=200):
    """The page: a draft with its submit form (``form`` as posted, when refused), a submitted
    scorecard with its amendment form."""
    context = {"interview": interview, **_context(card)}
    if card.is_submitted:
        context["amend_form"] = AmendForm(scores=context["scores"])
    else:
        context["form"] = form or SubmitForm(initial={"recommendation": card.recommendation, "summary": card.summary})
    return render(request, "scoring/scorecard.html", context, status=status)


@require_GET
@permission_required("scoring.add_scorecard", raise_exception=True)
def scorecard(request, pk):
    interview = interview_for_panelist(request, pk)
    if interview.is_cancelled:
        # Shown read-only if it exists; none is created.
        card = Scorecard.objects.filter(interview=interview, interviewer=request.user).first()
        if card is None:
            return refuse_cancelled(request, interview)
        return render(request, "scoring/scorecard.html", {"interview": interview, **_context(card), "cancelled": True})
    return _render(request, interview, scorecard_open(interview=interview, interviewer=request.user))


@require_POST
@permission_required("scoring.add_scorecard", raise_exception=True)
def submit(request, pk):
    # My scorecard with its interview, in one query, when I am on the interview's panel (as
    # Interview.objects.for_interviewer); without the candidate and position that
    # interview_for_panelist joins: a submit that succeeds only redirects (the page shown when
    # it is refused loads them then). One that exists got its score rows when it was opened
    # (scorecard_open; questions are pinned when the interview is scheduled, and an added
    # question brings its own row), so they are not checked again here. One query less than
    # reading the interview, then the card (docs/performance.md: the submit budget).
    card = (
        Scorecard.objects.select_related("interview")
        .filter(interview_id=pk, interviewer=request.user, interview__interviewers=request.user)
        .first()
    )
    interview = card.interview if card else get_object_or_404(Interview.objects.for_interviewer(request.user), pk=pk)
    if interview.is_cancelled:
        return refuse_cancelled(request, interview, typed=request.POST.get("summary", ""))
    if card is None:  # never opened: opened first (it gets its score rows), so it is submitted once
        card = scorecard_open(interview=interview, interviewer=request.user)
    if card.is_submitted:
        messages.info(request, "This scorecard was already submitted; it is read-only now.")
        return redirect("scoring:scorecard", pk=interview.pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            card.submit(**form.cleaned_data, by=request.user)
        except ValidationError as exc:  # Scorecard.clean: no recommendation or summary
            form.add_error(None, exc)
        except ScorecardIncomplete:
            # The page lists the questions still to do (missing_items, the same rule).
            messages.error(request, "Not submitted yet: score or skip (with a reason) every required question "
                                    "listed below.")
        except Submitted:
            messages.info(request, "This scorecard was already submitted; it is read-only now.")
            return redirect("scoring:scorecard", pk=interview.pk)
        else:
            messages.success(request, "Scorecard submitted. It is read-only now; amendments need a reason.")
            return redirect("scoring:scorecard", pk=interview.pk)
    return _render(request, interview, card, form=form, status=400)


@require_POST
@permission_required("scoring.add_scorecard", raise_exception=True)
def amend(request, pk):
    interview = interview_for_panelist(request, pk)
    if interview.is_cancelled:
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
