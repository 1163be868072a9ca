"""Calibration analytics: how each interviewer scores, and how each bank question behaves.

Only submitted scorecards count, company-wide: calibration is about interviewers and
questions, so nothing here reads or returns a candidate's name.

Six queries whatever the amount of data (see ``calibration_report``): plain aggregates are
``GROUP BY`` queries in PostgreSQL; the figures that need the scores of a whole panel or a
whole scorecard at once (leniency, discrimination, point-biserial, Krippendorff's alpha,
ICC) come from one pass in Python over one query's rows, streamed in interview order so
only one interview's scores are held at a time (plus the per-question pairs the
correlations need). The formulas are in ``scoring.stats``; the page explains each figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby
from operator import itemgetter

from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, OuterRef, Q, StdDev, Subquery
from django.urls import reverse
from django.utils import timezone

from interviews.models import InterviewQuestion, InterviewStatus
from questionbank.models import Area

from . import stats
from .models import RECOMMENDATION_POINTS, Decision, DecisionChoice, QuestionScore, Recommendation, Scorecard, ScorecardStatus

# --- Thresholds. A flag is raised only on a figure that is shown (enough data). ---------
RECENT_DAYS = 90
# A question asked in more than this many interviews in RECENT_DAYS has likely been
# discussed outside (interview reports, forums): treat it as possibly leaked.
OVEREXPOSED_INTERVIEWS = 25
TOO_EASY_MEAN = 3.5  # mean score above this: nearly everyone gets a 4
TOO_HARD_MEAN = 1.5  # mean score below this: nearly everyone gets a 1
LOW_RATER_AGREEMENT = 0.4  # Krippendorff's alpha or ICC below this: the rubric is read differently
# Item-rest correlation below this: the question barely tracks how the rest of the
# interview went (the usual rule of thumb in item analysis).
WEAK_DISCRIMINATION = 0.2
LENIENCY_GAP = 0.5  # points above or below co-panelists, on the 1-4 scale
LOW_DECISION_AGREEMENT = 0.5  # recommendations that match final decisions no better than a coin
SLOW_SUBMIT_HOURS = 48  # median hours from the interview's end to the submitted scorecard

HIRE_SIDE = frozenset({Recommendation.YES, Recommendation.STRONG_YES})
NO_HIRE_SIDE = frozenset({Recommendation.NO, Recommendation.STRONG_NO})
RECOMMENDATION_ORDER = list(RECOMMENDATION_POINTS)  # strong_no, no, yes, strong_yes
ICC_NOTE = (
    "ICC(2,1) needs a complete table: the same interviewers scoring the question in every "
    "interview. It is computed on the panel that scored the question most often, and shown "
    f"once that panel has {stats.MIN_SAMPLE['icc']}+ interviews; otherwise read Krippendorff's "
    "alpha, which allows any panel."
)


class HoursAfterEnd(Func):
    """Hours from an interview's end (starts_at + duration_minutes) to a timestamp, as
    ``(EXTRACT(EPOCH FROM (submitted_at - starts_at)) / 60 - duration_minutes) / 60``."""

    output_field = FloatField()

    def __init__(self, at, starts_at, duration_minutes):
        super().__init__(at, starts_at, duration_minutes)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, more = compiler.compile(expression)
            parts.append(sql)
            params.extend(more)
        return "((EXTRACT(EPOCH FROM (%s - %s)) / 60.0 - %s) / 60.0)" % tuple(parts), params


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY x)``: the same median as
    ``stats.median`` (the mean of the two middle values for an even count)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Figure:
    """One computed figure with the number of data points it rests on. It is shown only
    when ``stats.enough(n, kind)``; otherwise the page says how many it needs."""

    value: float | None
    n: int
    kind: str  # a key of stats.MIN_SAMPLE
    style: str = "plain"  # plain | signed | percent | hours

    @property
    def need(self):
        return stats.MIN_SAMPLE[self.kind]

    @property
    def shown(self):
        return self.value is not None and stats.enough(self.n, self.kind)

    @property
    def text(self):
        if not self.shown:
            return "—"
        if self.style == "signed":
            return f"{self.value:+.2f}".replace("-", "−")
        if self.style == "percent":
            return f"{self.value:.0%}"
        if self.style == "hours":
            return f"{self.value:.1f} h".replace("-", "−")
        return f"{self.value:.2f}".replace("-", "−")

    @property
    def note(self):
        if not stats.enough(self.n, self.kind):
            return f"n={self.n}, needs {self.need}"
        if self.value is None:
            return f"n={self.n}, undefined (no spread)"
        return f"n={self.n}"


@dataclass
class InterviewerRow:
    user_id: int
    name: str
    scorecards: int
    median_hours: Figure
    mean: Figure
    spread: Figure
    recommendations: list  # [(value, label, count)] in scale order
    leniency: Figure
    agreement: Figure
    flags: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"interviewer-{self.user_id}"


@dataclass
class QuestionRow:
    question_id: int
    slug: str
    title: str
    area: str
    used_recent: int
    used_all: int
    mean: Figure
    spread: Figure
    discrimination: Figure
    point_biserial: Figure
    alpha: Figure
    icc: Figure
    icc_raters: int = 0
    flags: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"question-{self.slug}"

    @property
    def url(self):
        return reverse("questionbank:detail", args=[self.slug])


def calibration_report(*, now=None):
    """Everything the calibration page shows. Six queries:

    1. per interviewer, from submitted scorecards: count, median hours to submit,
       recommendation counts, and agreement with the candidate's latest decision (a
       correlated subquery per scorecard on the ``scoring_decision_latest`` index);
    2. per interviewer, from their question scores: count, mean, sample standard deviation;
    3. per bank question: distinct interviews it was pinned in, in the last RECENT_DAYS and
       all time (cancelled and not-yet-started interviews excluded);
    4. per bank question: count, mean, sample standard deviation of its scores;
    5. the latest decision of every decided candidate (DISTINCT ON candidate);
    6. every score of a submitted scorecard as a tuple, in interview order, for the
       leniency / discrimination / point-biserial / alpha / ICC pass.
    """
    now = now or timezone.now()
    cards = _interviewer_card_aggregates()
    scores = _interviewer_score_aggregates()
    usage = _question_usage(now)
    question_scores = _question_score_aggregates()
    decisions = dict(
        Decision.objects.order_by("candidate_id", "-at", "-pk").distinct("candidate_id").values_list("candidate_id", "decision")
    )
    panel = panel_figures(_score_rows(), decisions)

    interviewers = [_interviewer_row(card, scores.get(card["interviewer_id"]), panel) for card in cards]
    interviewers.sort(key=lambda r: (-len(r.flags), -abs(r.leniency.value) if r.leniency.shown else 0, r.name.lower()))

    questions = []
    for question_id, info in usage.items():
        aggregate = question_scores.get(question_id, {})
        if not info["used_all"] and not aggregate.get("n"):
            continue  # only pinned in interviews still to come
        questions.append(_question_row(question_id, info, aggregate, panel))
    questions.sort(key=lambda r: (-len(r.flags), -r.used_recent, r.title.lower()))

    return {
        "interviewers": interviewers,
        "questions": questions,
        "attention": _attention(interviewers, questions),
        "total_scorecards": sum(r.scorecards for r in interviewers),
        "total_scores": sum(r.mean.n for r in interviewers),
        "recommendation_labels": [(value, Recommendation(value).label) for value in RECOMMENDATION_ORDER],
        "thresholds": {
            "recent_days": RECENT_DAYS, "overexposed": OVEREXPOSED_INTERVIEWS, "too_easy": TOO_EASY_MEAN,
            "too_hard": TOO_HARD_MEAN, "low_rater_agreement": LOW_RATER_AGREEMENT,
            "weak_discrimination": WEAK_DISCRIMINATION, "leniency_gap": LENIENCY_GAP,
            "low_decision_agreement": LOW_DECISION_AGREEMENT, "slow_submit_hours": SLOW_SUBMIT_HOURS,
        },
        "min_sample": stats.MIN_SAMPLE,
        "icc_note": ICC_NOTE,
    }


# --- The queries -----------------------------------------------------------------------

def _interviewer_card_aggregates():
    latest_decision = Subquery(
        Decision.objects.filter(candidate_id=OuterRef("interview__candidate_id")).order_by("-at", "-pk").values("decision")[:1]
    )
    decided = Q(final_decision__in=[DecisionChoice.HIRE, DecisionChoice.NO_HIRE]) & Q(
        recommendation__in=HIRE_SIDE | NO_HIRE_SIDE)
    agreed = (Q(final_decision=DecisionChoice.HIRE) & Q(recommendation__in=HIRE_SIDE)) | (
        Q(final_decision=DecisionChoice.NO_HIRE) & Q(recommendation__in=NO_HIRE_SIDE))
    per_recommendation = {
        f"rec_{value}": Count("pk", filter=Q(recommendation=value)) for value in RECOMMENDATION_ORDER
    }
    return list(
        Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED)
        .annotate(final_decision=latest_decision)
        .values("interviewer_id", "interviewer__username", "interviewer__first_name", "interviewer__last_name")
        .annotate(
            scorecards=Count("pk"),
            median_hours=Median(HoursAfterEnd(F("submitted_at"), F("interview__starts_at"), F("interview__duration_minutes"))),
            timed=Count("submitted_at"),
            decided=Count("pk", filter=decided),
            agreed=Count("pk", filter=agreed),
            **per_recommendation,
        )
        .order_by()
    )


def _interviewer_score_aggregates():
    rows = (
        QuestionScore.objects.filter(scorecard__status=ScorecardStatus.SUBMITTED, score__isnull=False)
        .values("scorecard__interviewer_id")
        .annotate(n=Count("score"), mean=Avg("score"), sd=StdDev("score", sample=True))
        .order_by()
    )
    return {row["scorecard__interviewer_id"]: row for row in rows}


def _question_usage(now):
    """Distinct interviews each bank question was pinned in (or added to, ad hoc): interviews
    that have started and were not cancelled."""
    happened = Q(interview__starts_at__lte=now) & ~Q(interview__status=InterviewStatus.CANCELLED)
    recent = happened & Q(interview__starts_at__gte=now - timedelta(days=RECENT_DAYS))
    rows = (
        InterviewQuestion.objects.filter(revision__isnull=False)
        .values("revision__question_id", "revision__question__slug", "revision__question__title", "revision__question__area")
        .annotate(
            used_all=Count("interview_id", distinct=True, filter=happened),
            used_recent=Count("interview_id", distinct=True, filter=recent),
        )
        .order_by()
    )
    return {row["revision__question_id"]: row for row in rows}


def _question_score_aggregates():
    rows = (
        QuestionScore.objects.filter(
            scorecard__status=ScorecardStatus.SUBMITTED, score__isnull=False, question__revision__isnull=False
        )
        .values("question__revision__question_id")
        .annotate(n=Count("score"), mean=Avg("score"), sd=StdDev("score", sample=True))
        .order_by()
    )
    return {row["question__revision__question_id"]: row for row in rows}


SCORE_ROW = ("interview_id", "candidate_id", "scorecard_id", "interviewer_id", "interview_question_id", "bank_question_id", "score")


def _score_rows():
    """Every score of a submitted scorecard as a SCORE_ROW tuple, in interview order, streamed
    from a server-side cursor. Ad-hoc free-text questions have bank_question_id None."""
    return (
        QuestionScore.objects.filter(scorecard__status=ScorecardStatus.SUBMITTED, score__isnull=False)
        .order_by("scorecard__interview_id")
        .values_list(
            "scorecard__interview_id", "scorecard__interview__candidate_id", "scorecard_id", "scorecard__interviewer_id",
            "question_id", "question__revision__question_id", "score",
        )
        .iterator(chunk_size=5000)
    )


# --- The one pass over the scores --------------------------------------------------------

@dataclass
class PanelFigures:
    """Per interviewer: their score minus the co-panelists' mean on the same interview
    question. Per bank question: (score, rest-of-scorecard mean) pairs, (hired 0/1, score)
    pairs, alpha units (the panel's scores of one interview question), and ICC rows grouped
    by the exact set of raters."""

    leniency: dict = field(default_factory=lambda: defaultdict(list))
    discrimination: dict = field(default_factory=lambda: defaultdict(list))
    hire: dict = field(default_factory=lambda: defaultdict(list))
    units: dict = field(default_factory=lambda: defaultdict(list))
    panels: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def panel_figures(rows, decisions):
    """One pass over SCORE_ROW tuples sorted by interview; ``decisions`` maps candidate id to
    the latest decision. Every figure that compares scores within an interview comes from
    here, and only one interview's rows are held at a time."""
    out = PanelFigures()
    for _interview_id, group in groupby(rows, key=itemgetter(0)):
        group = list(group)
        hired = {DecisionChoice.HIRE: 1, DecisionChoice.NO_HIRE: 0}.get(decisions.get(group[0][1]))
        by_card = defaultdict(list)
        by_question = defaultdict(list)
        for _, _, card, interviewer, question, bank_question, score in group:
            by_card[card].append((bank_question, score))
            by_question[(question, bank_question)].append((interviewer, score))
            if bank_question is not None and hired is not None:
                out.hire[bank_question].append((hired, score))
        # Discrimination: each score against the mean of the rest of its scorecard.
        for items in by_card.values():
            if len(items) < 2:
                continue
            total = sum(score for _, score in items)
            for bank_question, score in items:
                if bank_question is not None:
                    out.discrimination[bank_question].append((score, (total - score) / (len(items) - 1)))
        # Leniency and inter-rater agreement: the panel's scores of one pinned question.
        for (_, bank_question), ratings in by_question.items():
            if len(ratings) < 2:
                continue
            total = sum(score for _, score in ratings)
            for interviewer, score in ratings:
                out.leniency[interviewer].append(score - (total - score) / (len(ratings) - 1))
            if bank_question is not None:
                out.units[bank_question].append([score for _, score in ratings])
                ratings = sorted(ratings)
                out.panels[bank_question][tuple(i for i, _ in ratings)].append([score for _, score in ratings])
    return out


def _icc(panels):
    """ICC(2,1) on the complete table of the panel (exact set of raters) that scored the
    question in the most interviews; ties go to the larger panel. Returns (value, n, k)."""
    if not panels:
        return None, 0, 0
    raters, rows = max(panels.items(), key=lambda item: (len(item[1]), len(item[0])))
    return stats.icc_2_1(rows), len(rows), len(raters)


# --- Rows and flags ----------------------------------------------------------------------

def _name(card):
    full = f"{card['interviewer__first_name']} {card['interviewer__last_name']}".strip()
    return full or card["interviewer__username"]


def _interviewer_row(card, scores, panel):
    scores = scores or {"n": 0, "mean": None, "sd": None}
    differences = panel.leniency.get(card["interviewer_id"], [])
    row = InterviewerRow(
        user_id=card["interviewer_id"],
        name=_name(card),
        scorecards=card["scorecards"],
        median_hours=Figure(card["median_hours"], card["timed"], "median", "hours"),
        mean=Figure(scores["mean"], scores["n"], "mean"),
        spread=Figure(scores["sd"], scores["n"], "spread"),
        recommendations=[(v, Recommendation(v).label, card[f"rec_{v}"]) for v in RECOMMENDATION_ORDER],
        leniency=Figure(stats.mean(differences), len(differences), "leniency", "signed"),
        agreement=Figure(card["agreed"] / card["decided"] if card["decided"] else None, card["decided"], "agreement", "percent"),
    )
    if row.leniency.shown and abs(row.leniency.value) >= LENIENCY_GAP:
        row.flags.append("Scores higher than co-panelists" if row.leniency.value > 0 else "Scores lower than co-panelists")
    if row.agreement.shown and row.agreement.value < LOW_DECISION_AGREEMENT:
        row.flags.append("Often disagrees with final decisions")
    if row.median_hours.shown and row.median_hours.value > SLOW_SUBMIT_HOURS:
        row.flags.append("Slow to submit")
    return row


def _question_row(question_id, info, aggregate, panel):
    discrimination = panel.discrimination.get(question_id, [])
    hire = panel.hire.get(question_id, [])
    units = panel.units.get(question_id, [])
    icc, icc_n, icc_k = _icc(panel.panels.get(question_id))
    row = QuestionRow(
        question_id=question_id,
        slug=info["revision__question__slug"],
        title=info["revision__question__title"] or info["revision__question__slug"],
        area=Area(info["revision__question__area"]).label if info["revision__question__area"] in Area.values else "",
        used_recent=info["used_recent"],
        used_all=info["used_all"],
        mean=Figure(aggregate.get("mean"), aggregate.get("n", 0), "mean"),
        spread=Figure(aggregate.get("sd"), aggregate.get("n", 0), "spread"),
        discrimination=Figure(stats.pearson(*zip(*discrimination)) if discrimination else None, len(discrimination),
                              "correlation", "signed"),
        point_biserial=Figure(stats.pearson(*zip(*hire)) if hire else None, len(hire), "correlation", "signed"),
        alpha=Figure(stats.krippendorff_alpha_interval(units), len(units), "alpha"),
        icc=Figure(icc, icc_n, "icc"),
        icc_raters=icc_k,
    )
    if row.used_recent > OVEREXPOSED_INTERVIEWS:
        row.flags.append("Overexposed, may have leaked")
    if row.mean.shown and row.mean.value > TOO_EASY_MEAN:
        row.flags.append("Too easy")
    if row.mean.shown and row.mean.value < TOO_HARD_MEAN:
        row.flags.append("Too hard")
    if (row.alpha.shown and row.alpha.value < LOW_RATER_AGREEMENT) or (row.icc.shown and row.icc.value < LOW_RATER_AGREEMENT):
        row.flags.append("Raters disagree")
    if row.discrimination.shown and row.discrimination.value < WEAK_DISCRIMINATION:
        row.flags.append("Weak discrimination")
    return row


def _attention(interviewers, questions):
    """The short summary at the top: one line per interviewer flag, one line per kind of
    question flag (naming up to five questions, which link to their rows)."""
    lines = []
    groups = [
        ("Overexposed, may have leaked", "{n} question{s} may have leaked: used in more than {t} interviews in {d} days",
         OVEREXPOSED_INTERVIEWS),
        ("Raters disagree", "{n} question{s} scored inconsistently by the panel (agreement below {t})", LOW_RATER_AGREEMENT),
        ("Too easy", "{n} question{s} may be too easy (mean score above {t})", TOO_EASY_MEAN),
        ("Too hard", "{n} question{s} may be too hard (mean score below {t})", TOO_HARD_MEAN),
        ("Weak discrimination", "{n} question{s} barely track{v} the rest of the interview (discrimination below {t})",
         WEAK_DISCRIMINATION),
    ]
    for flag, template, threshold in groups:
        flagged = [q for q in questions if flag in q.flags]
        if flagged:
            text = template.format(n=len(flagged), s="" if len(flagged) == 1 else "s", v="s" if len(flagged) == 1 else "",
                                   t=threshold, d=RECENT_DAYS)
            lines.append({"text": text, "anchor": "", "links": [(q.title, q.anchor) for q in flagged[:5]],
                          "more": max(0, len(flagged) - 5)})
    for row in interviewers:
        if row.leniency.shown and abs(row.leniency.value) >= LENIENCY_GAP:
            side = "higher" if row.leniency.value > 0 else "lower"
            text = f"{row.name} scores {abs(row.leniency.value):.1f} {side} than co-panelists on the same questions"
            lines.append({"text": text, "anchor": row.anchor, "links": [], "more": 0})
        if row.agreement.shown and row.agreement.value < LOW_DECISION_AGREEMENT:
            text = f"{row.name}'s recommendations match the final decision only {row.agreement.value:.0%} of the time"
            lines.append({"text": text, "anchor": row.anchor, "links": [], "more": 0})
        if row.median_hours.shown and row.median_hours.value > SLOW_SUBMIT_HOURS:
            text = f"{row.name} takes a median {row.median_hours.value:.0f} hours after the interview to submit"
            lines.append({"text": text, "anchor": row.anchor, "links": [], "more": 0})
    return lines

