"""Reads of the question bank: filtered, searched and faceted question lists."""

import re
from collections import defaultdict, namedtuple

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from config.database import custom_plans

from .models import SEARCH_CONFIG, Area, FacetCount, Kind, Level, Question, RoleTrack, Status

FACETS = {
    "area": Area,
    "kind": Kind,
    "level": Level,
    "role": RoleTrack,
    "status": Status,
}
FACET_COLUMNS = ("area", "kind", "level", "status", "roles")
# What a row of the list shows.
LIST_FIELDS = ("pk", "slug", "title", "area", "kind", "level", "roles", "status")
# word_similarity between the query and a title word sequence, for the typo fallback.
TYPO_THRESHOLD = 0.35
# Sentinels PostgreSQL puts around matches; replaced by <mark> after the text is escaped, so
# question text can never inject markup through a highlight.
_START, _STOP = "\x02", "\x03"


def facet_q(name, value):
    if name == "role":
        return Q(roles__contains=[value])
    return Q(**{name: value})


def clean_filters(params):
    """The valid facet filters of a query string; unknown values are dropped."""
    filters = {}
    for name, choices in FACETS.items():
        value = params.get(name, "")
        if value in choices.values:
            filters[name] = value
    return filters


_ISE_IZE = re.compile(r"^(\w+?)i([sz])(ation|ations|e|es|ed|ing|er|ers)$", re.IGNORECASE)


def _spelling_variants(word):
    """A word and its other -ise/-ize spelling (regularisation / regularization): the English
    stemmer keeps them apart, and the bank is written by both kinds of speller."""
    match = _ISE_IZE.match(word)
    if not match:
        return [word]
    stem, letter, ending = match.groups()
    other = "s" if letter.lower() == "z" else "z"
    return [word, f"{stem}i{other}{ending}"]


def search_query(text):
    """websearch syntax ("quoted phrases", -exclusions, or); plain words also match their
    other -ise/-ize spelling."""
    words = text.split()
    plain = all(re.fullmatch(r"[\w'-]+", w) and not w.startswith("-") and w.lower() != "or" for w in words)
    if not plain or not any(len(_spelling_variants(w)) > 1 for w in words):
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    query = None
    for word in words:
        either = None
        for variant in _spelling_variants(word):
            part = SearchQuery(variant, search_type="plain", config=SEARCH_CONFIG)
            either = part if either is None else either | part
        query = either if query is None else query & either
    return query


def quick_search(text, *, limit):
    """(questions, mode): up to ``limit`` published questions for ``text``, with their current
    revision, for the plan builder's and the live page's "add a question" boxes. mode is
    "fulltext" when full-text search found matches, best first, and "similar" when it found
    none and titles similar to the (perhaps mistyped) words are shown instead."""
    published = Question.objects.published().select_related("current_revision")
    query = search_query(text)
    hits = list(
        published.filter(search_vector=query)
        .annotate(rank=SearchRank(F("rank_vector"), query))  # title, prompt, key points: Question.rank_vector
        .order_by("-rank", "title")[:limit]
    )
    if hits:
        return hits, "fulltext"
    similar = (
        published.annotate(similarity=TrigramWordSimilarity(text, "title"))
        .filter(similarity__gte=TYPO_THRESHOLD)
        .order_by("-similarity", "title")
    )
    return list(similar[:limit]), "similar"


def _has(row, name, value):
    """Whether a group of facet_groups passes the filter name=value."""
    return value in row["roles"] if name == "role" else row[name] == value


def facet_groups(user):
    """The questions user may see grouped by all the facet columns at once (a few hundred
    groups: 306 on the bench's 100k questions), each {"area": ..., ..., "n": count}: the
    stored counts of FacetCount, which the database's triggers keep exact. Reading them takes
    ~0.3 ms where the GROUP BY over every question it replaces took ~25 ms on the bench's
    100k questions (the list page: ~36 ms before, ~10 ms after; docs/performance.md)."""
    return list(FacetCount.objects.visible_to(user).values(*FACET_COLUMNS, "n"))


def sum_groups(groups, filters):
    """Counts per facet value, each facet counted with every other active filter applied
    (so picking an area shows how many of each kind remain in that area), and the number of
    questions that pass every filter (the list's total). Returns (counts, total).

    Summed here from one grouping of the matches (facet_groups, or the search statement)
    whatever the number of filters: on 100k questions one scan per facet plus one for the
    paginator's total took most of the page's time (docs/performance.md)."""
    counts = {name: defaultdict(int) for name in FACETS}
    total = 0
    for row in groups:
        failing = {name for name, value in filters.items() if not _has(row, name, value)}
        if not failing:
            total += row["n"]
        for name in FACETS:
            if failing - {name}:
                continue  # filtered out by another facet
            for value in row["roles"] if name == "role" else [row[name]]:
                counts[name][value] += row["n"]
    return {name: dict(values) for name, values in counts.items()}, total


