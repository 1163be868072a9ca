"""The calibration page's queries: every figure an aggregate computed by PostgreSQL from the
scores themselves, one row per interviewer or per bank question back to Python, three queries
whatever the amount of data (about a second on the bench's 200,000 scores). They run in the
background, not in the page's request: ``scoring.calibration.calibration_refresh`` runs them
when ``generation()`` says what they read has changed, and stores what they return as the
page's snapshot. ``scoring.calibration`` turns the rows into the page's figures and flags.
Each statement takes a ``Subset`` (the filtered page's interviews), a condition on the
interview it already joins; the drill-down's and the own page's two small statements are at
the end.

The statements are raw SQL: the ORM cannot say a ``DISTINCT ON``, ``PERCENTILE_CONT``,
arrays aggregated in rater order and unnested again, or a CTE read by several aggregates, and
written as several ORM queries the score figures would read the 200,000 scores once per
figure instead of once. Table names come from ``_meta.db_table`` (``tables()``)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import Extract
from django.utils import timezone

from interviews.models import Candidate, Interview, InterviewQuestion, InterviewStatus
from questionbank.models import Question, QuestionRevision

from . import stats
from .models import (
    RECOMMENDATION_POINTS, Amendment, Decision, DecisionChoice, QuestionScore, Recommendation, Scorecard,
    ScorecardStatus,
)

HIRE_SIDE = frozenset({Recommendation.YES, Recommendation.STRONG_YES})
NO_HIRE_SIDE = frozenset({Recommendation.NO, Recommendation.STRONG_NO})


@dataclass(frozen=True)
class Subset:
    """The interviews a filtered calibration view counts: a position's, started in a period,
    those an interviewer submitted a scorecard for; any combination. Each statement below joins
    the interview as ``iv`` and adds ``sql()`` to its WHERE, so the filtered figures are the
    very same statements on fewer rows. The interviewer condition keeps whole interviews (the
    co-panelists' scores too): leniency and rater agreement compare panelists, and would be
    undefined on one person's scores alone."""

    position_id: int | None = None
    starts_from: datetime | None = None  # inclusive
    starts_before: datetime | None = None  # exclusive
    interviewer_id: int | None = None
    # A hiring manager's filtered view counts only the positions they may see (None: every
    # position, an admin's): narrowed to one interviewer and a day, the company-wide figures
    # would tell them how someone recommended another team's candidate (found in review).
    visible_position_ids: tuple | None = None

    def __bool__(self):
        return any(v is not None for v in (self.position_id, self.starts_from, self.starts_before, self.interviewer_id))

    def sql(self):
        """(" AND ..." conditions on ``iv`` with the table names filled in, their parameters)."""
        parts, params = [], {}
        if self.position_id is not None:
            parts.append("iv.candidate_id IN (SELECT id FROM {candidate} WHERE position_id = %(subset_position)s)")
            params["subset_position"] = self.position_id
        if self.visible_position_ids is not None:
            parts.append("iv.candidate_id IN (SELECT id FROM {candidate} WHERE position_id = ANY(%(subset_visible)s))")
            params["subset_visible"] = list(self.visible_position_ids)
        if self.starts_from is not None:
            parts.append("iv.starts_at >= %(subset_from)s")
            params["subset_from"] = self.starts_from
        if self.starts_before is not None:
            parts.append("iv.starts_at < %(subset_before)s")
            params["subset_before"] = self.starts_before
        if self.interviewer_id is not None:
            parts.append("EXISTS (SELECT 1 FROM {card} mine WHERE mine.interview_id = iv.id"
                         " AND mine.interviewer_id = %(subset_interviewer)s AND mine.status = %(submitted)s)")
            params["subset_interviewer"] = self.interviewer_id
        return "".join(" AND " + part.format(**tables()) for part in parts), params


    def scorecards(self, queryset):
        """``queryset`` (scorecards) narrowed to the subset's position and period, as the
        drill-down lists them (its interviewer is the person drilled into)."""
        if self.position_id is not None:
            queryset = queryset.filter(interview__candidate__position_id=self.position_id)
        if self.starts_from is not None:
            queryset = queryset.filter(interview__starts_at__gte=self.starts_from)
        if self.starts_before is not None:
            queryset = queryset.filter(interview__starts_at__lt=self.starts_before)
        return queryset


EVERYTHING = Subset()


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


def interviewer_card_figures(subset=EVERYTHING):
    """Per interviewer, from their submitted scorecards (CARD_SQL), in ``subset``'s interviews."""
    where, params = subset.sql()
    return fetch(CARD_SQL, _params() | params, subset=where)


def score_figures(subset=EVERYTHING):
    """({interviewer id: figures}, {(bank question id, phase): figures}) from every submitted
    score (SCORES_SQL, one statement). Phase None: the question as a whole; a design round
    scored per phase also has one entry per phase (its name in "phase_name"), so its phases'
    scores are never pooled into one figure."""
    where, params = subset.sql()
    with connection.cursor() as cursor:
        cursor.execute(SCORES_SQL.format(**tables(), subset=where), _params() | params)
        questions, interviewers = cursor.fetchone()
    by_interviewer = {row["interviewer_id"]: _interviewer_figures(row) for row in interviewers or []}
    by_question = {(row["question_id"], None if row["phase"] < 0 else row["phase"]):
                   _question_figures(row) | {"phase_name": row["phase_name"]} for row in questions or []}
    return by_interviewer, by_question


def question_usage(now, recent_from, subset=EVERYTHING):
    """{bank question id: its slug, title, area and the distinct interviews it was pinned in
    (or added to, ad hoc) that have started and were not cancelled: all time and since
    ``recent_from``}, of ``subset``'s interviews."""
    where, subset_params = subset.sql()
    params = {"now": now, "cancelled": InterviewStatus.CANCELLED, "recent_from": recent_from,
              "submitted": ScorecardStatus.SUBMITTED, **subset_params}
    return {row["question_id"]: row for row in fetch(USAGE_SQL, params, subset=where)}


def scorecard_figures(card_ids):
    """{scorecard id: its overall (the weight-average of its scored questions, as
    ``scoring.scores``), and its leniency: the mean, over its questions a co-panelist also
    scored, of its score minus the co-panelists' mean score there, with that count} for the
    drill-down's page of scorecards. The same gap as the leniency of SCORES_SQL, per scorecard:
    an interviewer's leniency is the mean of these, each weighted by its count."""
    if not card_ids:
        return {}
    params = {"cards": list(card_ids), "submitted": ScorecardStatus.SUBMITTED}
    return {row["scorecard_id"]: row for row in fetch(SCORECARD_SQL, params)}


def interviewer_question_figures(interviewer_id):
    """Per bank question (as a whole: a design round's phases together) one interviewer
    scored: their count and mean, and their leniency there (the gap of SCORES_SQL, on that
    question only) with its count: the own calibration page's tendencies. Nobody else's
    figures leave the statement, only each question's gaps summed."""
    params = {"me": interviewer_id, "submitted": ScorecardStatus.SUBMITTED}
    return fetch(TENDENCY_SQL, params)


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
    interval = stats.clustered_mean_interval_from_sums(
        row["leniency_k"], row["leniency_n"], row["leniency_sum"], row["leniency_gg"], row["leniency_gm"],
        row["leniency_mm"])
    return {
        "n": n, "mean": row["sum_x"] / n, "sd": stats.sd_from_sums(n, row["sum_x"], row["sum_xx"]),
        "leniency_n": row["leniency_n"],
        "leniency": row["leniency_sum"] / row["leniency_n"] if row["leniency_n"] else None,
        "leniency_interviews": row["leniency_k"],
        "leniency_low": interval[0] if interval else None, "leniency_high": interval[1] if interval else None,
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
        "amendment": Amendment, "candidate": Candidate,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def fetch(sql, params, *, subset=""):
    """The rows of one statement, as dicts (``subset``: Subset.sql()'s conditions)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables(), subset=subset), params)
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
    WHERE sc.status = %(submitted)s{subset}
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
    SELECT sc.id, sc.interviewer_id, sc.interview_id,
           CASE l.decision WHEN %(hire)s THEN 1.0::float8 WHEN %(no_hire)s THEN 0.0::float8 END AS hired
    FROM {card} sc
    JOIN {interview} iv ON iv.id = sc.interview_id
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s{subset}
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
               c.interviewer_id, c.interview_id, c.hired,
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
-- leniency's interval (stats.clustered_mean_interval_from_sums): per interviewer and shared
-- interview, the sum G and count m of the gaps, then the sums of G^2, G m and m^2 over them
leniency_interviews AS (
    SELECT interviewer_id, SUM(gap) AS g, COUNT(*) AS m
    FROM s WHERE gap IS NOT NULL GROUP BY interviewer_id, interview_id
),
leniency_clusters AS (
    SELECT interviewer_id, COUNT(*) AS k, SUM(g * g) AS gg, SUM(g * m) AS gm, SUM(m * m)::float8 AS mm
    FROM leniency_interviews GROUP BY interviewer_id
),
interviewer_rows AS (
    -- every unit, ad-hoc and single-score ones included; leniency only where others scored it
    SELECT r.*, COALESCE(lc.k, 0) AS leniency_k, COALESCE(lc.gg, 0) AS leniency_gg,
           COALESCE(lc.gm, 0) AS leniency_gm, COALESCE(lc.mm, 0) AS leniency_mm
    FROM (
        SELECT interviewer_id, COUNT(*) AS n, SUM(score) AS sum_x, SUM(score * score) AS sum_xx,
               COUNT(gap) AS leniency_n, COALESCE(SUM(gap), 0) AS leniency_sum
        FROM s GROUP BY interviewer_id
    ) r LEFT JOIN leniency_clusters lc ON lc.interviewer_id = r.interviewer_id
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
    WHERE TRUE{subset}
    GROUP BY p.question_id
) u
CROSS JOIN LATERAL (SELECT slug, title, area FROM {question} WHERE id = u.question_id LIMIT 1) q
"""


# The drill-down's page of scorecards: each one's overall (weight-average of its scored
# questions) and its gap to the co-panelists, question by question, as in SCORES_SQL (a
# co-panelist: another submitted scorecard's score on the same pinned question). At most a
# page of scorecards, each question's other scores found by the index of the score's question_id
# foreign key.
SCORECARD_SQL = """
SELECT qs.scorecard_id,
       SUM(iq.weight * qs.score)::float8 / NULLIF(SUM(iq.weight), 0)::float8 AS overall,
       AVG(qs.score - o.others)::float8 AS leniency, COUNT(o.others) AS leniency_n
FROM {score} qs
JOIN {iq} iq ON iq.id = qs.question_id
LEFT JOIN LATERAL (
    SELECT AVG(x.score)::float8 AS others
    FROM {score} x JOIN {card} c ON c.id = x.scorecard_id
    WHERE x.question_id = qs.question_id AND x.scorecard_id <> qs.scorecard_id AND x.score IS NOT NULL
      AND c.status = %(submitted)s
) o ON TRUE
WHERE qs.scorecard_id = ANY(%(cards)s) AND qs.score IS NOT NULL
GROUP BY qs.scorecard_id
"""

# An interviewer's tendencies per bank question: the units (pinned questions) of the
# interviews they submitted a scorecard for, each of their scores against the co-panelists'
# mean there. Only this interviewer's rows come back, named by question.
TENDENCY_SQL = """
WITH units AS (
    SELECT qs.question_id AS unit_id, rev.question_id AS bank_id, c.interviewer_id, qs.score::float8 AS score,
           SUM(qs.score::float8) OVER unit AS unit_total, COUNT(*) OVER unit AS unit_m
    FROM {score} qs
    JOIN {card} c ON c.id = qs.scorecard_id
    JOIN {iq} iq ON iq.id = qs.question_id
    JOIN {revision} rev ON rev.id = iq.revision_id
    WHERE c.status = %(submitted)s AND qs.score IS NOT NULL
      AND iq.interview_id IN (SELECT interview_id FROM {card} WHERE interviewer_id = %(me)s AND status = %(submitted)s)
    WINDOW unit AS (PARTITION BY qs.question_id)
),
mine AS (
    SELECT bank_id, COUNT(*) AS n, AVG(score) AS mean,
           COUNT(*) FILTER (WHERE unit_m > 1) AS leniency_n,
           AVG(score - (unit_total - score) / (unit_m - 1)) FILTER (WHERE unit_m > 1) AS leniency
    FROM units WHERE interviewer_id = %(me)s
    GROUP BY bank_id
)
SELECT m.*, q.slug, q.title
FROM mine m JOIN {question} q ON q.id = m.bank_id
ORDER BY q.title, q.id
"""
