"""The panel load page: interviews per person per week against their weekly limit."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone

from ..load import WEEKS_SHOWN, load_table, week_start

EARLIEST, LATEST = datetime.date(2000, 1, 3), datetime.date(2099, 12, 28)


def _first_monday(request):
    """The Monday of the ``week`` asked for (any day of it, YYYY-MM-DD), else of this week."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    asked = request.GET.get("week", "")
    if not asked:
        return week_start(today)
    try:
        day = datetime.date.fromisoformat(asked[:10])
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        messages.warning(request, "That week is not a date Panelist reads (use the arrows): showing this week.")
        return week_start(today)
    return week_start(day)


@permission_required("interviews.view_position", raise_exception=True)
def interview_load(request):
    first = _first_monday(request)
    mondays, rows = load_table(first_monday=first)
    return render(request, "interviews/load.html", {
        "mondays": mondays,
        "rows": rows,
        "earlier": first - datetime.timedelta(weeks=WEEKS_SHOWN),
        "later": first + datetime.timedelta(weeks=WEEKS_SHOWN),
        "this_week": week_start(timezone.localdate(timezone=timezone.get_default_timezone())),
        "over": sum(1 for row in rows for cell in row.cells if cell.state == "over"),
        "TIME_ZONE_NAME": timezone.get_default_timezone_name(),
    })
