"""Scorecards and question scores (see docs/architecture.md)."""
