"""Calibration's score figures from sums stored per slice of interviews.

The score figures (per interviewer: mean, SD, leniency; per bank question: mean, SD,
discrimination, point-biserial, Krippendorff's alpha, ICC(2,1)) are all made of sums, and
every score belongs to one interview, so they add up over any split of the interviews. The
interviews are split into slices of SLICE_INTERVIEWS consecutive ids; each slice's sums are
stored (``CalibrationSlice`` and the three ``Calibration*Sums`` models) with the version of the
data they were computed from. A view:

1. reads every slice's current version (``STALE_SQL``, ~20 ms on the bench's 20,000
   scorecards) and lists the slices whose stored sums are missing, outdated or left over;
2. rebuilds only those (``REFRESH_SQL``): after a submission, an amendment or a decision,
   the one or two slices it touched, ~1/20 of the scores on the bench;
3. adds up the stored sums (``QUESTION_SQL``, ``INTERVIEWER_SQL``) and finishes the figures.

Reading and grouping every score took ~0.75 s on the bench's 200,000 scores; this takes ~0.1 s
(docs/performance.md). The sums are shared by every app process and survive restarts; the
first view after a deploy builds them all once. A slice's version is computed in the same
statement (same snapshot) as its sums, so a stored version never claims newer data than
its sums hold; rebuilds are serialised by a transaction-level advisory lock, so two processes
rebuilding at once do not interleave. A rebuild writes only the rows that differ: after a
decision, a few question rows.
"""

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from interviews.models import Interview, InterviewQuestion
from questionbank.models import Question, QuestionRevision

from . import stats
from .models import (
    Amendment, CalibrationInterviewerSums, CalibrationPanelSums, CalibrationQuestionSums, CalibrationSlice, Decision,
    DecisionChoice, QuestionScore, Scorecard, ScorecardStatus,
)

SLICE_INTERVIEWS = 500
# Part of every slice's version: changing how the sums are computed (or the slice size)
# makes every stored slice outdated, so they are all rebuilt on the next view.
SUMS_FORMAT = 1
# pg_advisory_xact_lock key serialising rebuilds ("calibrat" in ASCII).
REFRESH_LOCK = 0x63616C6962726174


def score_figures():
    """({interviewer id: figures}, {bank question id: figures}) from the stored sums, after
    rebuilding the slices whose data changed."""
    stale = stale_slices()
    if stale:
        refresh(stale)
    by_interviewer = {row["interviewer_id"]: _interviewer_figures(row) for row in fetch(INTERVIEWER_SQL, {})}
    by_question = {row["question_id"]: _question_figures(row) for row in fetch(QUESTION_SQL, {})}
    return by_interviewer, by_question


def stale_slices():
    """The numbers of the slices whose stored sums are missing, outdated or left over."""
    return [row["slice_no"] for row in fetch(STALE_SQL, _params())]


