"""Calibration analytics."""

urlpatterns = []
