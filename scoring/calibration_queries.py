"""The calibration page's queries: every figure an aggregate computed by PostgreSQL from the
scores themselves, one row per interviewer or per bank question back to Python, three queries
whatever the amount of data (about a second on the bench's 200,000 scores). They run in the
background, not in the page's request: ``scoring.calibration.calibration_refresh`` runs them
when ``generation()`` says what they read has changed, and stores what they return as the
page's snapshot. ``scoring.calibration`` turns the rows into the page's figures and flags.

The statements are raw SQL: the ORM cannot say a ``DISTINCT ON``, ``PERCENTILE_CONT``,
arrays aggregated in rater order and unnested again, or a CTE read by several aggregates, and
written as several ORM queries the score figures would read the 200,000 scores once per
figure instead of once. Table names come from ``_meta.db_table`` (``tables()``)."""

import hashlib

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import Extract
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion, InterviewStatus
from questionbank.models import Question, QuestionRevision

from . import stats
from .models import (
    RECOMMENDATION_POINTS, Amendment, Decision, DecisionChoice, QuestionScore, Recommendation, Scorecard,
    ScorecardStatus,
)

HIRE_SIDE = frozenset({Recommendation.YES, Recommendation.STRONG_YES})
NO_HIRE_SIDE = frozenset({Recommendation.NO, Recommendation.STRONG_NO})


def generation():
    """A fingerprint of everything the figures read: equal fingerprints, equal figures. One
    aggregate per table (the worker's every-minute check, a few milliseconds on the bench
    data): scorecards (a submit changes the count of submitted ones and the latest
    updated_at), amendments and decisions (append-only: their count and last id), interviews
    (started and not cancelled, and the sum of their times and lengths: a reschedule or a
    cancel), pinned questions, the bank's titles (updated_at), the interviewers' names; and the
    hour, since "in the last 90 days" and "has started" move with the clock."""
    now = timezone.now()
    cancelled = Q(status=InterviewStatus.CANCELLED)
    parts = [
        Scorecard.objects.aggregate(submitted=Count("pk", filter=Q(status=ScorecardStatus.SUBMITTED)), n=Count("pk"),
                                    last=Max("updated_at")),
        Amendment.objects.aggregate(n=Count("pk"), last=Max("pk")),
        Decision.objects.aggregate(n=Count("pk"), last=Max("pk")),
        Interview.objects.aggregate(started=Count("pk", filter=Q(starts_at__lte=now) & ~cancelled), n=Count("pk"),
                                    times=Sum(Extract("starts_at", "epoch") + F("duration_minutes")),
                                    cancelled=Count("pk", filter=cancelled)),
        InterviewQuestion.objects.aggregate(n=Count("pk"), last=Max("pk")),
        Question.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    ]
    names = get_user_model().objects.order_by("pk").values_list("pk", "username", "first_name", "last_name")
    people = hashlib.md5(repr(list(names)).encode(), usedforsecurity=False).hexdigest()
    return " ".join([*(repr(sorted(part.items())) for part in parts), people, now.strftime("%Y-%m-%dT%H")])


def interviewer_card_figures():
    """Per interviewer, from their submitted scorecards (CARD_SQL)."""
    return fetch(CARD_SQL, _params())


def score_figures():
    """({interviewer id: figures}, {(bank question id, phase): figures}) from every submitted
    score (SCORES_SQL, one statement). Phase None: the question as a whole; a design round
    scored per phase also has one entry per phase (its name in "phase_name"), so its phases'
    scores are never pooled into one figure."""
    with connection.cursor() as cursor:
        cursor.execute(SCORES_SQL.format(**tables()), _params())
        questions, interviewers = cursor.fetchone()
    by_interviewer = {row["interviewer_id"]: _interviewer_figures(row) for row in interviewers or []}
    by_question = {(row["question_id"], None if row["phase"] < 0 else row["phase"]):
                   _question_figures(row) | {"phase_name": row["phase_name"]} for row in questions or []}
    return by_interviewer, by_question


def question_usage(now, recent_from):
    """{bank question id: its slug, title, area and the distinct interviews it was pinned in
    (or added to, ad hoc) that have started and were not cancelled: all time and since
    ``recent_from``}."""
    params = {"now": now, "cancelled": InterviewStatus.CANCELLED, "recent_from": recent_from}
    return {row["question_id"]: row for row in fetch(USAGE_SQL, params)}


