"""The comparison of a position's candidates: a sortable, filterable table, two charts, and
the same table as CSV (an audited export)."""

import csv

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import audit
from interviews.models import Position, Stage
from questionbank.exporting import csv_safe

from .. import charts
from ..comparison import Options, compare


def _csv_response(table, position):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compare-position-{position.pk}.csv"'
    response.write("\ufeff")  # a byte-order mark, so spreadsheets read the names as UTF-8
    writer = csv.writer(response)
    # Every cell, the header too: its column labels are competency names that hiring managers
    # and interviewers type.
    writer.writerow([csv_safe(text) for text in table.header])
    for row in table.cells():
        writer.writerow([csv_safe(text) for text in row])
    return response


def _get_position(request, pk):
    """The position; 404 unless the user may see it (``Position.objects.visible_to``). Its
    hiring manager and recruiter, and admins, always may: for them the visibility query, whose
    join through every interview and panel of the position costs ~3 ms, is not run."""
    position = get_object_or_404(Position.objects.all(), pk=pk)
    user = request.user
    if not position.is_run_by(user) and not Position.objects.visible_to(user).filter(pk=pk).exists():
        raise Http404("No position matches the given query.")
    return position


def _context(position, user, options):
    """The page's context: filters, table and charts."""
    table = compare(position=position, user=user, options=options)
    total = len(table.rows)
    scored_rows = [r for r in table.rows if r.overall is not None]
    drawn = bool(scored_rows and table.competencies)
    return {
        "position": position,
        "table": table,
        "options": options,
        "stages": Stage.choices,
        "csv_query": options.query(sort=table.sort, dir=table.direction, format="csv"),
        "bar_chart": charts.bar_chart(scored_rows, table.competencies, total=len(scored_rows)) if drawn else None,
        "heat_map": charts.heat_map(scored_rows, table.competencies, total=len(scored_rows)) if drawn else None,
        "chart_limit": charts.MAX_ROWS,
        "charted": min(len(scored_rows), charts.MAX_ROWS),
        "scored_count": len(scored_rows),
        "total": total,
        "filtered": bool(options.stage or options.complete is not None),
    }


@permission_required("scoring.compare_candidates", raise_exception=True)
def compare_view(request, pk):
    options = Options.from_query(request.GET)
    if request.GET.get("format") == "csv":
        position = get_object_or_404(Position.objects.visible_to(request.user), pk=pk)
        table = compare(position=position, user=request.user, options=options)
        audit(actor=request.user, action="compare.export_csv", target=f"position {pk}", rows=len(table.rows),
              query=options.query())
        return _csv_response(table, position)
    position = _get_position(request, pk)
    return render(request, "scoring/compare.html", _context(position, request.user, options))
