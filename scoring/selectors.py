"""Reads for the debrief, comparison and calibration pages. Every function issues a fixed
number of queries, whatever the number of candidates, interviewers or scores."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from interviews.models import InterviewQuestion, InterviewStatus

from .models import RECOMMENDATION_POINTS, QuestionScore, Scorecard, ScorecardStatus
from .scores import competency_scores

HIRE_SIDE = {"yes", "strong_yes"}
# What a page listing questions by title does not need of their revisions (the bulk of a row).
REVISION_TEXTS = [f"revision__{name}" for name in ("prompt", "why_we_ask", "model_answer", "key_points", "follow_ups",
                                                    "reference_solution", "coding_tests")]
DISAGREEMENT_GAP = 2


@dataclass
class DebriefRow:
    question: object
    cells: list = field(default_factory=list)  # one per scorecard: QuestionScore or None
    disagreement: bool = False


def latest_decision(candidate):
    return candidate.decisions.select_related("by").first()


def debrief(candidate, user):
    """Everything the debrief page shows, from the scorecards ``user`` may see."""
    cards = list(
        Scorecard.objects.visible_to(user)
        .submitted()
        .filter(interview__candidate=candidate)
        .select_related("interviewer", "interview")
        # Each score's question for its competency and weight; the titles come from the
        # interviews' questions below (loading a revision per score cost ~10 ms on a full panel).
        .prefetch_related(Prefetch("scores", queryset=QuestionScore.objects.select_related("question")))
        .order_by("interview__starts_at", "interviewer__username")
    )
    interviews = list(
        candidate.interviews.exclude(status=InterviewStatus.CANCELLED)
        .prefetch_related(
            "interviewers", "scorecards",
            # Only the revision's title is shown: its long texts and JSON are left in the database.
            Prefetch("questions", queryset=InterviewQuestion.objects.select_related("revision").defer(*REVISION_TEXTS)),
        )
        .order_by("starts_at")
    )
    sections = []
    for interview in interviews:
        mine = [c for c in cards if c.interview_id == interview.pk]
        rows = []
        for question in sorted(interview.questions.all(), key=lambda q: q.order):
            if question.added_for_id and question.added_for_id not in {c.pk for c in mine}:
                continue
            cells = []
            for card in mine:
                cells.append(next((s for s in card.scores.all() if s.question_id == question.pk), None))
            scored = [c.score for c in cells if c and c.score]
            rows.append(DebriefRow(question, cells, bool(scored) and max(scored) - min(scored) >= DISAGREEMENT_GAP))
        if mine:
            sections.append({"interview": interview, "cards": mine, "rows": rows})
    all_scores = [(s.question.competency, s.question.weight, s.score) for c in cards for s in c.scores.all()]
    per_competency, overall = competency_scores(all_scores)
    per_card = {
        c.pk: competency_scores((s.question.competency, s.question.weight, s.score) for s in c.scores.all())
        for c in cards
    }
    recommendations = [c.recommendation for c in cards]
    split = any(r in HIRE_SIDE for r in recommendations) and any(r not in HIRE_SIDE for r in recommendations)
    now = timezone.now()
    missing = []
    for interview in interviews:
        submitted = {c.interviewer_id for c in interview.scorecards.all() if c.status == ScorecardStatus.SUBMITTED}
        for person in interview.interviewers.all():
            if person.pk not in submitted:
                overdue = now - interview.ends_at if interview.ends_at < now else None
                missing.append({"interview": interview, "interviewer": person, "overdue": overdue})
    return {
        "cards": cards, "sections": sections, "per_competency": per_competency, "overall": overall,
        "per_card": per_card, "recommendation_split": split, "missing": missing,
        "recommendation_counts": {r: recommendations.count(r) for r in RECOMMENDATION_POINTS},
        "decisions": list(candidate.decisions.select_related("by")),
    }
