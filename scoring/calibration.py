"""Calibration analytics: how each interviewer scores, and how each bank question behaves.

Only submitted scorecards count, company-wide: calibration is about interviewers and
questions, so nothing here reads or returns a candidate's name.

Every figure is an aggregate computed by PostgreSQL from the scores
(``scoring.calibration_queries``, three queries whatever the amount of data): counts, means,
SDs and the median by ``GROUP BY``; the figures that compare scores within a panel or a
scorecard (leniency, discrimination, point-biserial, the sums of Krippendorff's alpha) by
joining each score to its panel's and scorecard's totals, then ``GROUP BY`` again. No score
row is sent to Python; only ICC(2,1) is finished in Python, on the one small table of the
panel that scored a question most often. Each figure equals its ``scoring.stats`` definition
on the same data (the tests check this); the page explains each figure.

Those queries take about a second on the bench's 200,000 scores, so the page does not run
them: ``calibration_refresh`` does, in the worker every minute when the data changed, and
stores the result (``CalibrationSnapshot``); the page reads it and says when it was computed.
A filtered view (a position, a period, an interviewer) and an interviewer's own page run the
same statements in the request, on the interviews they select (``calibration_queries.Subset``):
fewer rows, and no second implementation of any figure. This module computes and stores the
figures and turns them into the page's rows, flags, intervals, sentences and summary.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from config.database import custom_plans
from questionbank.models import Area, Question

from . import calibration_queries as queries
from . import readings, stats
from .charts import leniency_chart
from .links import link_maker
from .models import RECOMMENDATION_POINTS, CalibrationSnapshot, Recommendation, Scorecard, ScorecardStatus
from .template_items import TemplateItems
from .wear import MIN_SIDE, wear

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

RECOMMENDATION_ORDER = list(RECOMMENDATION_POINTS)  # strong_no, no, yes, strong_yes
# Looked up once: Area.values and Area(...) rebuild their lists on every call, which cost
# ~20 ms per page with a thousand questions.
AREA_LABELS = dict(Area.choices)
ICC_NOTE = (
    "ICC(2,1) needs a complete table: the same interviewers scoring the question in every "
    "interview. It is computed on the panel that scored the question most often, and shown "
    f"once that panel has {stats.MIN_SAMPLE['icc']}+ interviews; otherwise read Krippendorff's "
    "alpha, which allows any panel."
)


@dataclass(frozen=True)
class Figure(TemplateItems):
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
        value = round(self.value, 2) + 0.0  # no "−0.00"
        if self.style == "signed":
            return f"{value:+.2f}".replace("-", "−")
        if self.style == "percent":
            return f"{self.value:.0%}"
        if self.style == "hours":
            return f"{round(self.value, 1) + 0.0:.1f} h".replace("-", "−")
        return f"{value:.2f}".replace("-", "−")

    @property
    def note(self):
        if not stats.enough(self.n, self.kind):
            return f"n={self.n}, needs {self.need}"
        if self.value is None:
            return f"n={self.n}, undefined (no spread)"
        return f"n={self.n}"


@dataclass
class InterviewerRow(TemplateItems):
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
    # Leniency's 95% interval (stats.clustered_mean_interval_from_sums) and the shared
    # interviews it rests on; shown once those reach MIN_SAMPLE["interval"].
    leniency_interviews: int = 0
    leniency_low: float | None = None
    leniency_high: float | None = None

    @property
    def anchor(self):
        return f"interviewer-{self.user_id}"

    @property
    def interval_shown(self):
        return (self.leniency.shown and self.leniency_low is not None
                and stats.enough(self.leniency_interviews, "interval"))

    @property
    def interval_text(self):
        if not self.interval_shown:
            return ""
        return f"{readings.number(self.leniency_low, 2)} to {readings.number(self.leniency_high, 2)}"

    def reading(self, *, you=False):
        """The leniency in one sentence (readings.leniency_sentence), or "" below its minimum."""
        if not self.leniency.shown:
            return ""
        shown = self.interval_shown
        return readings.leniency_sentence(
            name=self.name, value=self.leniency.value, questions=self.leniency.n, interviews=self.leniency_interviews,
            low=self.leniency_low if shown else None, high=self.leniency_high if shown else None, you=you)

    @property
    def sentence(self):
        return self.reading()


@dataclass
class QuestionRow(TemplateItems):
    question_id: int
    slug: str
    url: str
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
    phase: int | None = None  # one phase of a design round scored per phase

    @property
    def anchor(self):
        return f"question-{self.slug}" if self.phase is None else f"question-{self.slug}-phase-{self.phase + 1}"

    @property
    def sentences(self):
        """Its shown figures read in plain sentences (readings): difficulty, discrimination,
        and rater agreement (alpha, or ICC where alpha is not shown)."""
        out = []
        if self.mean.shown:
            flag = next((f for f in ("Too easy", "Too hard") if f in self.flags), None)
            out.append(readings.difficulty_sentence(mean=self.mean.value, n=self.mean.n, flag=flag))
        if self.discrimination.shown:
            out.append(readings.discrimination_sentence(value=self.discrimination.value, n=self.discrimination.n,
                                                        weak=self.discrimination.value < WEAK_DISCRIMINATION))
        agreement = self.alpha if self.alpha.shown else self.icc if self.icc.shown else None
        if agreement is not None:
            out.append(readings.agreement_sentence(value=agreement.value, n=agreement.n,
                                                   kind="alpha" if agreement is self.alpha else "icc",
                                                   low=agreement.value < LOW_RATER_AGREEMENT))
        return out


def calibration_figures(*, now=None, subset=queries.EVERYTHING):
    """What the page is built from, as PostgreSQL computes it from every submitted scorecard
    (``scoring.calibration_queries``, three statements, about a second on the bench's 200,000
    scores), in a form JSON keeps (stored by ``calibration_refresh``):

    1. per interviewer, from submitted scorecards (GROUP BY interviewer): count, median hours
       to submit (percentile_cont), recommendation counts, and agreement with the
       candidate's latest decision;
    2. the score figures, from every submitted score: per interviewer, from their question
       scores: count, mean, sample SD, and leniency (each score against the co-panelists' mean
       on the same interview question); per bank question: count, mean, sample SD,
       discrimination and point-biserial (CORR), Krippendorff's alpha, and ICC(2,1) on the
       panel that scored it most often;
    3. per bank question: distinct interviews it was pinned in, in the last RECENT_DAYS and
       all time (cancelled and not-yet-started interviews left out);
    4. per bank question scored in enough interviews to test, the wear signal
       (``scoring.wear``) on its history: the exposure page's flags, sorting and filter need
       every question's verdict, not one page's, so it is computed here, in the background
       (for every interview only: the filtered page does not show it).

    ``subset`` (a ``calibration_queries.Subset``) limits 1-3 to some interviews: the
    filtered page runs the same statements on them in its request.
    """
    now = now or timezone.now()
    scores, figures = queries.score_figures(subset)
    return {
        "wear": [{"question_id": pk, **wear(uses).as_dict()} for pk, uses in queries.question_uses().items()
                 if len(uses) >= 2 * MIN_SIDE] if subset is queries.EVERYTHING else [],
        "cards": queries.interviewer_card_figures(subset),
        "scores": [{"interviewer_id": pk, **row} for pk, row in scores.items()],
        "figures": [{"question_id": pk, "phase": phase, **row} for (pk, phase), row in figures.items()],
        "usage": list(queries.question_usage(now, now - timedelta(days=RECENT_DAYS), subset).values()),
    }


def calibration_refresh(*, force=False):
    """The stored snapshot of the figures, computed again first when what they read has
    changed since (``calibration_queries.generation``), or when ``force``. Run every minute
    by the worker (scoring/tasks.py) and by ``manage.py calibration_refresh``; costs eight
    small queries when nothing changed (the fingerprint's aggregates and the snapshot). The fingerprint is taken before the figures, so a change
    committed while they are computed leaves an older fingerprint: the next run computes again."""
    generation = queries.generation()
    snapshot = CalibrationSnapshot.objects.filter(pk=CalibrationSnapshot.ONLY).first()
    if snapshot is not None and snapshot.generation == generation and not force:
        return snapshot
    started = time.monotonic()
    with custom_plans():  # the worker runs them every minute: never with a generic plan
        figures = calibration_figures()
    snapshot, _ = CalibrationSnapshot.objects.update_or_create(
        pk=CalibrationSnapshot.ONLY,
        defaults={"generation": generation, "figures": figures, "computed_at": timezone.now(),
                  "seconds": round(time.monotonic() - started, 3)},
    )
    question_difficulty_write(figures)
    return snapshot


def question_difficulty_write(figures):
    """Copy each bank question's mean score and its count (the question as a whole, not a
    phase) onto ``Question.difficulty``/``difficulty_n``, where a question pool reads them at
    scheduling (interviews/pools.py: interviews sits below scoring, so it reads the bank, not
    this snapshot). Writes only the questions whose figures changed; three queries."""
    wanted = {row["question_id"]: (row["mean"], row["n"])
              for row in figures["figures"] if row.get("phase") is None and row.get("n")}
    Question.objects.filter(difficulty_n__gt=0).exclude(pk__in=wanted).update(difficulty=None, difficulty_n=0)
    changed = []
    for question in Question.objects.filter(pk__in=wanted).only("pk", "difficulty", "difficulty_n"):
        if (question.difficulty, question.difficulty_n) != wanted[question.pk]:
            question.difficulty, question.difficulty_n = wanted[question.pk]
            changed.append(question)
    Question.objects.bulk_update(changed, ["difficulty", "difficulty_n"], batch_size=1000)


def calibration_snapshot():
    """The figures the page shows: the stored snapshot, or, before the first one, computed now."""
    return CalibrationSnapshot.objects.filter(pk=CalibrationSnapshot.ONLY).first() or calibration_refresh(force=True)


def calibration_report(figures, *, interviewer_id=None):
    """Everything the calibration page shows, from ``calibration_figures()`` (as stored by
    ``calibration_refresh``): the rows, their flags, sorted, the leniency chart, and the
    summary at the top. ``interviewer_id``: only that interviewer's row (the page filtered by
    interviewer; the questions keep their co-panelists' scores)."""
    cards = figures["cards"]
    scores = {row["interviewer_id"]: row for row in figures["scores"]}
    # Per bank question, its figures as a whole (phase None) and, for a design round scored
    # per phase, each phase's. (A snapshot stored before phases has no "phase": a whole.)
    by_question = {}
    for row in figures["figures"]:
        by_question.setdefault(row["question_id"], {})[row.get("phase")] = row
    usage = {row["question_id"]: row for row in figures["usage"]}

    interviewers = [_interviewer_row(card, scores.get(card["interviewer_id"])) for card in cards
                    if interviewer_id is None or card["interviewer_id"] == interviewer_id]
    interviewers.sort(
        key=lambda r: (-len(r.flags), -abs(r.leniency.value) if r.leniency.shown else 0, r.name.lower(), r.user_id)
    )

    detail_url = link_maker("questionbank:detail")  # one reverse() for the 1,000 links
    questions = []
    for question_id, info in usage.items():
        parts = by_question.get(question_id, {})
        figure = parts.get(None, {})
        if not info["used_all"] and not any(part.get("n") for part in parts.values()):
            continue  # only pinned in interviews still to come
        phases = sorted(phase for phase in parts if phase is not None)
        questions.append(_question_row(question_id, info, figure, detail_url, phase_name="Overall" if phases else ""))
        questions += [_question_row(question_id, info, parts[phase], detail_url, phase=phase,
                                    phase_name=parts[phase].get("phase_name") or f"Phase {phase + 1}")
                      for phase in phases]
    # Ties (the same title) in question order, whatever order the usage query returned.
    questions.sort(key=lambda r: (-len(r.flags), -r.used_recent, r.title.lower(), r.question_id))

    return {
        "interviewers": interviewers,
        "questions": questions,
        "attention": _attention(interviewers, questions),
        "leniency_chart": leniency_chart(interviewers),
        "total_scorecards": sum(r.scorecards for r in interviewers),
        "total_scores": sum(r.mean.n for r in interviewers),
        "thresholds": {
            "recent_days": RECENT_DAYS, "overexposed": OVEREXPOSED_INTERVIEWS, "too_easy": TOO_EASY_MEAN,
            "too_hard": TOO_HARD_MEAN, "low_rater_agreement": LOW_RATER_AGREEMENT,
            "weak_discrimination": WEAK_DISCRIMINATION, "leniency_gap": LENIENCY_GAP,
            "low_decision_agreement": f"{LOW_DECISION_AGREEMENT:.0%}", "slow_submit_hours": SLOW_SUBMIT_HOURS,
        },
        "min_sample": stats.MIN_SAMPLE,
        "icc_note": ICC_NOTE,
    }


