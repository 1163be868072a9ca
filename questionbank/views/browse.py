"""Reading the bank: the searchable list, a question, a past revision with its diff."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..diffing import revision_diff
from ..models import PlanCriterion, Question, QuestionRevision
from ..selectors import FACETS, clean_filters, facet_counts, highlights, search

PAGE_SIZE = 20


@permission_required("questionbank.view_question", raise_exception=True)
def question_list(request):
    base = Question.objects.visible_to(request.user)
    filters = clean_filters(request.GET)
    text = request.GET.get("q", "").strip()[:200]
    qs, mode, match_q = search(base, text=text, filters=filters)
    counts, total = facet_counts(base, match_q=match_q, filters=filters)
    paginator = Paginator(qs.only("pk", "slug", "title", "area", "kind", "level", "roles", "status"), PAGE_SIZE)
    if mode != "similar":
        # The facet query has counted exactly the rows listed; this saves the paginator's own
        # COUNT, a second pass over every match (the typo fallback's facets count at most 200
        # rows, so it keeps its own count).
        paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    marks = highlights(rows, text) if mode == "fulltext" else {}
    facets = [
        {
            "name": name,
            "label": {"role": "Role track"}.get(name, name.title()),
            "active": filters.get(name, ""),
            "options": [
                {"value": value, "label": label, "count": counts[name].get(value, 0)}
                for value, label in choices.choices
            ],
        }
        for name, choices in FACETS.items()
    ]
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "questionbank/question_list.html",
        {
            "page": page,
            "rows": [(q, marks.get(q.pk)) for q in rows],
            "facets": facets,
            "filters": filters,
            "q": text,
            "mode": mode,
            "querystring": query_without_page.urlencode(),
        },
    )


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
