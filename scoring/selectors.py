"""Reads for the debrief, comparison and calibration pages. Every function issues a fixed
number of queries, whatever the number of candidates, interviewers or scores."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Coalesce, Left
from django.utils import timezone

from interviews.models import Interview, InterviewStatus

from .models import RECOMMENDATION_POINTS, QuestionScore, Scorecard, ScorecardStatus
from .scores import competency_scores

HIRE_SIDE = {"yes", "strong_yes"}
DISAGREEMENT_GAP = 2


@dataclass
class DebriefRow:
    question: object  # DebriefQuestion
    cells: list = field(default_factory=list)  # one per scorecard: DebriefCell or None
    disagreement: bool = False


# The debrief reads plain rows (values_list) into these small records rather than model
# instances: building ~100 QuestionScore and ~100 InterviewQuestion instances (with their
# revisions) per page cost several ms of Python, for five fields each.
@dataclass(slots=True)
class DebriefInterview:
    """An interview as the debrief shows it (a section heading; a missing scorecard's when)."""

    pk: int
    plan_name: str
    starts_at: datetime
    ends_at: datetime


@dataclass(slots=True)
class DebriefQuestion:
    """A row heading: an interview's question, titled as InterviewQuestion.title."""

    pk: int
    added_for_id: int | None
    title: str
    competency: str
    weight: Decimal


@dataclass(slots=True)
class DebriefCell:
    """One scorecard's score of one question (the fields of QuestionScore the debrief shows)."""

    scorecard_id: int
    question_id: int
    score: int | None
    skipped: bool
    skip_reason: str
    criteria_met: list
    notes: str
    competency: str
    weight: Decimal


def debrief(candidate, user):
    """Everything the debrief page shows, from the scorecards ``user`` may see. Five queries:
    the visible scorecards, their scores, the interviews with their questions, the panellists
    still to submit, the decisions (and nothing per interview, scorecard or score)."""
    # The independence rule stays in this queryset (Scorecard.objects.visible_to).
    cards = list(
        Scorecard.objects.visible_to(user)
        .submitted()
        .filter(interview__candidate=candidate)
        .select_related("interviewer")
        .only("interview", "status", "recommendation", "summary",
              "interviewer__username", "interviewer__first_name", "interviewer__last_name")
        .order_by("interview__starts_at", "interviewer__username")
    )
    # The scores as rows, with their question's competency and weight (joined; a scorecard of
    # a cancelled interview still counts in the totals). order_by() drops Meta.ordering's
    # joins to the scorecard and interview, which nothing here needs.
    cells = {}
    for row in (
        QuestionScore.objects.filter(scorecard_id__in=[c.pk for c in cards]).order_by()
        .values_list("scorecard_id", "question_id", "score", "skipped", "skip_reason", "criteria_met", "notes",
                     "question__competency", "question__weight")
    ):
        cells[row[0], row[1]] = DebriefCell(*row)
    interviews, questions = _interviews_and_questions(candidate)
    sections = []
    for interview in interviews:
        mine = [c for c in cards if c.interview_id == interview.pk]
        if not mine:
            continue
        mine_ids = {c.pk for c in mine}
        rows = []
        for question in questions[interview.pk]:
            if question.added_for_id and question.added_for_id not in mine_ids:
                continue
            row_cells = [cells.get((card.pk, question.pk)) for card in mine]
            scored = [c.score for c in row_cells if c and c.score]
            rows.append(DebriefRow(question, row_cells, bool(scored) and max(scored) - min(scored) >= DISAGREEMENT_GAP))
        sections.append({"interview": interview, "cards": mine, "rows": rows})
    per_competency, overall = competency_scores((c.competency, c.weight, c.score) for c in cells.values())
    by_card = defaultdict(list)
    for c in cells.values():
        by_card[c.scorecard_id].append((c.competency, c.weight, c.score))
    per_card = {c.pk: competency_scores(by_card[c.pk]) for c in cards}
    recommendations = [c.recommendation for c in cards]
    split = any(r in HIRE_SIDE for r in recommendations) and any(r not in HIRE_SIDE for r in recommendations)
    return {
        "cards": cards, "sections": sections, "per_competency": per_competency, "overall": overall,
        "per_card": per_card, "recommendation_split": split, "missing": _missing(interviews),
        "recommendation_counts": {r: recommendations.count(r) for r in RECOMMENDATION_POINTS},
        # Ordered as Decision.Meta without its leading "candidate" (a join to order by name).
        "decisions": list(candidate.decisions.select_related("by").order_by("-at", "-pk")),
    }


def _interviews_and_questions(candidate):
    """The candidate's interviews that were not cancelled, in time order, and each one's
    questions in order ({interview id: [DebriefQuestion]}), in one query: the interviews
    left-joined to their questions (an interview without questions still comes, once)."""
    interviews, questions = {}, defaultdict(list)
    for pk, plan_name, starts_at, minutes, *question in (
        candidate.interviews.exclude(status=InterviewStatus.CANCELLED)
        .order_by("starts_at", "pk", "questions__order", "questions__pk")
        # Each title in SQL as InterviewQuestion.title computes it (the revision's title, else
        # the free text's first 80 characters): no revision rows are loaded.
        .values_list("pk", "plan_name", "starts_at", "duration_minutes", "questions__pk", "questions__added_for_id",
                     Coalesce("questions__revision__title", Left("questions__free_text", 80), output_field=CharField()),
                     "questions__competency", "questions__weight")
    ):
        if pk not in interviews:
            interviews[pk] = DebriefInterview(pk, plan_name, starts_at, starts_at + timedelta(minutes=minutes))
        if question[0] is not None:
            questions[pk].append(DebriefQuestion(*question))
    return list(interviews.values()), questions


def _missing(interviews):
    """The panellists of these interviews who have not submitted their scorecard (whoever may
    see it), with how overdue it is. One query on the panel table, in place of loading every
    interview's panel and scorecards."""
    panel = Interview.interviewers.through
    submitted = Scorecard.objects.filter(interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"),
                                         status=ScorecardStatus.SUBMITTED)
    waiting = defaultdict(list)
    for seat in (
        panel.objects.filter(interview__in=[i.pk for i in interviews]).exclude(Exists(submitted))
        .select_related("user").order_by("pk")
    ):
        waiting[seat.interview_id].append(seat.user)
    now = timezone.now()
    return [
        {"interview": interview, "interviewer": person, "overdue": overdue(interview, now)}
        for interview in interviews for person in waiting[interview.pk]
    ]


def overdue(interview, now):
    """How long ago the interview ended (a timedelta), or None when it has not ended yet."""
    return now - interview.ends_at if interview.ends_at < now else None
