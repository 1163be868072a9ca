"""Calibration analytics."""

from django.urls import path

from .views import calibration

urlpatterns = [
    path("calibration/", calibration.calibration_view, name="calibration"),
]