# --- Rows and flags ----------------------------------------------------------------------

def _name(card):
    full = f"{card['first_name']} {card['last_name']}".strip()
    return full or card["username"]


def _interviewer_row(card, scores):
    scores = scores or {"n": 0, "mean": None, "sd": None, "leniency": None, "leniency_n": 0}
    row = InterviewerRow(
        user_id=card["interviewer_id"],
        name=_name(card),
        scorecards=card["scorecards"],
        median_hours=Figure(card["median_hours"], card["timed"], "median", "hours"),
        mean=Figure(scores["mean"], scores["n"], "mean"),
        spread=Figure(scores["sd"], scores["n"], "spread"),
        recommendations=[(v, Recommendation(v).label, card[f"rec_{v}"]) for v in RECOMMENDATION_ORDER],
        leniency=Figure(scores["leniency"], scores["leniency_n"], "leniency", "signed"),
        agreement=Figure(card["agreed"] / card["decided"] if card["decided"] else None, card["decided"], "agreement", "percent"),
        # .get: a snapshot stored before the intervals has none (the next refresh adds them)
        leniency_interviews=scores.get("leniency_interviews", 0),
        leniency_low=scores.get("leniency_low"), leniency_high=scores.get("leniency_high"),
    )
    if row.leniency.shown and abs(row.leniency.value) >= LENIENCY_GAP:
        row.flags.append("Scores higher than co-panelists" if row.leniency.value > 0 else "Scores lower than co-panelists")
    if row.agreement.shown and row.agreement.value < LOW_DECISION_AGREEMENT:
        row.flags.append("Often disagrees with final decisions")
    if row.median_hours.shown and row.median_hours.value > SLOW_SUBMIT_HOURS:
        row.flags.append("Slow to submit")
    return row


