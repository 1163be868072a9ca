"""Warnings a recruiter sees before scheduling or rescheduling, and may override.

Unlike the form's errors (a double-booked panelist, a bad time), these do not stop the
interview: the view shows them with a "Schedule anyway" button and schedules only once they
are confirmed (``confirmation_token``). Each check adds plain sentences to one list."""

import hashlib

from .qualification import qualification_warnings


def schedule_warnings(*, plan, interviewers, starts_at, duration_minutes, interview=None, reverse_shadows=()):
    """What the recruiter should know before this panel asks this plan's questions at this
    time: today, the panelists not qualified for the plan's questions (interviews/qualification.py).
    ``interview`` is the interview being rescheduled (None for a new one)."""
    warnings = []
    warnings += qualification_warnings(plan=plan, interviewers=list(interviewers), reverse_shadows=reverse_shadows)
    return warnings


def confirmation_token(warnings):
    """What the "Schedule anyway" button sends back: a digest of the warnings it confirmed, so
    a recruiter who changes the panel after seeing them is warned again about the new one."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]
