"""The comparison of a position's candidates: a sortable, filterable table, two charts, and
the same table as CSV."""

import csv

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from interviews.models import Position, Stage

from .. import charts
from ..comparison import Options, compare, csv_safe
from ..models import audit


def _csv_response(table, position):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compare-position-{position.pk}.csv"'
    response.write("\ufeff")  # a byte-order mark, so spreadsheets read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(table.header)
    for row in table.cells():
        writer.writerow([csv_safe(text) for text in row])
    return response


@permission_required("scoring.compare_candidates", raise_exception=True)
def compare_view(request, pk):
    position = get_object_or_404(Position.objects.visible_to(request.user), pk=pk)
    options = Options.from_query(request.GET)
    table = compare(position=position, user=request.user, options=options)
    if request.GET.get("format") == "csv":
        audit(actor=request.user, action="compare.export_csv", target=f"position {pk}", rows=len(table.rows),
              query=options.query())
        return _csv_response(table, position)
    total = len(table.rows)
    scored_rows = [r for r in table.rows if r.overall is not None]
    return render(request, "scoring/compare.html", {
        "position": position,
        "table": table,
        "options": options,
        "stages": Stage.choices,
        "csv_query": options.query(sort=table.sort, dir=table.direction, format="csv"),
        "bar_chart": charts.bar_chart(scored_rows, table.competencies, total=len(scored_rows)) if scored_rows and table.competencies else None,
        "heat_map": charts.heat_map(scored_rows, table.competencies, total=len(scored_rows)) if scored_rows and table.competencies else None,
        "chart_limit": charts.MAX_ROWS,
        "charted": min(len(scored_rows), charts.MAX_ROWS),
        "scored_count": len(scored_rows),
        "total": total,
        "filtered": bool(options.stage or options.complete is not None),
    })
