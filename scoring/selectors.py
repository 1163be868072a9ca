"""Reads for the debrief, comparison and calibration pages. Every function issues a fixed
number of queries, whatever the number of candidates, interviewers or scores."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import dateformat, timezone

from interviews.models import Interview, InterviewQuestion, InterviewStatus

from .models import RECOMMENDATION_POINTS, Amendment, QuestionScore, Recommendation, Scorecard, ScorecardStatus
from .scores import competency_scores
from .template_items import TemplateItems

HIRE_SIDE = {"yes", "strong_yes"}
RECOMMENDATION_LABELS = dict(Recommendation.choices)
DISAGREEMENT_GAP = 2


@dataclass(slots=True)
class DebriefRow(TemplateItems):
    """A question's row: its heading, one cell per scorecard (NO_SCORE where that scorecard has
    no score of the question), whether the scores are DISAGREEMENT_GAP or more apart, and its
    amendments. ``detail`` is the line under the title, written once here: the template read
    it from three lookups and a floatformat per row."""

    question: object  # DebriefQuestion
    cells: list = field(default_factory=list)  # one per scorecard: DebriefCell
    disagreement: bool = False
    amended: list = field(default_factory=list)  # when any: one list of DebriefAmendment per scorecard
    detail: str = ""  # "Evaluation · weight 1.50"


# The debrief reads plain rows (values_list) into these small records rather than model
# instances: building ~100 QuestionScore and ~100 InterviewQuestion instances (with their
# revisions) per page cost several ms of Python, for five fields each.
@dataclass(slots=True)
class DebriefInterview(TemplateItems):
    """An interview as the debrief shows it (a section heading; a missing scorecard's when)."""

    pk: int
    plan_name: str
    starts_at: datetime
    ends_at: datetime
    # When, as the page writes it, once per interview (the date filter costs ~25 µs a call):
    # "5 Jan" beside each recommendation, "Mon 5 Jan 2026, 09:00" over its section.
    day: str = ""
    when: str = ""


@dataclass(slots=True)
class DebriefQuestion(TemplateItems):
    """A row heading: an interview's question, titled as InterviewQuestion.title."""

    pk: int
    added_by_id: int | None
    title: str
    competency: str
    weight: Decimal
    phase: str = ""  # a design round's part: "Data", "Overall" (InterviewQuestion.phase_name)


@dataclass(slots=True)
class DebriefCell(TemplateItems):
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
    met: str = ""  # the criteria met, in words: "2 criteria met"; empty when none
    # Whether the notes run over several lines: only those go through linebreaksbr (~5 µs a
    # cell, ~0.5 ms of the page on the bench data), one line is the same text escaped.
    notes_multiline: bool = False


# A scorecard without a score of a row's question (another panellist's ad-hoc question) shows
# an empty cell, as an unscored question does: one shared record, never changed.
NO_SCORE = DebriefCell(None, None, None, False, "", [], "", "", Decimal(0))


def criteria_met_words(n):
    """How the debrief says how many of a question's criteria were met: "" for none."""
    if not n:
        return ""
    return f"{n} criterion met" if n == 1 else f"{n} criteria met"


def weight_text(weight):
    """A question's weight as the pages write it: "1" for a whole number, else two places
    ("1.50"), as the floatformat:"-2" filter did."""
    return f"{weight:.0f}" if weight == weight.to_integral_value() else f"{weight:.2f}"


@dataclass(slots=True)
class DebriefAmendment(TemplateItems):
    """A change to a submitted scorecard, in words, with who, when and why; ``after_reading``
    when it was made after its author could read colleagues' scorecards (after their own
    submit and after another panellist's scorecard of the candidate was submitted)."""

    scorecard_id: int
    question_id: int | None
    kind: str
    words: str  # the whole change: "score on ‘What AUC measures’: 4 (Excellent) → 3 (Good)"
    change: str  # old -> new alone: "4 (Excellent) → 3 (Good)"
    by: str
    at: datetime
    reason: str
    after_reading: bool


def person_name(user):
    """How the pages name people: the full name, else the username."""
    return user.get_full_name() or user.username


def debrief(candidate, user):
    """Everything the debrief page shows, from the scorecards ``user`` may see. Five queries:
    the visible scorecards, their scores, the interviews with their questions, the panellists
    still to submit, the decisions (and nothing per interview, scorecard or score); a sixth
    for the amendments when a scorecard has any; none for the decisions when ``user`` may not
    see them yet."""
    # The independence rule stays in this queryset (Scorecard.objects.visible_to), left out for
    # those who run the position (Position.is_run_by), who see every submitted scorecard of its
    # candidates: its subqueries cost ~3 ms of the page's ~32 ms on the bench data, mostly in
    # building the SQL. Scorecards of cancelled interviews are not shown and do not count
    # (docs/scoring.md, "What counts").
    runs_position = candidate.position.is_run_by(user)
    cards = list(
        (Scorecard.objects if runs_position else Scorecard.objects.visible_to(user))
        .submitted()
        .filter(interview__candidate=candidate)
        .exclude(interview__status=InterviewStatus.CANCELLED)
        .select_related("interviewer")
        .only("interview", "status", "recommendation", "summary", "submitted_at",
              "interviewer__username", "interviewer__first_name", "interviewer__last_name")
        .annotate(amended=Exists(Amendment.objects.filter(scorecard_id=OuterRef("pk"))))
        .order_by("interview__starts_at", "interviewer__username")
    )
    # The scores as rows, with their question's competency and weight (joined). order_by()
    # drops Meta.ordering's joins to the scorecard and interview, which nothing here needs.
    cells = {}
    for row in (
        QuestionScore.objects.filter(scorecard_id__in=[c.pk for c in cards]).order_by()
        .values_list("scorecard_id", "question_id", "score", "skipped", "skip_reason", "criteria_met", "notes",
                     "question__competency", "question__weight")
    ):
        cell = cells[row[0], row[1]] = DebriefCell(*row)
        if cell.criteria_met:
            cell.met = criteria_met_words(len(cell.criteria_met))
        if "\n" in cell.notes or "\r" in cell.notes:
            cell.notes_multiline = True
    interviews, questions = _interviews_and_questions(candidate)
    amendments = _amendments(cards, questions)
    by_interview = {i.pk: i for i in interviews}
    amended_recommendation = {a.scorecard_id for a in amendments if a.kind == "recommendation"}
    # Each scorecard's recommendation with who made it, in words, the interview it came from,
    # and whether it was amended: written once here for the list and its section's table (the
    # template's get_recommendation_display and name lookups cost ~0.3 ms for ten scorecards).
    by_card = {c.pk: {"card": c, "name": person_name(c.interviewer),
                      "label": RECOMMENDATION_LABELS.get(c.recommendation, c.recommendation),
                      "interview": by_interview.get(c.interview_id), "amended": c.pk in amended_recommendation}
               for c in cards}
    sections = []
    for interview in interviews:
        mine = [c for c in cards if c.interview_id == interview.pk]
        if not mine:
            continue
        mine_ids = {c.pk for c in mine}
        mine_interviewers = {c.interviewer_id for c in mine}
        rows = []
        for question in questions[interview.pk]:
            if question.added_by_id and question.added_by_id not in mine_interviewers:
                continue
            row_cells = [cells.get((card.pk, question.pk), NO_SCORE) for card in mine]
            scored = [c.score for c in row_cells if c.score]
            row = DebriefRow(question, row_cells, bool(scored) and max(scored) - min(scored) >= DISAGREEMENT_GAP,
                             detail=f"{question.competency} · weight {weight_text(question.weight)}")
            row_amendments = [[a for a in amendments if a.scorecard_id == card.pk and a.question_id == question.pk]
                              for card in mine] if amendments else []
            if any(row_amendments):
                row.amended = row_amendments
            rows.append(row)
        section_amendments = [a for a in amendments if a.scorecard_id in mine_ids]
        sections.append({"interview": interview, "cards": mine, "recommendations": [by_card[c.pk] for c in mine],
                         "rows": rows, "amendments": section_amendments,
                         "amended_recommendations": {a.scorecard_id for a in section_amendments
                                                     if a.kind == "recommendation"}})
    per_competency, overall = competency_scores((c.competency, c.weight, c.score) for c in cells.values())
    recommendations = [c.recommendation for c in cards]
    split = any(r in HIRE_SIDE for r in recommendations) and any(r not in HIRE_SIDE for r in recommendations)
    # Those who run the position have read every submitted scorecard: the panellists missing
    # are those without one among them.
    missing = _missing(interviews, {(c.interview_id, c.interviewer_id) for c in cards} if runs_position else None)
    # Finished scoring: a submitted scorecard of theirs here, and none of their seats missing.
    finished = any(c.interviewer_id == user.pk for c in cards) and not any(m["interviewer_id"] == user.pk
                                                                         for m in missing)
    # Decisions follow the independence rule: the decision and its rationale (which usually
    # quote the scores) are for those who run the position and for interviewers who have
    # finished scoring, never for one still forming their view.
    sees_decisions = finished or runs_position
    return {
        "cards": cards, "sections": sections, "per_competency": per_competency, "overall": overall,
        # The same scores as the page writes them, two places (as floatformat:2 did, once each here).
        "overall_text": f"{overall:.2f}" if overall is not None else "",
        "competency_rows": [(name, f"{value:.2f}") for name, value in per_competency.items()],
        "recommendation_split": split, "missing": missing,
        "recommendation_counts": {r: recommendations.count(r) for r in RECOMMENDATION_POINTS},
        "recommendations": list(by_card.values()),
        "viewer_finished": finished,
        "decisions_hidden": not sees_decisions,
        # Ordered as Decision.Meta without its leading "candidate" (a join to order by name).
        "decisions": list(candidate.decisions.select_related("by").order_by("-at", "-pk")) if sees_decisions else [],
    }


def _amendments(cards, questions):
    """The amendments of the scorecards that have any (one query, none when no scorecard was
    amended), in time order, each in words (DebriefAmendment)."""
    amended = [c for c in cards if c.amended]
    if not amended:
        return []
    titles = {q.pk: q.title for rows in questions.values() for q in rows}
    by_card = {c.pk: c for c in cards}
    result = []
    for a in (Amendment.objects.filter(scorecard_id__in=[c.pk for c in amended]).select_related("by")
              .only("scorecard_id", "at", "reason", "field", "old_value", "new_value",
                    "by__username", "by__first_name", "by__last_name")
              .order_by("at", "pk")):
        card = by_card[a.scorecard_id]
        # The first time a colleague's scorecard of this candidate could be read.
        others = [c.submitted_at for c in cards if c.interviewer_id != card.interviewer_id and c.submitted_at]
        after = bool(others) and card.submitted_at is not None and a.at > card.submitted_at and a.at > min(others)
        result.append(DebriefAmendment(a.scorecard_id, a.question_id, a.kind, a.in_words(titles.get(a.question_id, "")),
                                       a.change_in_words(), person_name(a.by), a.at, a.reason, after))
    return result


def _interviews_and_questions(candidate):
    """The candidate's interviews that were not cancelled, in time order, and each one's
    questions in order ({interview id: [DebriefQuestion]}), in one query: the interviews
    left-joined to their questions (an interview without questions still comes, once)."""
    interviews, questions = {}, defaultdict(list)
    for pk, plan_name, starts_at, minutes, *question in (
        candidate.interviews.exclude(status=InterviewStatus.CANCELLED)
        .order_by("starts_at", "pk", "questions__order", "questions__pk")
        # Each title in SQL as InterviewQuestion.title computes it: no revision rows are loaded.
        .values_list("pk", "plan_name", "starts_at", "duration_minutes", "questions__pk", "questions__added_by_id",
                     InterviewQuestion.title_expression("questions__"),
                     "questions__competency", "questions__weight", InterviewQuestion.phase_expression("questions__"))
    ):
        if pk not in interviews:
            local = timezone.localtime(starts_at)
            interviews[pk] = DebriefInterview(pk, plan_name, starts_at, starts_at + timedelta(minutes=minutes),
                                              dateformat.format(local, "j M"), dateformat.format(local, "D j M Y, H:i"))
        if question[0] is not None:
            questions[pk].append(DebriefQuestion(*question))
    return list(interviews.values()), questions


def _missing(interviews, submitted=None):
    """The panellists of these interviews who have not submitted their scorecard (whoever may
    see it), by name, with how overdue it is. One query on the panel table, in place of loading
    every interview's panel and scorecards. ``submitted``: the (interview id, interviewer id)
    of every submitted scorecard of these interviews, when the caller has read them all (those
    who run the position); the panel is then read as plain rows and compared here, without the
    subquery that asks for everyone else (~0.5 ms of building on the bench data)."""
    seats = Interview.interviewers.through.objects.filter(interview_id__in=[i.pk for i in interviews])
    if submitted is None:
        submitted = ()
        seats = seats.exclude(Exists(Scorecard.objects.filter(
            interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"), status=ScorecardStatus.SUBMITTED,
        )))
    waiting = defaultdict(list)
    for interview_id, user_id, username, first_name, last_name in seats.order_by("pk").values_list(
            "interview_id", "user_id", "user__username", "user__first_name", "user__last_name"):
        if (interview_id, user_id) not in submitted:
            # Named as person_name names a user.
            waiting[interview_id].append((user_id, f"{first_name} {last_name}".strip() or username))
    now = timezone.now()
    return [
        {"interview": interview, "interviewer_id": user_id, "name": name, "overdue": overdue(interview, now)}
        for interview in interviews for user_id, name in waiting[interview.pk]
    ]


def overdue(interview, now):
    """How long ago the interview ended (a timedelta), or None when it has not ended yet."""
    return now - interview.ends_at if interview.ends_at < now else None
