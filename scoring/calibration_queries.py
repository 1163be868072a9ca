"""The calibration page's queries: every figure an aggregate computed by PostgreSQL, one row
per interviewer or per bank question back to Python, three queries (four when the score
figures are not cached) whatever the amount of data. ``scoring.calibration`` turns the rows
into the page's figures and flags."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from interviews.models import Interview, InterviewQuestion, InterviewStatus
from questionbank.models import Question, QuestionRevision

from . import stats
from .models import (
    RECOMMENDATION_POINTS, Amendment, Decision, DecisionChoice, QuestionScore, Recommendation, Scorecard, ScorecardStatus,
)

HIRE_SIDE = frozenset({Recommendation.YES, Recommendation.STRONG_YES})
NO_HIRE_SIDE = frozenset({Recommendation.NO, Recommendation.STRONG_NO})
SCORES_CACHE_SECONDS = 24 * 60 * 60


def interviewer_card_figures():
    """Per interviewer, from their submitted scorecards (CARD_SQL)."""
    return _fetch(CARD_SQL, _params())


def score_figures():
    """({interviewer id: figures}, {bank question id: figures}) from SCORES_SQL, cached under
    the version of the data they come from (SCORES_VERSION_SQL), read first."""
    version = _fetch(SCORES_VERSION_SQL, _params())[0]
    key = "calibration-scores:" + ":".join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in version.values())
    figures = cache.get(key)
    if figures is None:
        by_interviewer, by_question = {}, {}
        for row in _fetch(SCORES_SQL, _params()):
            if row.pop("kind") == "interviewer":
                by_interviewer[row["id"]] = row
            else:
                by_question[row["id"]] = _finish_question(row)
        figures = (by_interviewer, by_question)
        cache.set(key, figures, SCORES_CACHE_SECONDS)
    return figures


def _finish_question(row):
    """A question's figures with alpha and ICC(2,1) finished from the sums and the panel's
    score table, which is not kept (the cached entry holds numbers only)."""
    matrix = row.pop("matrix") or []
    row["alpha"] = _alpha(row.pop("pairable"), row.pop("within"), row.pop("total"), row.pop("squares"))
    # Only computed once there are enough interviews for it to be shown.
    row["icc"] = stats.icc_2_1(matrix) if stats.enough(len(matrix), "icc") else None
    row["icc_n"], row["icc_raters"] = len(matrix), len(matrix[0]) if matrix else 0
    return row


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


def question_usage(now, recent_from):
    """{bank question id: its slug, title, area and the distinct interviews it was pinned in
    (or added to, ad hoc) that have started and were not cancelled: all time and since
    ``recent_from``}."""
    params = {"now": now, "cancelled": InterviewStatus.CANCELLED, "recent_from": recent_from}
    return {row["question_id"]: row for row in _fetch(USAGE_SQL, params)}


def _params():
    return {
        "submitted": ScorecardStatus.SUBMITTED, "hire": DecisionChoice.HIRE, "no_hire": DecisionChoice.NO_HIRE,
        "hire_side": sorted(HIRE_SIDE), "no_hire_side": sorted(NO_HIRE_SIDE), "sides": sorted(HIRE_SIDE | NO_HIRE_SIDE),
        **{value: value for value in RECOMMENDATION_POINTS},
    }


def _tables():
    quote = connection.ops.quote_name
    return {
        "score": quote(QuestionScore._meta.db_table), "card": quote(Scorecard._meta.db_table),
        "iq": quote(InterviewQuestion._meta.db_table), "interview": quote(Interview._meta.db_table),
        "revision": quote(QuestionRevision._meta.db_table), "decision": quote(Decision._meta.db_table),
        "amendment": quote(Amendment._meta.db_table), "question": quote(Question._meta.db_table),
        "user": quote(get_user_model()._meta.db_table),
    }


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), params)
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

# The panel figures compare scores within an interview question (a "unit": the scores the
# panel gave one pinned question) or within a scorecard. One statement computes the figures
# per interviewer and per question (rows of two kinds), so the scores are read, joined and
# grouped into units once: as two statements each did that work again, ~200 ms more on the
# bench's 200,000 scores. The candidate's decision is joined per scorecard, not per score.
# Totals per scorecard are a GROUP BY joined back to the scores (a hash join, no window over
# the whole table); per unit, one GROUP BY gives the sums Krippendorff's alpha needs, the
# raters and their scores (for the ICC panel) and, unnested, each score beside its
# co-panelists' mean for leniency. Only one row per interviewer or question reaches Python.
SCORES_SQL = "WITH" + LATEST_DECISION + """,
cards AS MATERIALIZED (
    -- one row per submitted scorecard (20,000), with its candidate's decision (1 hire, 0 no
    -- hire, NULL otherwise): joined once per scorecard here rather than once per score
    SELECT sc.id, sc.interviewer_id,
           CASE l.decision WHEN %(hire)s THEN 1.0::float8 WHEN %(no_hire)s THEN 0.0::float8 END AS hired
    FROM {card} sc
    JOIN {interview} iv ON iv.id = sc.interview_id
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s
),
s AS (
    SELECT qs.score::float8 AS score, qs.scorecard_id, qs.question_id AS unit_id, rev.question_id AS bank_question_id,
           c.interviewer_id, c.hired
    FROM {score} qs
    JOIN cards c ON c.id = qs.scorecard_id
    JOIN {iq} iq ON iq.id = qs.question_id
    LEFT JOIN {revision} rev ON rev.id = iq.revision_id
    WHERE qs.score IS NOT NULL
),
totals AS (SELECT scorecard_id, SUM(score) AS total, COUNT(*) AS m FROM s GROUP BY scorecard_id),
per_question AS (
    SELECT s.bank_question_id, COUNT(*) AS n, AVG(s.score) AS mean, STDDEV_SAMP(s.score) AS sd,
           -- the mean of the rest of the scorecard
           COUNT((t.total - s.score) / NULLIF(t.m - 1, 0)) AS discrimination_n,
           CORR(s.score, (t.total - s.score) / NULLIF(t.m - 1, 0)) AS discrimination,
           COUNT(s.hired) AS hire_n, CORR(s.hired, s.score) AS point_biserial
    FROM s JOIN totals t ON t.scorecard_id = s.scorecard_id
    WHERE s.bank_question_id IS NOT NULL
    GROUP BY s.bank_question_id
),
units AS (
    -- every unit, ad-hoc (bank_question_id NULL) and single-score ones included: leniency
    -- and the interviewers' own figures count them
    SELECT bank_question_id, COUNT(*) AS m, SUM(score) AS total, SUM(score * score) AS squares,
           ARRAY_AGG(interviewer_id ORDER BY interviewer_id) AS raters, ARRAY_AGG(score ORDER BY interviewer_id) AS scores
    FROM s GROUP BY bank_question_id, unit_id
),
per_interviewer AS (
    -- each score minus its co-panelists' mean; NULL where nobody else scored the question
    SELECT interviewer_id, COUNT(*) AS n, AVG(score) AS mean, STDDEV_SAMP(score) AS sd,
           COUNT(score - (total - score) / NULLIF(m - 1, 0)) AS leniency_n,
           AVG(score - (total - score) / NULLIF(m - 1, 0)) AS leniency
    FROM (SELECT UNNEST(raters) AS interviewer_id, UNNEST(scores) AS score, total, m FROM units) r
    GROUP BY interviewer_id
),
pairable AS NOT MATERIALIZED (SELECT * FROM units WHERE bank_question_id IS NOT NULL AND m > 1),
agreement AS (
    -- the sums Krippendorff's alpha (interval) is made of; see _alpha
    SELECT bank_question_id, COUNT(*) AS units, SUM(m)::bigint AS pairable,
           SUM(2 * m * (squares - total * total / m) / (m - 1)) AS within, SUM(total) AS total, SUM(squares) AS squares
    FROM pairable GROUP BY bank_question_id
),
panel AS (
    -- the exact set of interviewers that scored the question together most often
    SELECT DISTINCT ON (bank_question_id) bank_question_id, raters FROM pairable GROUP BY bank_question_id, raters
    ORDER BY bank_question_id, COUNT(*) DESC, CARDINALITY(raters) DESC, raters
),
icc AS (
    SELECT u.bank_question_id, ARRAY_AGG(u.scores) AS matrix
    FROM pairable u JOIN panel p ON p.bank_question_id = u.bank_question_id AND p.raters = u.raters
    GROUP BY u.bank_question_id
)
SELECT 'question' AS kind, q.bank_question_id AS id, q.n, q.mean, q.sd, q.discrimination_n, q.discrimination,
       q.hire_n, q.point_biserial, a.units, a.pairable, a.within, a.total, a.squares, i.matrix,
       NULL::bigint AS leniency_n, NULL::float8 AS leniency
