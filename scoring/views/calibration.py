"""The calibration pages: the company-wide figures (filtered if asked), the drill-down into
one interviewer's scorecards, and each interviewer's own figures."""

from dataclasses import replace

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.database import custom_plans
from interviews.models import Position

from ..calibration import (
    calibration_figures, calibration_report, calibration_snapshot, interviewer_scorecards, own_calibration,
)
from ..calibration_queries import scorecard_figures
from ..forms import CalibrationFilterForm
from ..models import Recommendation
from ..readings import signed

CARDS_PER_PAGE = 25


@require_GET
@permission_required("scoring.view_calibration", raise_exception=True)
def calibration_view(request):
    """Company-wide figures from submitted scorecards, as the worker last computed them (within
    a minute of a change); no candidate is named. Filtered, the same figures are computed in
    the request on the interviews the filters select (a second or less on the bench data)."""
    form = CalibrationFilterForm(request.GET or None, user=request.user)
    subset = form.subset()
    snapshot = None
    if subset and not request.user.is_superuser:
        visible = Position.objects.visible_to(request.user).values_list("pk", flat=True)
        subset = replace(subset, visible_position_ids=tuple(visible))
    if subset:
        with custom_plans():
            figures = calibration_figures(subset=subset)
    else:
        snapshot = calibration_snapshot()
        figures = snapshot.figures
    return render(request, "scoring/calibration.html", {
        "snapshot": snapshot, "form": form, "filtered": bool(subset), "filter_text": form.description(),
        "querystring": form.querystring(drop=("interviewer",)),
        **calibration_report(figures, interviewer_id=subset.interviewer_id),
    })


@require_GET
@permission_required("scoring.view_calibration", raise_exception=True)
def interviewer_view(request, pk):
    """One interviewer's submitted scorecards, with each card's overall and its leniency (the
    card's gap to its co-panelists), in the page's position and period filters; only the
    scorecards the viewer may see (their positions', for a hiring manager)."""
    person = get_object_or_404(get_user_model(), pk=pk)
    form = CalibrationFilterForm(request.GET or None, user=request.user)
    subset = form.subset()
    page = Paginator(interviewer_scorecards(viewer=request.user, interviewer=person, subset=subset),
                     CARDS_PER_PAGE).get_page(request.GET.get("page"))
    figures = scorecard_figures([card.pk for card in page])
    labels = dict(Recommendation.choices)
    rows = []
    for card in page:
        interview = card.interview
        numbers = figures.get(card.pk, {})
        rows.append({
            "card": card, "interview": interview, "candidate": interview.candidate,
            "recommendation": labels.get(card.recommendation, ""),
            "overall": numbers.get("overall"), "leniency": numbers.get("leniency"),
            "leniency_n": numbers.get("leniency_n", 0),
            "leniency_text": signed(numbers["leniency"]) if numbers.get("leniency_n") else "",
            "url": reverse("scoring:debrief", args=[interview.candidate.pk]) + f"#interview-{interview.pk}",
        })
    querystring = form.querystring(drop=("interviewer",))
    return render(request, "scoring/calibration_interviewer.html", {
        "person": person, "name": person.get_full_name() or person.username, "page": page, "rows": rows,
        "form": form, "filter_text": form.description(), "querystring": querystring,
    })


@require_GET
def my_calibration(request):
    """The signed-in person's own figures, and nobody else's: no id in the address, so no one
    can open another's page."""
    return render(request, "scoring/my_calibration.html", own_calibration(user=request.user))
