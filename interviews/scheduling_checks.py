"""Warnings a recruiter sees before scheduling or rescheduling, and may override.

Unlike the form's errors (a double-booked panelist, a bad time), these do not stop the
interview: the view shows them with a "Schedule anyway" button and schedules only once they
are confirmed (``confirmation_token``). Each check adds plain sentences to one list."""

import hashlib

from .load import load_warnings
from .qualification import qualification_warnings


def schedule_warnings(*, plan, interviewers, starts_at, duration_minutes, interview=None, reverse_shadows=()):
    """What the recruiter should know before this panel asks this plan's questions at this
    time: the panelists not qualified for the plan's questions (interviews/qualification.py), and
    those the interview would take past their weekly interview limit (interviews/load.py).
    ``interview`` is the interview being rescheduled (None for a new one)."""
    interviewers = list(interviewers)
    warnings = []
    warnings += qualification_warnings(plan=plan, interviewers=interviewers, reverse_shadows=reverse_shadows)
    warnings += load_warnings(interviewers=interviewers, starts_at=starts_at, interview=interview)
    return warnings


def confirmation_token(warnings):
    """What the "Schedule anyway" button sends back: a digest of the warnings it confirmed, so
    a recruiter who changes the panel after seeing them is warned again about the new one."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]
