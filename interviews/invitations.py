"""Invitations: each panelist gets an e-mail with the interview's calendar file when it is
scheduled, a new one when it moves, and a cancellation when it is cancelled or they leave the
panel (RFC 5546: METHOD:REQUEST with the interview's UID and a higher SEQUENCE each time, then
METHOD:CANCEL). Called by the services in the transaction that changes the interview, so the
messages are recorded and queued only if the change commits (mail.services.message_queue)."""

from accounts.models import profile_of
from mail.services import message_queue

from .calendar import absolute_url, interview_calendar


def invitations_send(*, interview, to=None):
    """Invite ``to`` (default: the whole panel) to ``interview`` as it is now. One message per
    person and SEQUENCE: the same change never invites anyone twice."""
    ics = interview_calendar([interview], method="REQUEST").decode()
    for person in _with_address(interview, to):
        message_queue(
            key=f"invitation:interview-{interview.pk}:seq-{interview.sequence}:user-{person.pk}",
            reason="invitation", recipient=person, time_zone=profile_of(person).zone,
            template="invitation", context=_context(interview, person),
            attachment=(f"interview-{interview.pk}.ics", "text/calendar; method=REQUEST; charset=utf-8", ics),
        )


def cancellations_send(*, interview, to=None):
    """Tell ``to`` (default: the whole panel) that ``interview`` is cancelled, or that they are
    no longer on its panel, with a METHOD:CANCEL calendar file that removes the event."""
    ics = interview_calendar([interview], method="CANCEL").decode()
    for person in _with_address(interview, to):
        message_queue(
            key=f"cancellation:interview-{interview.pk}:seq-{interview.sequence}:user-{person.pk}",
            reason="cancellation", recipient=person, time_zone=profile_of(person).zone,
            template="cancellation", context=_context(interview, person),
            attachment=(f"interview-{interview.pk}.ics", "text/calendar; method=CANCEL; charset=utf-8", ics),
        )


def _with_address(interview, to):
    """The people to write to: ``to`` or the panel, those with an e-mail address."""
    people = interview.interviewers.all() if to is None else to
    return [person for person in people if person.email]


def _context(interview, person):
    candidate = interview.candidate
    return {
        "interview": interview, "candidate": candidate, "position": candidate.position,
        "interview_url": absolute_url(interview.get_absolute_url()),
        "panel": [p.get_full_name() or p.username for p in interview.interviewers.all()],
        "on_panel": interview.interviewers.filter(pk=person.pk).exists(),
    }