def _question_row(question_id, info, figures, detail_url, *, phase=None, phase_name=""):
    """The row of a bank question, or of one phase of a design round scored per phase
    (``phase``: its index; ``phase_name`` names it, "Overall" for the round as a whole)."""
    n = figures.get("n", 0)
    title = info["title"] or info["slug"]
    row = QuestionRow(
        question_id=question_id,
        slug=info["slug"],
        url=detail_url(info["slug"]),
        title=f"{title} · {phase_name}" if phase_name else title,
        phase=phase,
        area=AREA_LABELS.get(info["area"], ""),
        used_recent=info["used_recent"],
        used_all=info["used_all"],
        mean=Figure(figures.get("mean"), n, "mean"),
        spread=Figure(figures.get("sd"), n, "spread"),
        discrimination=Figure(figures.get("discrimination"), figures.get("discrimination_n", 0), "correlation", "signed"),
        point_biserial=Figure(figures.get("point_biserial"), figures.get("hire_n", 0), "correlation", "signed"),
        alpha=Figure(figures.get("alpha"), figures.get("units") or 0, "alpha"),
        icc=Figure(figures.get("icc"), figures.get("icc_n", 0), "icc"),
        icc_raters=figures.get("icc_raters", 0),
    )
    if row.used_recent > OVEREXPOSED_INTERVIEWS and phase is None:  # exposure is the question's, not a phase's
        row.flags.append("Overexposed")
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
        # Exposure alone is not a leak: the exposure page's wear signal tests for one.
        ("Overexposed", "{n} question{s} overexposed: used in more than {t} interviews in {d} days "
                        "(the exposure page tests whether their scores rose)", OVEREXPOSED_INTERVIEWS),
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