def _marked(text):
    return mark_safe(escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>"))


# --- the list page ---------------------------------------------------------------------------

# What /questions/ shows: mode ("all", "fulltext" or "similar"), the facet
# counts (sum_groups), the Paginator page and the rows as (question, highlights or None).
Listing = namedtuple("Listing", "mode counts page rows")


def list_page(user, *, text, filters, page, per_page):
    """The list page: the questions user may see passing the filters, searched for text (when
    given), with their facet counts, one page of rows and its highlights. Nothing is cached:
    the bench's cold budget holds without (docs/performance.md)."""
    text = (text or "").strip()
    base_qs = Question.objects.visible_to(user)
    if not text:
        return _browse(user, base_qs, filters=filters, page=page, per_page=per_page)
    return _search(base_qs, text=text, filters=filters, page=page, per_page=per_page)


def _requested_number(page):
    """The page number asked for when it is a valid one (within OFFSET's range);
    Paginator.get_page has the last word once the total is known (out of range means the
    last page)."""
    try:
        return min(max(int(page), 1), 2**31)
    except (TypeError, ValueError):
        return 1


def _counted_page(count, number, per_page):
    """A Paginator page for count rows fetched separately."""
    return Paginator(range(count), per_page).page(number)


def _filtered(base_qs, filters):
    qs = base_qs
    for name, value in filters.items():
        qs = qs.filter(facet_q(name, value))
    return qs


def _browse(user, base_qs, *, filters, page, per_page):
    """The list without a search, in (area, title) order (index qb_question_area_title): the
    facet counts and the total from the stored counts (facet_groups), then the page's rows."""
    counts, total = sum_groups(facet_groups(user), filters)
    paginator = Paginator(_filtered(base_qs, filters).order_by("area", "title").only(*LIST_FIELDS), per_page)
    paginator.count = total  # counted by the facet query: no COUNT(*) over every question
    shown = paginator.get_page(page)
    return Listing("all", counts, shown, [(q, None) for q in shown.object_list])


def _search(base_qs, *, text, filters, page, per_page):
    query = search_query(text)
    number = _requested_number(page)
    groups, ids = _ranked(base_qs, query=query, filters=filters, start=(number - 1) * per_page, size=per_page)
    counts, total = sum_groups(groups, filters)
    if not total:
        return _similar(base_qs, text=text, filters=filters, page=page, per_page=per_page)
    # The facet query has counted exactly the rows listed: no separate COUNT(*).
    shown = Paginator(range(total), per_page).get_page(page)
    if shown.number != number:  # out of range: get_page shows the last page
        _, ids = _ranked(base_qs, query=query, filters=filters, start=shown.start_index() - 1, size=per_page)
    return Listing("fulltext", counts, shown, _with_highlights(base_qs, ids, query))


# The ranking and the facet counts of a search in one pass over the matching rows: each
# match's heap row (wide: it holds the search vectors) is read once, not once for the counts
# and again for the ranking, and only the columns both need are kept (materialised). Returns
# the groups of facet_groups as JSON and the ids of one page, best first, with the filters.
RANKED_SQL = """
WITH matches (id, area, kind, level, status, roles, title, rank) AS MATERIALIZED ({matches})
SELECT
    (SELECT coalesce(json_agg(g), '[]') FROM (
        SELECT area, kind, level, status, roles, count(*) AS n FROM matches GROUP BY 1, 2, 3, 4, 5) g),
    ARRAY(SELECT id FROM matches WHERE {where} ORDER BY rank DESC, title LIMIT %s OFFSET %s)
"""


def _ranked(base_qs, *, query, filters, start, size):
    """(groups, ids): every match of query in base_qs grouped by facet columns, and the ids
    of the matches passing the filters from start to start + size, best first."""
    matches = (
        base_qs.filter(search_vector=query)
        .order_by()
        .annotate(rank=SearchRank(F("rank_vector"), query))  # title, prompt, key points: Question.rank_vector
        .values_list("pk", *FACET_COLUMNS, "title", "rank")
    )
    matches_sql, params = matches.query.sql_with_params()
    where, where_params = ["TRUE"], []
    for name, value in filters.items():  # names are FACETS' keys (clean_filters)
        where.append("roles @> ARRAY[%s]::varchar[]" if name == "role" else f"{name} = %s")
        where_params.append(value)
    sql = RANKED_SQL.format(matches=matches_sql, where=" AND ".join(where))
    with custom_plans(), connection.cursor() as cursor:  # planned for this query's words
        cursor.execute(sql, [*params, *where_params, size, start])
        return cursor.fetchone()


def _with_highlights(base_qs, ids, query):
    """The questions of ids, in that order, each with its highlighted title and snippet (one
    query; ts_headline, the costly part, runs on these rows only)."""
    if not ids:
        return []
    options = {"start_sel": _START, "stop_sel": _STOP, "config": SEARCH_CONFIG}
    questions = (
        base_qs.filter(pk__in=ids)
        .order_by()
        .only(*LIST_FIELDS)
        .annotate(
            title_hl=SearchHeadline("title", query, highlight_all=True, **options),
            snippet_hl=SearchHeadline("current_revision__prompt", query, max_words=30, min_words=12, **options),
            answer_hl=SearchHeadline(
                "current_revision__model_answer", query, max_fragments=2, max_words=18, min_words=6, **options
            ),
        )
    )
    by_pk = {q.pk: q for q in questions}
    rows = []
    for q in (by_pk[pk] for pk in ids if pk in by_pk):  # (one deleted meanwhile is left out)
        answer = q.answer_hl if _START in (q.answer_hl or "") else ""
        rows.append((q, {"title": _marked(q.title_hl), "snippet": _marked(q.snippet_hl), "answer": _marked(answer)}))
    return rows


def _similar(base_qs, *, text, filters, page, per_page):
    """No full-text match: titles similar to the (perhaps mistyped) words, most similar
    first; the facets count the 200 most similar."""
    similar = (
        _filtered(base_qs, filters)
        .annotate(similarity=TrigramWordSimilarity(text, "title"))
        .filter(similarity__gte=TYPO_THRESHOLD)
        .order_by("-similarity", "title")
    )
    top = [{**row, "n": 1} for row in similar.values(*FACET_COLUMNS)[:200]]
    counts, _ = sum_groups(top, filters)
    paginator = Paginator(similar.only(*LIST_FIELDS), per_page)
    shown = paginator.get_page(page)
    rows = [(q, None) for q in shown.object_list]
    return Listing("similar", counts, _counted_page(paginator.count, shown.number, per_page), rows)
