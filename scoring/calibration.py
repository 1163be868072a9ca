"""Calibration analytics: how each interviewer scores, and how each bank question behaves.

Only submitted scorecards count, company-wide: calibration is about interviewers and
questions, so nothing here reads or returns a candidate's name.

Four queries whatever the amount of data (see ``calibration_report``), every figure an
aggregate computed by PostgreSQL: counts, means, SDs and the median by ``GROUP BY``; the
figures that compare scores within a panel or a scorecard (leniency, discrimination,
point-biserial, the sums of Krippendorff's alpha) by joining each score to its panel's and
scorecard's totals, then ``GROUP BY`` again (``CORR`` is Pearson's r). No score row is sent
to Python; only ICC(2,1) is finished here, on the one small table of the panel that scored
a question most often. Each figure equals its ``scoring.stats`` definition on the same data
(the tests check this); the page explains each figure.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion, InterviewStatus
from questionbank.models import Area, Question, QuestionRevision

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
    """Everything the calibration page shows, in four queries whatever the amount of data:

    1. per interviewer, from submitted scorecards (GROUP BY interviewer): count, median hours
       to submit (percentile_cont), recommendation counts, and agreement with the
       candidate's latest decision;
    2. per interviewer, from their question scores: count, mean, sample SD, and leniency
       (each score against the co-panelists' mean on the same interview question);
    3. per bank question: distinct interviews it was pinned in, in the last RECENT_DAYS and
       all time (cancelled and not-yet-started interviews left out);
    4. per bank question: count, mean, sample SD, discrimination and point-biserial (CORR),
       the sums Krippendorff's alpha is made of, and the score table of the panel that
       scored it most often (for ICC).
    """
    now = now or timezone.now()
    cards = _interviewer_card_figures()
    scores = _interviewer_score_figures()
    usage = _question_usage(now)
    figures = _question_figures()

    interviewers = [_interviewer_row(card, scores.get(card["interviewer_id"])) for card in cards]
    interviewers.sort(key=lambda r: (-len(r.flags), -abs(r.leniency.value) if r.leniency.shown else 0, r.name.lower()))

    questions = []
    for question_id, info in usage.items():
        figure = figures.get(question_id, {})
        if not info["used_all"] and not figure.get("n"):
            continue  # only pinned in interviews still to come
        questions.append(_question_row(question_id, info, figure))
    questions.sort(key=lambda r: (-len(r.flags), -r.used_recent, r.title.lower()))

    return {
        "interviewers": interviewers,
        "questions": questions,
        "attention": _attention(interviewers, questions),
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


# --- The queries -----------------------------------------------------------------------

# Per bank question, the distinct interviews that pinned it (or added it ad hoc), all time and
# in the last RECENT_DAYS. The pins are grouped first and each group then fetches its
# question's slug, title and area by primary key (LATERAL ... LIMIT 1 keeps PostgreSQL from
# turning that into a join): joined before grouping, as the ORM wrote it, the query read every
# row of the question table (wide, with its search vector), 0.3 s on a 100k-question bank
# (docs/performance.md).
USAGE_SQL = """
SELECT u.question_id AS revision__question_id, q.slug AS revision__question__slug,
       q.title AS revision__question__title, q.area AS revision__question__area, u.used_all, u.used_recent
FROM (
    SELECT rev.question_id,
           COUNT(DISTINCT iq.interview_id) FILTER (WHERE iv.starts_at <= %(now)s AND iv.status <> %(cancelled)s) AS used_all,
           COUNT(DISTINCT iq.interview_id) FILTER (
               WHERE iv.starts_at <= %(now)s AND iv.status <> %(cancelled)s AND iv.starts_at >= %(recent_from)s
           ) AS used_recent
    FROM {iq} iq
    JOIN {interview} iv ON iv.id = iq.interview_id
    JOIN {revision} rev ON rev.id = iq.revision_id
    GROUP BY rev.question_id
) u
CROSS JOIN LATERAL (SELECT slug, title, area FROM {question} WHERE id = u.question_id LIMIT 1) q
"""


def _question_usage(now):
    """Distinct interviews each bank question was pinned in (or added to, ad hoc): interviews
    that have started and were not cancelled."""
    params = {"now": now, "cancelled": InterviewStatus.CANCELLED, "recent_from": now - timedelta(days=RECENT_DAYS)}
    return {row["revision__question_id"]: row for row in _fetch(USAGE_SQL.format(**_tables()), params)}


def _tables():
    quote = connection.ops.quote_name
    return {
        "score": quote(QuestionScore._meta.db_table), "card": quote(Scorecard._meta.db_table),
        "iq": quote(InterviewQuestion._meta.db_table), "interview": quote(Interview._meta.db_table),
        "revision": quote(QuestionRevision._meta.db_table), "decision": quote(Decision._meta.db_table),
        "question": quote(Question._meta.db_table),
        "user": quote(get_user_model()._meta.db_table),
    }


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


# A candidate's decision is their latest Decision row (served by scoring_decision_latest).
LATEST_DECISION = """
latest AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, decision FROM {decision} ORDER BY candidate_id, at DESC, id DESC
)"""

# Per interviewer, from their submitted scorecards. Hours to submit are measured from the
# interview's scheduled end (starts_at + duration_minutes); percentile_cont(0.5) is the same
# median as stats.median. A recommendation agrees when its side (yes/strong yes = hire,
# no/strong no = not) matches a hire/no-hire decision; hold and undecided are left out.
CARD_SQL = "WITH" + LATEST_DECISION + """
SELECT sc.interviewer_id, u.username, u.first_name, u.last_name,
       COUNT(*) AS scorecards,
       COUNT(sc.submitted_at) AS timed,
       PERCENTILE_CONT(0.5) WITHIN GROUP (
           ORDER BY (EXTRACT(EPOCH FROM (sc.submitted_at - iv.starts_at)) / 60.0 - iv.duration_minutes) / 60.0
       ) AS median_hours,
       COUNT(*) FILTER (WHERE l.decision IN (%(hire)s, %(no_hire)s) AND sc.recommendation = ANY(%(sides)s)) AS decided,
       COUNT(*) FILTER (WHERE (l.decision = %(hire)s AND sc.recommendation = ANY(%(hire_side)s))
                           OR (l.decision = %(no_hire)s AND sc.recommendation = ANY(%(no_hire_side)s))) AS agreed,
       COUNT(*) FILTER (WHERE sc.recommendation = %(strong_no)s) AS rec_strong_no,
       COUNT(*) FILTER (WHERE sc.recommendation = %(no)s) AS rec_no,
       COUNT(*) FILTER (WHERE sc.recommendation = %(yes)s) AS rec_yes,
       COUNT(*) FILTER (WHERE sc.recommendation = %(strong_yes)s) AS rec_strong_yes