def refresh(slices):
    """Compute the sums of ``slices`` again from the scores and store them: rows that differ
    are written, rows no longer there deleted (a slice with no submitted scorecard left gets
    none). Rebuilds take turns (the lock), so each sees every row the one before wrote."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
        cursor.execute(REFRESH_SQL.format(**tables()), {**_params(), "slices": slices})


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
        columns = [sum(column) for column in zip(*row["icc_columns"])]
        icc = stats.icc_2_1_from_sums(icc_n, len(raters), row["icc_total"], row["icc_squares"], row["icc_row_squares"],
                                      columns)
    return {
        "n": n, "mean": row["sum_x"] / n, "sd": stats.sd_from_sums(n, row["sum_x"], row["sum_xx"]),
        "discrimination_n": row["rest_n"],
        "discrimination": stats.pearson_from_sums(*(row[f"rest_{s}"] for s in ("n", "x", "y", "xy", "xx", "yy"))),
        "hire_n": row["hire_n"],
        "point_biserial": stats.pearson_from_sums(*(row[f"hire_{s}"] for s in ("n", "x", "y", "xy", "xx", "yy"))),
        "units": row["units"],
        "alpha": stats.krippendorff_alpha_interval_from_sums(row["pairable"], row["within"], row["total"], row["squares"]),
        "icc": icc, "icc_n": icc_n, "icc_raters": len(raters),
    }


def _params():
    return {
        "submitted": ScorecardStatus.SUBMITTED, "hire": DecisionChoice.HIRE, "no_hire": DecisionChoice.NO_HIRE,
        "size": SLICE_INTERVIEWS, "format": f"{SUMS_FORMAT}/{SLICE_INTERVIEWS}",
    }


def tables():
    """The quoted table names the calibration statements are written with ({score}, ...)."""
    quote = connection.ops.quote_name
    models = {
        "score": QuestionScore, "card": Scorecard, "iq": InterviewQuestion, "interview": Interview,
        "revision": QuestionRevision, "decision": Decision, "amendment": Amendment, "user": get_user_model(),
        "question": Question,
        "slice": CalibrationSlice, "question_sums": CalibrationQuestionSums,
        "interviewer_sums": CalibrationInterviewerSums, "panel_sums": CalibrationPanelSums,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def fetch(sql, params):
    """The rows of one calibration statement, as dicts."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables()), params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


# A candidate's decision is their latest Decision row (served by scoring_decision_latest).
LATEST_DECISION = """
latest AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, id, decision FROM {decision} ORDER BY candidate_id, at DESC, id DESC
)"""

# Each slice's version, from what its sums are computed from: its submitted scorecards (how
# many, the latest change), their amendments (the only way a submitted score changes) and
# the latest decision of each of their candidates (point-biserial reads it). Interviews'
# pins, candidates and revisions never change under a submitted scorecard. {where} narrows
# it to some slices. (A write that bypasses the services, such as raw SQL on the scores, is
# not seen until the slice's next submission, amendment or decision.)
VERSIONS = LATEST_DECISION + """,
cards AS (
    SELECT sc.interview_id / %(size)s AS slice_no, COUNT(*) AS n,
           (EXTRACT(EPOCH FROM MAX(sc.updated_at)) * 1000000)::bigint AS changed, COALESCE(SUM(l.id), 0) AS decisions
    FROM {card} sc
    JOIN {interview} iv ON iv.id = sc.interview_id
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s {where}
    GROUP BY 1
),
amended AS (
    SELECT sc.interview_id / %(size)s AS slice_no, COUNT(*) AS n, MAX(a.id) AS last
    FROM {amendment} a JOIN {card} sc ON sc.id = a.scorecard_id
    WHERE sc.status = %(submitted)s {where}
    GROUP BY 1
),
current_version AS (
    SELECT c.slice_no, CONCAT_WS(' ', %(format)s, c.n, c.changed, c.decisions, a.n, a.last) AS version
    FROM cards c LEFT JOIN amended a ON a.slice_no = c.slice_no
)"""

# The slices to rebuild: no stored sums yet, stored from other data, or left over (no
# submitted scorecard any more: the candidate was deleted).
STALE_SQL = "WITH" + VERSIONS.replace("{where}", "") + """
SELECT COALESCE(v.slice_no, s.number) AS slice_no
FROM current_version v FULL JOIN {slice} s ON s.number = v.slice_no
WHERE v.version IS DISTINCT FROM s.version
ORDER BY 1
"""

# The stored sums, by table (scoring.models), after the key columns.
QUESTION_SUMS = (
    "n", "sum_x", "sum_xx", "rest_n", "rest_x", "rest_y", "rest_xy", "rest_xx", "rest_yy",
    "hire_n", "hire_x", "hire_y", "hire_xy", "hire_xx", "hire_yy", "units", "pairable", "within", "total", "squares",
)
INTERVIEWER_SUMS = ("n", "sum_x", "sum_xx", "leniency_n", "leniency_sum")
PANEL_SUMS = ("units", "total", "squares", "row_squares", "columns")


