"""Reading the bank: the searchable list, a question, a past revision with its diff."""

from urllib.parse import quote

from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..diffing import revision_diff
from ..models import PlanCriterion, Question, QuestionRevision
from ..selectors import FACETS, clean_filters, list_page

PAGE_SIZE = 20


@permission_required("questionbank.view_question", raise_exception=True)
def question_list(request):
    filters = clean_filters(request.GET)
    text = request.GET.get("q", "").strip()[:200]
    listing = list_page(
        request.user, text=text, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE,
    )
    facets = [
        {
            "name": name,
            "label": {"role": "Role track"}.get(name, name.title()),
            "active": filters.get(name, ""),
            "options": _facet_options(name, choices, listing.counts[name], text=text, filters=filters),
        }
        for name, choices in FACETS.items()
    ]
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "questionbank/question_list.html",
        {
            "page": listing.page,
            "rows": listing.rows,
            "facets": facets,
            "filters": filters,
            "q": text,
            "mode": listing.mode,
            "querystring": query_without_page.urlencode(),
        },
    )


def _facet_options(name, choices, counts, *, text, filters):
    """A facet's values with their counts and links: the search and the other facets' filters
    kept, this facet's set to the value (or cleared, for the active value). Built here once per
    facet rather than by an include per value (the template escapes the &s)."""
    others = "?" + (f"q={quote(text)}" if text else "")
    others += "".join(f"&{other}={quote(value)}" for other, value in filters.items() if other != name)
    active = filters.get(name)
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "href": others if value == active else f"{others}&{name}={value}",
        }
        for value, label in choices.choices
    ]


def _revision_prefetch():
    return Prefetch("criteria"), Prefetch("anchors")


@permission_required("questionbank.view_question", raise_exception=True)
def question_detail(request, slug):
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related("current_revision"), slug=slug
    )
    # The current revision came with the question (select_related): only its criteria and
    # anchors are fetched, instead of reading the revision's long texts a second time.
    revision = question.current_revision
    if revision is None:
        raise Http404("This question has no revision yet.")
    prefetch_related_objects([revision], *_revision_prefetch())
    history = question.revisions.select_related("created_by").only(
        "number", "title", "change_note", "created_at", "created_by__username", "question_id"
    )
    return render(
        request,
        "questionbank/question_detail.html",
        {"question": question, "revision": revision, "history": history},
    )


@permission_required("questionbank.view_question", raise_exception=True)
def revision_detail(request, slug, number):
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related("current_revision"), slug=slug
    )
    revision = get_object_or_404(
        QuestionRevision.objects.prefetch_related(*_revision_prefetch()), question=question, number=number
    )
    current = QuestionRevision.objects.prefetch_related(*_revision_prefetch()).get(pk=question.current_revision_id)
    return render(
        request,
        "questionbank/revision_detail.html",
        {"question": question, "revision": revision, "current": current, "diff": revision_diff(revision, current)},
    )


@permission_required("questionbank.view_question", raise_exception=True)
def plan_criteria(request):
    return render(request, "questionbank/plan_criteria.html", {"criteria": PlanCriterion.objects.all()})
