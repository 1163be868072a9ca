"""Positions, candidates, interview plans and interviews (see docs/architecture.md)."""