def question_uses():
    """{bank question id: [(day, mean score), ...]} in time order: one entry per interview
    that scored the question (not cancelled), the mean of its submitted scores there (every
    panelist, every part of a design round), on the interview's day in the site's time zone
    (ISO). What the wear signal reads (``scoring.wear``). One row per scored (question,
    interview) pair comes back: about as many as pinned questions with scores."""
    rows = (
        QuestionScore.objects.filter(score__isnull=False, scorecard__status=ScorecardStatus.SUBMITTED,
                                     question__revision__isnull=False)
        .exclude(question__interview__status=InterviewStatus.CANCELLED)
        .values("question__revision__question", "question__interview")
        .annotate(starts_at=Max("question__interview__starts_at"), mean=Avg("score"))
        .order_by("question__revision__question", "starts_at", "question__interview")
        .values_list("question__revision__question", "starts_at", "mean")
    )
    uses = {}
    for question_id, starts_at, mean in rows:
        uses.setdefault(question_id, []).append((timezone.localdate(starts_at).isoformat(), float(mean)))
    return uses


def _interviewer_figures(row):
    n = row["n"]
    return {
        "n": n, "mean": row["sum_x"] / n, "sd": stats.sd_from_sums(n, row["sum_x"], row["sum_xx"]),
        "leniency_n": row["leniency_n"],
        "leniency": row["leniency_sum"] / row["leniency_n"] if row["leniency_n"] else None,
    }


def _question_figures(row):
    n, raters = row["n"], row["raters"] or []
    icc_n = row["icc_units"] or 0
    icc = None
    if stats.enough(icc_n, "icc"):  # only computed once there are enough interviews for it to be shown
        icc = stats.icc_2_1_from_sums(icc_n, len(raters), row["icc_total"], row["icc_squares"],
                                      row["icc_row_squares"], row["icc_columns"])
    return {
        "n": n, "mean": row["sum_x"] / n, "sd": stats.sd_from_sums(n, row["sum_x"], row["sum_xx"]),
        "discrimination_n": row["rest_n"],
        "discrimination": stats.pearson_from_sums(*(row[f"rest_{s}"] for s in ("n", "x", "y", "xy", "xx", "yy"))),
        "hire_n": row["hire_n"],
        "point_biserial": stats.pearson_from_sums(*(row[f"hire_{s}"] for s in ("n", "x", "y", "xy", "xx", "yy"))),
        "units": row["units"],
        "alpha": stats.krippendorff_alpha_interval_from_sums(row["pairable"], row["within"], row["total"],
                                                             row["squares"]),
        "icc": icc, "icc_n": icc_n, "icc_raters": len(raters),
    }


def _params():
    return {
        "submitted": ScorecardStatus.SUBMITTED, "hire": DecisionChoice.HIRE, "no_hire": DecisionChoice.NO_HIRE,
        "hire_side": sorted(HIRE_SIDE), "no_hire_side": sorted(NO_HIRE_SIDE), "sides": sorted(HIRE_SIDE | NO_HIRE_SIDE),
        **{value: value for value in RECOMMENDATION_POINTS},
    }


