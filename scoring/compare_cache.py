"""The comparison page's cache (scoring/views/compare.py).

Comparing the 200 candidates of a position aggregates ~20,000 question scores and renders a
200-row table and two charts: ~50 ms, over ten times a bare page, however lean the queries.
So the rendered table and charts are cached, under a key that holds a *data version* read
from the database in the same query as the position: a change shows on the next view, in
every process, and no process can serve a page older than its data. The cached HTML holds no
CSRF token and nothing of the viewer but what they may see, and the viewer is in the key.

The version is the signature (scoring/row_versions.py) of each set of rows the page is built
from, read by index (~2 ms on the bench data, against ~50 ms for the page):

- the position's candidates and their decisions;
- their interviews, the interviews' panels and scorecards;
- and the newest amendment anywhere: the scores of a submitted scorecard change only through
  ``scorecard_amend``, which records one, and a draft's scores count only once it is
  submitted, which writes its scorecard. So the 20,000 score rows need not be read; nor the
  pinned interview questions (competency, weight), written once with their interview;
- with ``normalise``, the submitted scorecards of those interviewers on every position (their
  own history is the yardstick of the normalised score).

The position row itself (title, team, hiring manager, recruiter) comes with the same query;
the key holds it, the viewer and the options.
"""

import hashlib

from django.db.models import CharField
from django.db.models.expressions import RawSQL

from .models import ScorecardStatus
from .row_versions import SIGNATURE

# ``= ANY(array)`` rather than joins: PostgreSQL then reads exactly the position's rows through
# the foreign-key indexes (one index scan per table) instead of hashing whole tables.
VERSION_SQL = """
    WITH candidate AS (
        SELECT array_agg(id) AS ids, {signature} AS signature
          FROM interviews_candidate WHERE position_id = %s
    ), interview AS (
        SELECT array_agg(id) AS ids, {signature} AS signature
          FROM interviews_interview WHERE candidate_id = ANY((SELECT ids FROM candidate)::bigint[])
    ), card AS (
        SELECT array_agg(interviewer_id) AS interviewers, {signature} AS signature
          FROM scoring_scorecard WHERE interview_id = ANY((SELECT ids FROM interview)::bigint[])
    )
    SELECT concat_ws(' ',
        (SELECT signature FROM candidate),
        (SELECT signature FROM interview),
        (SELECT {signature} FROM interviews_interview_interviewers
          WHERE interview_id = ANY((SELECT ids FROM interview)::bigint[])),
        (SELECT signature FROM card),
        (SELECT {signature} FROM scoring_decision WHERE candidate_id = ANY((SELECT ids FROM candidate)::bigint[])),
        (SELECT max(id) FROM scoring_amendment){normalise}
    )
"""
NORMALISE_SQL = """,
        (SELECT {signature} FROM scoring_scorecard
          WHERE status = %s AND interviewer_id = ANY((SELECT interviewers FROM card)::bigint[]))"""


VERSION = VERSION_SQL.format(signature=SIGNATURE, normalise="")
VERSION_NORMALISED = VERSION_SQL.format(signature=SIGNATURE, normalise=NORMALISE_SQL.format(signature=SIGNATURE))


def with_version(positions, *, pk, options):
    """``positions`` with the data version of position ``pk``'s comparison as
    ``compare_version``: computed once (an uncorrelated subquery), in the same round trip."""
    if options.normalise:
        version = RawSQL(VERSION_NORMALISED, [pk, ScorecardStatus.SUBMITTED], output_field=CharField())
    else:
        version = RawSQL(VERSION, [pk], output_field=CharField())
    return positions.annotate(compare_version=version)


def key(position, user, options):
    """The cache key of what ``user`` sees of ``position`` with ``options``. (The cache is
    each process's own memory, emptied by a deploy; a cache shared across deploys would also
    need the code's revision here, for a changed template.)"""
    parts = (position.pk, position.compare_version, position.title, position.team, position.hiring_manager_id,
             position.recruiter_id, user.pk, user.is_superuser, options.query())
    return "scoring:compare:" + hashlib.sha256(repr(parts).encode()).hexdigest()