# --- An interviewer's own figures, and the drill-down into their scorecards ----------------

@dataclass
class Tendency(TemplateItems):
    """How an interviewer scores one bank question: their mean, and their leniency there."""

    title: str
    url: str
    mean: Figure
    leniency: Figure

    @property
    def words(self):
        return readings.tendency_words(self.leniency.value) if self.leniency.shown else ""


def own_calibration(*, user):
    """What "My calibration" shows ``user``, computed now from the interviews they submitted
    a scorecard for (the same statements as the page, on that subset: their figures equal the
    company-wide page's). Below MIN_SAMPLE["own"] submitted scorecards, only the count: two or
    three cards say nothing yet, and a figure shown early gets acted on. Only the user's own
    row leaves this function: the co-panelists' scores enter their leniency, never their names."""
    subset = queries.Subset(interviewer_id=user.pk)
    need = stats.MIN_SAMPLE["own"]
    with custom_plans():
        cards = queries.interviewer_card_figures(subset)
        card = next((c for c in cards if c["interviewer_id"] == user.pk), None)
        submitted = card["scorecards"] if card else 0
        if submitted < need:
            return {"submitted": submitted, "need": need, "missing": need - submitted, "row": None,
                    "tendencies": [], "chart": None, "sentence": ""}
        scores, _ = queries.score_figures(subset)
        detail_url = link_maker("questionbank:detail")
        tendencies = [
            Tendency(title=t["title"] or t["slug"], url=detail_url(t["slug"]), mean=Figure(t["mean"], t["n"], "mean"),
                     leniency=Figure(t["leniency"], t["leniency_n"], "leniency", "signed"))
            for t in queries.interviewer_question_figures(user.pk)
        ]
    tendencies.sort(key=lambda t: (not t.leniency.shown, -abs(t.leniency.value or 0), t.title.lower()))
    row = _interviewer_row(card, scores.get(user.pk))
    return {"submitted": submitted, "need": need, "missing": 0, "row": row, "tendencies": tendencies,
            "chart": leniency_chart([row]), "sentence": row.reading(you=True),
            "min_interval": stats.MIN_SAMPLE["interval"], "min_leniency": stats.MIN_SAMPLE["leniency"]}


def interviewer_scorecards(*, viewer, interviewer, subset=queries.EVERYTHING):
    """The submitted scorecards of ``interviewer`` that ``viewer`` may see
    (``Scorecard.objects.visible_to``: a hiring manager, their positions' only), in the
    subset's position and period, newest interview first: the drill-down's list."""
    cards = Scorecard.objects.visible_to(viewer).filter(interviewer=interviewer, status=ScorecardStatus.SUBMITTED)
    return (subset.scorecards(cards).select_related("interview__candidate__position")
            .only("recommendation", "submitted_at", "interview__starts_at", "interview__plan_name",
                  "interview__candidate__name", "interview__candidate__position__title")
            .order_by("-interview__starts_at", "-pk"))