FROM {card} sc
JOIN {interview} iv ON iv.id = sc.interview_id
JOIN {user} u ON u.id = sc.interviewer_id
LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
WHERE sc.status = %(submitted)s
GROUP BY sc.interviewer_id, u.username, u.first_name, u.last_name
"""

# The panel figures compare scores within an interview question (a "unit": the scores the
# panel gave one pinned question) or within a scorecard. Totals per unit and per scorecard
# are GROUP BYs joined back to the scores (hash joins, no window over the whole table), and
# only one row per interviewer or per question comes back to Python.
LENIENCY_SQL = """
WITH s AS (
    SELECT qs.score::float8 AS score, qs.question_id AS unit_id, sc.interviewer_id
    FROM {score} qs JOIN {card} sc ON sc.id = qs.scorecard_id
    WHERE sc.status = %(submitted)s AND qs.score IS NOT NULL
),
units AS (SELECT unit_id, SUM(score) AS total, COUNT(*) AS m FROM s GROUP BY unit_id),
d AS (
    -- score minus the co-panelists' mean; NULL where nobody else scored the question
    SELECT s.interviewer_id, s.score, s.score - (u.total - s.score) / NULLIF(u.m - 1, 0) AS difference
    FROM s JOIN units u ON u.unit_id = s.unit_id
)
SELECT interviewer_id, COUNT(*) AS n, AVG(score) AS mean, STDDEV_SAMP(score) AS sd,
       COUNT(difference) AS leniency_n, AVG(difference) AS leniency