FROM per_question q
LEFT JOIN agreement a ON a.bank_question_id = q.bank_question_id
LEFT JOIN icc i ON i.bank_question_id = q.bank_question_id
UNION ALL
SELECT 'interviewer', interviewer_id, n, mean, sd, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       leniency_n, leniency
FROM per_interviewer
"""

# SCORES_SQL reads every submitted score (~0.4 s for the bench's 200,000), so its result is
# cached under the version of everything it reads, taken in the same request: the submitted
# scorecards (how many, the latest change: a submission, or a deletion with the candidate),
# the amendments (the only way a submitted score changes) and the decisions (point-biserial
# reads the latest). Any of those changes the key, so no process serves figures of other
# data; nothing per user is cached. Interviews' pins, candidates and revisions never change
# under a submitted scorecard. (A write that bypasses the services, such as raw SQL on the
# scores, is not seen until the next submission, amendment or decision.)
SCORES_VERSION_SQL = """
SELECT c.n AS scorecards, c.changed, a.n AS amendments, a.last AS last_amendment, d.n AS decisions, d.last AS last_decision
FROM (SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM {card} WHERE status = %(submitted)s) c,
     (SELECT COUNT(*) AS n, MAX(id) AS last FROM {amendment}) a,
     (SELECT COUNT(*) AS n, MAX(id) AS last FROM {decision}) d
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
