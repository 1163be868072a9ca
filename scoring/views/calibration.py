"""The calibration page: how interviewers score and how bank questions behave."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from ..calibration import calibration_report


@permission_required("scoring.view_calibration", raise_exception=True)
def calibration_view(request):
    """Company-wide figures from submitted scorecards; no candidate is named."""
    return render(request, "scoring/calibration.html", calibration_report())
