"""Positions, candidates, scheduling."""

urlpatterns = []