def _write(name, table, keys, columns):
    """Two CTEs storing ``{name}_rows`` (a slice_id, ``keys`` and ``columns``) into ``table``:
    rows are written only where they differ and deleted only where they vanished, so a
    change rewrites a few rows rather than the slice (each rewrite leaves a dead row behind
    for VACUUM, which every later add-up would read until it runs)."""
    key = ", ".join(("slice_id",) + keys)
    names = ", ".join(columns)
    new, old = (", ".join(f"{side}.{c}" for c in columns) for side in ("EXCLUDED", "t"))
    same_key = " AND ".join(f"r.{k} = t.{k}" for k in ("slice_id",) + keys)
    return f"""
{name}_written AS (
    INSERT INTO {{{table}}} AS t ({key}, {names})
    SELECT {key}, {names} FROM {name}_rows
    ON CONFLICT ({key}) DO UPDATE SET ({names}) = ROW({new}) WHERE ({old}) IS DISTINCT FROM ({new})
),
{name}_gone AS (
    DELETE FROM {{{table}}} t
    WHERE t.slice_id = ANY(%(slices)s) AND NOT EXISTS (SELECT 1 FROM {name}_rows r WHERE {same_key})
)"""


# One statement computes the slices' versions and sums from the same snapshot and stores
# them (_write). The scores are read, joined and grouped into units (the scores a panel gave one
# pinned question) once; the candidate's decision is joined per scorecard, not per score.
# Per unit, one GROUP BY gives the sums Krippendorff's alpha needs, the raters and their
# scores (for the ICC panels) and, unnested, each score beside its co-panelists' mean for
# leniency. The rest of a scorecard is its total (a GROUP BY joined back) minus the score.
REFRESH_SQL = "WITH" + VERSIONS.replace("{where}", "AND sc.interview_id / %(size)s = ANY(%(slices)s)") + """,
scorecards AS MATERIALIZED (
    -- hired: 1 hire, 0 no hire, NULL otherwise (hold, undecided)
    SELECT sc.id, sc.interviewer_id, sc.interview_id / %(size)s AS slice_no,
           CASE l.decision WHEN %(hire)s THEN 1.0::float8 WHEN %(no_hire)s THEN 0.0::float8 END AS hired
    FROM {card} sc
    JOIN {interview} iv ON iv.id = sc.interview_id
    LEFT JOIN latest l ON l.candidate_id = iv.candidate_id
    WHERE sc.status = %(submitted)s AND sc.interview_id / %(size)s = ANY(%(slices)s)
),
s AS MATERIALIZED (
    SELECT c.slice_no, qs.score::float8 AS score, qs.scorecard_id, qs.question_id AS unit_id,
           rev.question_id AS bank_question_id, c.interviewer_id, c.hired
    FROM {score} qs
    JOIN scorecards c ON c.id = qs.scorecard_id
    JOIN {iq} iq ON iq.id = qs.question_id
    LEFT JOIN {revision} rev ON rev.id = iq.revision_id
    WHERE qs.score IS NOT NULL
),
totals AS (SELECT scorecard_id, SUM(score) AS total, COUNT(*) AS m FROM s GROUP BY scorecard_id),
with_rest AS (
    -- each bank question's score beside the mean of the rest of its scorecard (NULL alone)
    SELECT s.slice_no, s.bank_question_id, s.score, s.hired, (t.total - s.score) / NULLIF(t.m - 1, 0) AS rest
    FROM s JOIN totals t ON t.scorecard_id = s.scorecard_id
    WHERE s.bank_question_id IS NOT NULL
),
units AS MATERIALIZED (
    -- every unit, ad-hoc (bank_question_id NULL) and single-score ones included: leniency
    -- and the interviewers' own figures count them
    SELECT slice_no, bank_question_id, COUNT(*) AS m, SUM(score) AS total, SUM(score * score) AS squares,
           ARRAY_AGG(interviewer_id ORDER BY interviewer_id) AS raters, ARRAY_AGG(score ORDER BY interviewer_id) AS scores
    FROM s GROUP BY slice_no, bank_question_id, unit_id
),
pairable AS (SELECT * FROM units WHERE bank_question_id IS NOT NULL AND m > 1),
agreement AS (
    SELECT slice_no, bank_question_id, COUNT(*) AS units, SUM(m)::int AS pairable,
           SUM(2 * m * (squares - total * total / m) / (m - 1)) AS within, SUM(total) AS total, SUM(squares) AS squares
    FROM pairable GROUP BY slice_no, bank_question_id
),
question_rows AS (
    SELECT q.slice_no AS slice_id, q.bank_question_id AS question_id, q.n, q.sum_x, q.sum_xx,
           q.rest_n, q.rest_x, q.rest_y, q.rest_xy, q.rest_xx, q.rest_yy,
           q.hire_n, q.hire_x, q.hire_y, q.hire_xy, q.hire_xx, q.hire_yy,
           COALESCE(a.units, 0) AS units, COALESCE(a.pairable, 0) AS pairable, COALESCE(a.within, 0) AS within,
           COALESCE(a.total, 0) AS total, COALESCE(a.squares, 0) AS squares
    FROM (
        SELECT slice_no, bank_question_id, COUNT(*) AS n, SUM(score) AS sum_x, SUM(score * score) AS sum_xx,
               COUNT(rest) AS rest_n, COALESCE(SUM(score) FILTER (WHERE rest IS NOT NULL), 0) AS rest_x,
               COALESCE(SUM(rest), 0) AS rest_y, COALESCE(SUM(score * rest), 0) AS rest_xy,
               COALESCE(SUM(score * score) FILTER (WHERE rest IS NOT NULL), 0) AS rest_xx,
               COALESCE(SUM(rest * rest), 0) AS rest_yy,
               COUNT(hired) AS hire_n, COALESCE(SUM(score) FILTER (WHERE hired IS NOT NULL), 0) AS hire_x,
               COALESCE(SUM(hired), 0) AS hire_y, COALESCE(SUM(score * hired), 0) AS hire_xy,
               COALESCE(SUM(score * score) FILTER (WHERE hired IS NOT NULL), 0) AS hire_xx,
               COALESCE(SUM(hired * hired), 0) AS hire_yy
        FROM with_rest GROUP BY slice_no, bank_question_id
    ) q
    LEFT JOIN agreement a ON a.slice_no = q.slice_no AND a.bank_question_id = q.bank_question_id
),
interviewer_rows AS (
    -- leniency: each score minus its co-panelists' mean; NULL where nobody else scored it
    SELECT slice_no AS slice_id, interviewer_id, COUNT(*) AS n, SUM(score) AS sum_x, SUM(score * score) AS sum_xx,
           COUNT(gap) AS leniency_n, COALESCE(SUM(gap), 0) AS leniency_sum
    FROM (
        SELECT slice_no, interviewer_id, score, score - (total - score) / NULLIF(m - 1, 0) AS gap
        FROM units, UNNEST(raters, scores) AS r(interviewer_id, score)
    ) r
    GROUP BY slice_no, interviewer_id
),
panel_columns AS (
    -- each rater's total over the units an exact panel scored (raters are in id order)
    SELECT slice_no, bank_question_id, raters, position, SUM(score) AS column_total
    FROM pairable, UNNEST(scores) WITH ORDINALITY AS c(score, position)
    GROUP BY slice_no, bank_question_id, raters, position
),
panel_rows AS (
    SELECT p.slice_no AS slice_id, p.bank_question_id AS question_id, p.raters, p.units, p.total, p.squares,
           p.row_squares, c.columns
    FROM (
        SELECT slice_no, bank_question_id, raters, COUNT(*) AS units, SUM(total) AS total, SUM(squares) AS squares,
               SUM(total * total) AS row_squares
        FROM pairable GROUP BY slice_no, bank_question_id, raters
    ) p
    JOIN (
        SELECT slice_no, bank_question_id, raters, ARRAY_AGG(column_total ORDER BY position) AS columns
        FROM panel_columns GROUP BY slice_no, bank_question_id, raters
    ) c ON c.slice_no = p.slice_no AND c.bank_question_id = p.bank_question_id AND c.raters = p.raters
),""" + _write("question", "question_sums", ("question_id",), QUESTION_SUMS) + "," + _write(
    "interviewer", "interviewer_sums", ("interviewer_id",), INTERVIEWER_SUMS) + "," + _write(
    "panel", "panel_sums", ("question_id", "raters"), PANEL_SUMS) + """,
slices_gone AS (
    DELETE FROM {slice} s
    WHERE s.number = ANY(%(slices)s) AND NOT EXISTS (SELECT 1 FROM current_version v WHERE v.slice_no = s.number)
)
INSERT INTO {slice} (number, version, computed_at)
SELECT slice_no, version, CLOCK_TIMESTAMP() FROM current_version
ON CONFLICT (number) DO UPDATE SET version = EXCLUDED.version, computed_at = EXCLUDED.computed_at
"""

