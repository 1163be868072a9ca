"""The calibration page: how interviewers score and how bank questions behave."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from ..calibration import calibration_report, calibration_snapshot


@permission_required("scoring.view_calibration", raise_exception=True)
def calibration_view(request):
    """Company-wide figures from submitted scorecards, as the worker last computed them (within
    a minute of a change); no candidate is named."""
    snapshot = calibration_snapshot()
    return render(request, "scoring/calibration.html", {"snapshot": snapshot, **calibration_report(snapshot.figures)})
