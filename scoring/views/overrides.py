"""The report of overrides: a position's decisions that went against its decision rule."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from interviews.models import Position

from ..models import OVERRIDE_Q, Decision

PAGE_SIZE = 50


@permission_required("interviews.view_position", raise_exception=True)
def overrides_view(request, pk):
    """For those who run the position (its hiring manager and recruiter) and admins. Four
    queries whatever the number of decisions: the position, the counts, the page's count and
    the page's decisions with their candidate and author."""
    position = get_object_or_404(Position.objects.all(), pk=pk)
    if not position.is_run_by(request.user):
        raise Http404("No position matches the given query.")
    decisions = Decision.objects.filter(candidate__position=position)
    counts = decisions.exclude(rule_verdict="").aggregate(with_rule=Count("pk"), against=Count("pk", filter=OVERRIDE_Q),
                                                          candidates=Count("candidate", distinct=True))
    rows = (decisions.overrides().select_related("candidate", "by")
            .only("decision", "rationale", "at", "rule_verdict", "rule_text", "rule_reason", "rule_score",
                  "override_reason", "candidate__name", "by__username", "by__first_name", "by__last_name")
            .order_by("-at", "-pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "scoring/overrides.html", {"position": position, "page": page, "counts": counts})