def tables():
    """The quoted table names the statements are written with ({score}, ...)."""
    quote = connection.ops.quote_name
    models = {
        "score": QuestionScore, "card": Scorecard, "iq": InterviewQuestion, "interview": Interview,
        "revision": QuestionRevision, "decision": Decision, "user": get_user_model(), "question": Question,
        "amendment": Amendment,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def fetch(sql, params):
    """The rows of one statement, as dicts."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables()), params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# A candidate's decision is their latest Decision row (served by scoring_decision_latest).
LATEST_DECISION = """
latest AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, id, decision FROM {decision} ORDER BY candidate_id, at DESC, id DESC
)"""

# Per interviewer, from their submitted scorecards. Hours to submit are measured from the
# interview's scheduled end (starts_at + duration_minutes); percentile_cont(0.5) is the same
# median as stats.median. A recommendation agrees when its side (yes/strong yes = hire,
# no/strong no = not) matches a hire/no-hire decision; hold and undecided are left out. Grouped
# by interviewer before their names are joined, and the hours in float8 (DATE_PART) rather
# than numeric (EXTRACT): together a third of this query's time (~12 ms of 38 on the bench).
CARD_SQL = "WITH" + LATEST_DECISION + """
SELECT c.*, u.username, u.first_name, u.last_name
FROM (
    SELECT sc.interviewer_id,
           COUNT(*) AS scorecards,
           COUNT(sc.submitted_at) AS timed,
           PERCENTILE_CONT(0.5) WITHIN GROUP (
               ORDER BY (DATE_PART('epoch', sc.submitted_at - iv.starts_at) / 60 - iv.duration_minutes) / 60
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
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s
    GROUP BY sc.interviewer_id
) c
JOIN {user} u ON u.id = c.interviewer_id
"""

# The score figures, from every submitted score, in one statement. Each score is read once,
# joined to its scorecard (with the candidate's latest decision: hired 1, not hired 0, else
# NULL) and to its pinned question's bank question, and given by window functions the total
# and count of its unit (the scores a panel gave one pinned question) and of its scorecard.
# Then every figure is a sum over those rows: per bank question (mean, SD; discrimination,
# against the mean of the rest of the scorecard; point-biserial, against hired;
# Krippendorff's alpha's sums, each unit's spread written per score) and per interviewer
# (mean, SD; leniency, against the co-panelists' mean of the unit). Only ICC(2,1) groups the
# units, to find the exact panel that scored a question most often (ties: the larger panel,
# then the lower ids) and its raters' column totals. Both sets of rows come back as JSON,
# one round trip. On the bench's 200,000 scores: ~0.75 s of SQL on a quiet machine, 1.5-2 s on
# a loaded one, most of it the two sorts of the window functions and the grouping of the
# units (docs/performance.md).
SCORES_SQL = "WITH" + LATEST_DECISION + """,
scorecards AS MATERIALIZED (
    SELECT sc.id, sc.interviewer_id,
           CASE l.decision WHEN %(hire)s THEN 1.0::float8 WHEN %(no_hire)s THEN 0.0::float8 END AS hired
    FROM {card} sc
    JOIN {interview} iv ON iv.id = sc.interview_id
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s
),
s AS MATERIALIZED (
    SELECT x.*, (x.card_total - x.score) / NULLIF(x.card_m - 1, 0) AS rest,
           x.score - (x.unit_total - x.score) / NULLIF(x.unit_m - 1, 0) AS gap
    FROM (
        SELECT qs.score::float8 AS score, qs.question_id AS unit_id,
               -- the item a figure is about: a bank question, or one phase of a design round
               -- scored per phase ({{question, phase}}; phase -1: the question as a whole)
               CASE WHEN rev.question_id IS NOT NULL THEN ARRAY[rev.question_id, COALESCE(iq.phase, -1)] END AS item,
               rev.phases -> iq.phase ->> 'name' AS phase_name,
               c.interviewer_id, c.hired,
               SUM(qs.score::float8) OVER unit AS unit_total, COUNT(*) OVER unit AS unit_m,
               SUM(qs.score::float8) OVER card AS card_total, COUNT(*) OVER card AS card_m
        FROM {score} qs
        JOIN scorecards c ON c.id = qs.scorecard_id
        JOIN {iq} iq ON iq.id = qs.question_id
        LEFT JOIN {revision} rev ON rev.id = iq.revision_id
        WHERE qs.score IS NOT NULL
        WINDOW unit AS (PARTITION BY qs.question_id), card AS (PARTITION BY qs.scorecard_id)
    ) x
),
question_rows AS (
    SELECT item, item[1] AS question_id, item[2] AS phase, MIN(phase_name) AS phase_name,
           COUNT(*) AS n, SUM(score) AS sum_x, SUM(score * score) AS sum_xx,
           COUNT(rest) AS rest_n, COALESCE(SUM(score) FILTER (WHERE rest IS NOT NULL), 0) AS rest_x,
           COALESCE(SUM(rest), 0) AS rest_y, COALESCE(SUM(score * rest), 0) AS rest_xy,
           COALESCE(SUM(score * score) FILTER (WHERE rest IS NOT NULL), 0) AS rest_xx,
           COALESCE(SUM(rest * rest), 0) AS rest_yy,
           COUNT(hired) AS hire_n, COALESCE(SUM(score) FILTER (WHERE hired IS NOT NULL), 0) AS hire_x,
           COALESCE(SUM(hired), 0) AS hire_y, COALESCE(SUM(score * hired), 0) AS hire_xy,
           COALESCE(SUM(score * score) FILTER (WHERE hired IS NOT NULL), 0) AS hire_xx,
           COALESCE(SUM(hired * hired), 0) AS hire_yy,
           -- Krippendorff's alpha over the units scored by two or more: a unit of m scores
           -- with total T adds 2m(sum x^2 - T^2/m)/(m - 1), i.e. 2(m x^2 - x T)/(m - 1) per score
           ROUND(COALESCE(SUM(1.0 / unit_m) FILTER (WHERE unit_m > 1), 0))::int AS units,
           COUNT(*) FILTER (WHERE unit_m > 1) AS pairable,
           COALESCE(SUM(2 * (unit_m * score * score - score * unit_total) / (unit_m - 1)) FILTER (WHERE unit_m > 1), 0)
               AS within,
           COALESCE(SUM(score) FILTER (WHERE unit_m > 1), 0) AS total,
           COALESCE(SUM(score * score) FILTER (WHERE unit_m > 1), 0) AS squares
    FROM s WHERE item IS NOT NULL
    GROUP BY item
),
interviewer_rows AS (
    -- every unit, ad-hoc and single-score ones included; leniency only where others scored it
    SELECT interviewer_id, COUNT(*) AS n, SUM(score) AS sum_x, SUM(score * score) AS sum_xx,
           COUNT(gap) AS leniency_n, COALESCE(SUM(gap), 0) AS leniency_sum
    FROM s GROUP BY interviewer_id
),
pairable AS MATERIALIZED (
    SELECT item, SUM(score) AS total, SUM(score * score) AS squares,
           ARRAY_AGG(interviewer_id ORDER BY interviewer_id) AS raters, ARRAY_AGG(score ORDER BY interviewer_id) AS scores
    FROM s WHERE item IS NOT NULL AND unit_m > 1
    GROUP BY item, unit_id
),
panels AS (
    SELECT item, raters, COUNT(*) AS units, SUM(total) AS total, SUM(squares) AS squares,
           SUM(total * total) AS row_squares
    FROM pairable GROUP BY item, raters
),
panel AS (
    SELECT DISTINCT ON (item) * FROM panels
    ORDER BY item, units DESC, CARDINALITY(raters) DESC, raters
),
panel_columns AS (
    SELECT u.item, c.position, SUM(c.score) AS column_total
    FROM pairable u JOIN panel p ON p.item = u.item AND p.raters = u.raters,
         UNNEST(u.scores) WITH ORDINALITY AS c(score, position)
    GROUP BY u.item, c.position
),
icc AS (
    SELECT p.*, c.columns
    FROM panel p
    JOIN (SELECT item, ARRAY_AGG(column_total ORDER BY position) AS columns
          FROM panel_columns GROUP BY item) c ON c.item = p.item
)
SELECT
    (SELECT json_agg(x) FROM (
        SELECT q.*, i.raters, i.units AS icc_units, i.total AS icc_total, i.squares AS icc_squares,
               i.row_squares AS icc_row_squares, i.columns AS icc_columns
        FROM question_rows q LEFT JOIN icc i ON i.item = q.item) x),
    (SELECT json_agg(r) FROM interviewer_rows r)
"""


# Per bank question, the distinct interviews that pinned it (or added it ad hoc), all time and
# since recent_from. The distinct (question, interview) pairs are taken first, from the
# pins alone, and only then joined to their interviews to be counted: a COUNT(DISTINCT) over
# the pins joined to their interviews sorted every pin with its interview's columns, on disk
# (~100 ms with 100,000 pins). Each question's slug, title and area are then fetched by primary
# key (LATERAL ... LIMIT 1 keeps PostgreSQL from turning that into a join): joined before
# grouping, as the ORM wrote it, the query read every row of the question table (wide, with
# its search vector), 0.3 s on a 100k-question bank (docs/performance.md).
USAGE_SQL = """
SELECT u.question_id, q.slug, q.title, q.area, u.used_all, u.used_recent
FROM (
    SELECT p.question_id,
           COUNT(*) FILTER (WHERE iv.starts_at <= %(now)s AND iv.status <> %(cancelled)s) AS used_all,
           COUNT(*) FILTER (
               WHERE iv.starts_at <= %(now)s AND iv.status <> %(cancelled)s AND iv.starts_at >= %(recent_from)s
           ) AS used_recent
    FROM (
        SELECT DISTINCT rev.question_id, iq.interview_id
        FROM {iq} iq JOIN {revision} rev ON rev.id = iq.revision_id
    ) p
    JOIN {interview} iv ON iv.id = p.interview_id
    GROUP BY p.question_id
) u
CROSS JOIN LATERAL (SELECT slug, title, area FROM {question} WHERE id = u.question_id LIMIT 1) q
"""
