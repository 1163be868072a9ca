"""Reads of the question bank: filtered, searched and faceted question lists."""

import re
from collections import defaultdict

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Count, F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SEARCH_CONFIG, Area, Kind, Level, Question, RoleTrack, Status

FACETS = {
    "area": Area,
    "kind": Kind,
    "level": Level,
    "role": RoleTrack,
    "status": Status,
}
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


def search(base_qs, *, text, filters):
    """Return (queryset, mode, match_q) for the list page.

    mode is "all" without a search, "fulltext" when full-text search found matches, and
    "similar" when it found none and titles similar to the (perhaps mistyped) words are shown.
    match_q is the search condition alone, used for the facet counts."""
    qs = base_qs
    for name, value in filters.items():
        qs = qs.filter(facet_q(name, value))
    text = (text or "").strip()
    if not text:
        return qs.order_by("area", "title"), "all", Q()
    query = search_query(text)
    match_q = Q(search_vector=query)
    hits = qs.filter(match_q).annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "title")
    if hits.exists():
        return hits, "fulltext", match_q
    similar = (
        qs.annotate(similarity=TrigramWordSimilarity(text, "title"))
        .filter(similarity__gte=TYPO_THRESHOLD)
        .order_by("-similarity", "title")
    )
    ids = list(similar.values_list("pk", flat=True)[:200])
    return similar, "similar", Q(pk__in=ids)


def _has(row, name, value):
    """Whether a group of facet_counts' query passes the filter name=value."""
    return value in row["roles"] if name == "role" else row[name] == value


def facet_counts(base_qs, *, match_q, filters):
    """Counts per facet value, each facet counted with every other active filter applied
    (so picking an area shows how many of each kind remain in that area), and the number of
    questions that pass every filter (the list's total). Returns (counts, total).

    One query whatever the size of the bank and however many filters are active: the matching
    questions are grouped by all the facet columns at once (a few hundred groups at most:
    areas x kinds x levels x statuses x role sets), and each facet's counts are summed from
    those groups here. On 100k questions one scan per facet plus one for the paginator's
    total took most of the page's time (docs/performance.md); without a search the grouping is
    answered from the qb_question_facets index alone."""
    rows = (
        base_qs.filter(match_q)
        .order_by()
        .values("area", "kind", "level", "status", "roles")
        .annotate(n=Count("*"))
    )
    counts = {name: defaultdict(int) for name in FACETS}
    total = 0
    for row in rows:
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


def highlights(questions, text):
    """Highlighted title and snippet for the questions of one page (one query)."""
    if not questions:
        return {}
    query = search_query(text)
    options = {"start_sel": _START, "stop_sel": _STOP, "config": SEARCH_CONFIG}
    rows = (
        Question.objects.filter(pk__in=[q.pk for q in questions])
        .annotate(
            title_hl=SearchHeadline("title", query, highlight_all=True, **options),
            snippet_hl=SearchHeadline(
                "current_revision__prompt", query, max_words=30, min_words=12, **options
            ),
            answer_hl=SearchHeadline(
                "current_revision__model_answer", query, max_fragments=2, max_words=18, min_words=6, **options
            ),
        )
        .values("pk", "title_hl", "snippet_hl", "answer_hl")
    )
    result = {}
    for row in rows:
        answer = row["answer_hl"] if _START in (row["answer_hl"] or "") else ""
        result[row["pk"]] = {
            "title": _marked(row["title_hl"]),
            "snippet": _marked(row["snippet_hl"]),
            "answer": _marked(answer),
        }
    return result