FROM d GROUP BY interviewer_id
"""

QUESTION_SQL = """
WITH s AS (
    SELECT qs.score::float8 AS score, qs.scorecard_id, qs.question_id AS unit_id, rev.question_id AS bank_question_id,
           sc.interviewer_id, iv.candidate_id
    FROM {score} qs
    JOIN {card} sc ON sc.id = qs.scorecard_id
    JOIN {interview} iv ON iv.id = sc.interview_id
    JOIN {iq} iq ON iq.id = qs.question_id
    LEFT JOIN {revision} rev ON rev.id = iq.revision_id
    WHERE sc.status = %(submitted)s AND qs.score IS NOT NULL
),
cards AS (SELECT scorecard_id, SUM(score) AS total, COUNT(*) AS m FROM s GROUP BY scorecard_id),""" + LATEST_DECISION + """,
paired AS (
    SELECT s.bank_question_id, s.score,
           (c.total - s.score) / NULLIF(c.m - 1, 0) AS rest,  -- mean of the rest of the scorecard
           CASE l.decision WHEN %(hire)s THEN 1.0 WHEN %(no_hire)s THEN 0.0 END AS hired
    FROM s JOIN cards c ON c.scorecard_id = s.scorecard_id LEFT JOIN latest l ON l.candidate_id = s.candidate_id
    WHERE s.bank_question_id IS NOT NULL
),
per_question AS (
    SELECT bank_question_id, COUNT(*) AS n, AVG(score) AS mean, STDDEV_SAMP(score) AS sd,
           COUNT(rest) AS discrimination_n, CORR(score, rest) AS discrimination,
           COUNT(hired) AS hire_n, CORR(hired, score) AS point_biserial
    FROM paired GROUP BY bank_question_id
),
units AS (
    SELECT bank_question_id, COUNT(*) AS m, SUM(score) AS total, SUM(score * score) AS squares,
           ARRAY_AGG(interviewer_id ORDER BY interviewer_id) AS raters, ARRAY_AGG(score ORDER BY interviewer_id) AS scores
    FROM s WHERE bank_question_id IS NOT NULL
    GROUP BY bank_question_id, unit_id HAVING COUNT(*) > 1
),
agreement AS (
    -- the sums Krippendorff's alpha (interval) is made of; see _alpha
    SELECT bank_question_id, COUNT(*) AS units, SUM(m)::bigint AS pairable,
           SUM(2 * m * (squares - total * total / m) / (m - 1)) AS within, SUM(total) AS total, SUM(squares) AS squares
    FROM units GROUP BY bank_question_id
),
panel AS (
    -- the exact set of interviewers that scored the question together most often
    SELECT DISTINCT ON (bank_question_id) bank_question_id, raters FROM units GROUP BY bank_question_id, raters
    ORDER BY bank_question_id, COUNT(*) DESC, CARDINALITY(raters) DESC, raters
),
icc AS (
    SELECT u.bank_question_id, ARRAY_AGG(u.scores) AS matrix
    FROM units u JOIN panel p ON p.bank_question_id = u.bank_question_id AND p.raters = u.raters
    GROUP BY u.bank_question_id
)
SELECT q.*, a.units, a.pairable, a.within, a.total, a.squares, i.matrix
FROM per_question q
LEFT JOIN agreement a ON a.bank_question_id = q.bank_question_id
LEFT JOIN icc i ON i.bank_question_id = q.bank_question_id
"""


def _params():
    return {
        "submitted": ScorecardStatus.SUBMITTED, "hire": DecisionChoice.HIRE, "no_hire": DecisionChoice.NO_HIRE,
        "hire_side": sorted(HIRE_SIDE), "no_hire_side": sorted(NO_HIRE_SIDE), "sides": sorted(HIRE_SIDE | NO_HIRE_SIDE), **{value: value for value in RECOMMENDATION_ORDER},
    }


def _interviewer_card_figures():
    return _fetch(CARD_SQL.format(**_tables()), _params())


def _interviewer_score_figures():
    rows = _fetch(LENIENCY_SQL.format(**_tables()), _params())
    return {row["interviewer_id"]: row for row in rows}


def _question_figures():
    rows = _fetch(QUESTION_SQL.format(**_tables()), _params())
    return {row["bank_question_id"]: row for row in rows}


def _alpha(values, within, total, squares):
    """Krippendorff's alpha (interval) from per-question sums over the pairable units, the
    same figure as ``stats.krippendorff_alpha_interval``: with n pairable values,
      D_o = (1/n) * sum_u 2 m_u SS_u / (m_u - 1)   (``within``; SS_u = squares_u - total_u^2 / m_u)
      D_e = 2 n SS / (n (n - 1))                     (SS = squares - total^2 / n over all n)
      alpha = 1 - D_o / D_e
    None when n < 2 or D_e is 0 (no variation to agree about)."""
    if not values or values < 2:
        return None
    expected = 2 * (squares - total * total / values) / (values - 1)
    if expected <= 1e-12:
        return None
    return 1 - (within / values) / expected


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
    )
    if row.leniency.shown and abs(row.leniency.value) >= LENIENCY_GAP:
        row.flags.append("Scores higher than co-panelists" if row.leniency.value > 0 else "Scores lower than co-panelists")
    if row.agreement.shown and row.agreement.value < LOW_DECISION_AGREEMENT:
        row.flags.append("Often disagrees with final decisions")
    if row.median_hours.shown and row.median_hours.value > SLOW_SUBMIT_HOURS:
        row.flags.append("Slow to submit")
    return row


def _question_row(question_id, info, figures):
    n = figures.get("n", 0)
    matrix = figures.get("matrix") or []
    row = QuestionRow(
        question_id=question_id,
        slug=info["revision__question__slug"],
        title=info["revision__question__title"] or info["revision__question__slug"],
        area=AREA_LABELS.get(info["revision__question__area"], ""),
        used_recent=info["used_recent"],
        used_all=info["used_all"],
        mean=Figure(figures.get("mean"), n, "mean"),
        spread=Figure(figures.get("sd"), n, "spread"),
        discrimination=Figure(figures.get("discrimination"), figures.get("discrimination_n", 0), "correlation", "signed"),
        point_biserial=Figure(figures.get("point_biserial"), figures.get("hire_n", 0), "correlation", "signed"),
        alpha=Figure(_alpha(figures.get("pairable"), figures.get("within"), figures.get("total"), figures.get("squares")),
                     figures.get("units") or 0, "alpha"),
        # Only computed once there are enough interviews for it to be shown.
        icc=Figure(stats.icc_2_1(matrix) if stats.enough(len(matrix), "icc") else None, len(matrix), "icc"),
        icc_raters=len(matrix[0]) if matrix else 0,
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