# Per interviewer, the slices' sums added up.
INTERVIEWER_SQL = """
SELECT interviewer_id, SUM(n) AS n, SUM(sum_x) AS sum_x, SUM(sum_xx) AS sum_xx,
       SUM(leniency_n) AS leniency_n, SUM(leniency_sum) AS leniency_sum
FROM {interviewer_sums}
GROUP BY interviewer_id
"""

# Per bank question, the slices' sums added up, with the ICC(2,1) sums of the exact panel
# that scored it most often (ties: the larger panel, then the lower ids), whose rater totals
# are added up in Python (one small array per slice).
QUESTION_SQL = """
WITH panel_units AS (
    SELECT question_id, raters, SUM(units) AS units FROM {panel_sums} GROUP BY question_id, raters
),
panel AS (
    SELECT DISTINCT ON (question_id) question_id, raters FROM panel_units
    ORDER BY question_id, units DESC, CARDINALITY(raters) DESC, raters
),
icc AS (
    SELECT p.question_id, p.raters, SUM(s.units) AS units, SUM(s.total) AS total, SUM(s.squares) AS squares,
           SUM(s.row_squares) AS row_squares, ARRAY_AGG(s.columns) AS columns
    FROM panel p JOIN {panel_sums} s ON s.question_id = p.question_id AND s.raters = p.raters
    GROUP BY p.question_id, p.raters
)
SELECT q.*, i.raters, i.units AS icc_units, i.total AS icc_total, i.squares AS icc_squares,
       i.row_squares AS icc_row_squares, i.columns AS icc_columns
FROM (
    SELECT question_id, SUM(n) AS n, SUM(sum_x) AS sum_x, SUM(sum_xx) AS sum_xx,
           SUM(rest_n) AS rest_n, SUM(rest_x) AS rest_x, SUM(rest_y) AS rest_y, SUM(rest_xy) AS rest_xy,
           SUM(rest_xx) AS rest_xx, SUM(rest_yy) AS rest_yy,
           SUM(hire_n) AS hire_n, SUM(hire_x) AS hire_x, SUM(hire_y) AS hire_y, SUM(hire_xy) AS hire_xy,
           SUM(hire_xx) AS hire_xx, SUM(hire_yy) AS hire_yy,
           SUM(units) AS units, SUM(pairable) AS pairable, SUM(within) AS within, SUM(total) AS total,
           SUM(squares) AS squares
    FROM {question_sums}
    GROUP BY question_id
) q
LEFT JOIN icc i ON i.question_id = q.question_id
"""
