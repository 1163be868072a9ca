"""The debrief page's cache (scoring/views/debrief.py).

Even with its reads cut to five queries, building a debrief costs ~9 ms (the scorecards the
viewer may see, ``Scorecard.objects.visible_to``, are ~3.5 ms of it: building, compiling and
planning its subqueries), about four bare pages. So what ``selectors.debrief`` returns is
cached, under a key that holds a *data version* read from the database in the same query as
the candidate (no extra round trip): a change shows on the next view, in every process, and
no process can serve a debrief older than its data. The template caches, under the same key,
the two fragments it renders from that data alone (the summary cards and the score tables,
~1.3 ms of template); never the decision form (it holds the CSRF token) nor the list of
missing scorecards (it says how overdue they are). The viewer is in the key, with everything
of theirs that ``visible_to`` reads and the candidate query does not re-read each time
(superuser or not; the position's hiring manager and recruiter).

The version is the signature (scoring/row_versions.py) of each set of rows the debrief is
built from. The rows, read by index (~0.2 ms on the bench data):

- the candidate's interviews (every status: ``visible_to`` reads the cancelled ones too), their
  panels, their pinned questions (revisions are immutable: the titles cannot change) and their
  scorecards (drafts too: their status decides what others see and who is missing);
- the score rows of the submitted scorecards (a draft's scores are not shown);
- the decisions;
- the users the page names (panellists, scorecard authors, decision authors).

Time-dependent text ("overdue by 2 days") is recomputed on every view from the cached
interview times.
"""

import hashlib

from django.core.cache import cache
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language

from .models import ScorecardStatus
from .row_versions import CACHE_SECONDS, SIGNATURE
from .selectors import debrief, overdue

CODE_VERSION = 2  # bump when what selectors.debrief returns changes shape

# ``= ANY(array)`` on the foreign-key indexes: one index scan per table, a few dozen rows.
VERSION_SQL = """
    WITH interview AS (
        SELECT array_agg(id) AS ids, {signature} AS signature
          FROM interviews_interview WHERE candidate_id = %s
    ), panel AS (
        SELECT array_agg(user_id) AS people, {signature} AS signature
          FROM interviews_interview_interviewers WHERE interview_id = ANY((SELECT ids FROM interview)::bigint[])
    ), card AS (
        SELECT array_agg(id) FILTER (WHERE status = %s) AS submitted, array_agg(interviewer_id) AS people,
               {signature} AS signature
          FROM scoring_scorecard WHERE interview_id = ANY((SELECT ids FROM interview)::bigint[])
    ), decision AS (
        SELECT array_agg(by_id) AS people, {signature} AS signature
          FROM scoring_decision WHERE candidate_id = %s
    )
    SELECT concat_ws(' ',
        (SELECT signature FROM interview), (SELECT signature FROM panel), (SELECT signature FROM card),
        (SELECT signature FROM decision),
        (SELECT {signature} FROM interviews_interviewquestion
          WHERE interview_id = ANY((SELECT ids FROM interview)::bigint[])),
        (SELECT {signature} FROM scoring_questionscore
          WHERE scorecard_id = ANY((SELECT submitted FROM card)::bigint[])),
        (SELECT {signature} FROM auth_user
          WHERE id = ANY((SELECT people FROM panel) || (SELECT people FROM card) || (SELECT people FROM decision)))
    )
"""
VERSION_SQL = VERSION_SQL.format(signature=SIGNATURE)


def with_version(candidates, *, pk):
    """``candidates`` with the data version of candidate ``pk``'s debrief as
    ``debrief_version``: computed once (an uncorrelated subquery), in the same round trip."""
    if not 0 < pk < 2**63:
        return candidates.none()  # no such candidate (and out of PostgreSQL's bigint range)
    return candidates.annotate(
        debrief_version=RawSQL(VERSION_SQL, [pk, ScorecardStatus.SUBMITTED, pk], output_field=CharField())
    )


def key(candidate, user):
    position = candidate.position
    raw = (f"{CODE_VERSION}|{get_language()}|{candidate.pk}|{candidate.debrief_version}|{user.pk}|{user.is_superuser}"
           f"|{position.hiring_manager_id}|{position.recruiter_id}")
    return "debrief:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_debrief(candidate, user):
    """``selectors.debrief(candidate, user)``, from the cache when its data has not changed,
    with its cache key as ``debrief_key`` (the template caches the fragments it renders from
    this data under it). ``candidate`` must come through ``with_version``."""
    cache_key = key(candidate, user)
    data = cache.get(cache_key)
    if data is None:
        data = debrief(candidate, user)
        cache.set(cache_key, data, CACHE_SECONDS)
    else:
        now = timezone.now()
        data["missing"] = [{**m, "overdue": overdue(m["interview"], now)} for m in data["missing"]]
    data["debrief_key"] = cache_key
    return data
