"""The calibration page's queries: every figure an aggregate computed by PostgreSQL, one row
per interviewer or per bank question back to Python, three queries (more when the score
figures are not cached; ``scoring.calibration_sums``) whatever the amount of data.
``scoring.calibration`` turns the rows into the page's figures and flags."""

from django.core.cache import cache

from interviews.models import InterviewStatus

from . import calibration_sums as sums
from .models import RECOMMENDATION_POINTS, DecisionChoice, Recommendation, ScorecardStatus

HIRE_SIDE = frozenset({Recommendation.YES, Recommendation.STRONG_YES})
NO_HIRE_SIDE = frozenset({Recommendation.NO, Recommendation.STRONG_NO})
SCORES_CACHE_SECONDS = 24 * 60 * 60


def interviewer_card_figures():
    """Per interviewer, from their submitted scorecards (CARD_SQL)."""
    return sums.fetch(CARD_SQL, _params())


def score_figures():
    """({interviewer id: figures}, {bank question id: figures}) from the stored sums
    (``scoring.calibration_sums``), cached in this process under the version of the data
    they come from (SCORES_VERSION_SQL), read first."""
    version = sums.fetch(SCORES_VERSION_SQL, _params())[0]
    key = f"calibration-scores:{sums.SUMS_FORMAT}:" + ":".join(
        v.isoformat() if hasattr(v, "isoformat") else str(v) for v in version.values()
    )
    figures = cache.get(key)
    if figures is None:
        figures = sums.score_figures()
        cache.set(key, figures, SCORES_CACHE_SECONDS)
    return figures


def question_usage(now, recent_from):
    """{bank question id: its slug, title, area and the distinct interviews it was pinned in
    (or added to, ad hoc) that have started and were not cancelled: all time and since
    ``recent_from``}."""
    params = {"now": now, "cancelled": InterviewStatus.CANCELLED, "recent_from": recent_from}
    return {row["question_id"]: row for row in sums.fetch(USAGE_SQL, params)}


def _params():
    return {
        "submitted": ScorecardStatus.SUBMITTED, "hire": DecisionChoice.HIRE, "no_hire": DecisionChoice.NO_HIRE,
        "hire_side": sorted(HIRE_SIDE), "no_hire_side": sorted(NO_HIRE_SIDE), "sides": sorted(HIRE_SIDE | NO_HIRE_SIDE),
        **{value: value for value in RECOMMENDATION_POINTS},
    }


# Per interviewer, from their submitted scorecards. Hours to submit are measured from the
# interview's scheduled end (starts_at + duration_minutes); percentile_cont(0.5) is the same
# median as stats.median. A recommendation agrees when its side (yes/strong yes = hire,
# no/strong no = not) matches a hire/no-hire decision; hold and undecided are left out. Grouped
# by interviewer before their names are joined, and the hours in float8 (DATE_PART) rather
# than numeric (EXTRACT): together a third of this query's time (~12 ms of 38 on the bench).
CARD_SQL = "WITH" + sums.LATEST_DECISION + """
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

# Adding up the stored sums takes ~0.1 s on the bench (more when a slice is rebuilt), so the
# figures are cached under the version of everything they come from, read first: the submitted
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
