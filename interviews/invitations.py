"""Invitations: each panelist gets an e-mail with the interview's calendar file when it is
scheduled, a new one when it moves, and a cancellation when it is cancelled or they leave the
panel (RFC 5546: METHOD:REQUEST with the interview's UID and a higher SEQUENCE each time, then
METHOD:CANCEL). Called by the services in the transaction that changes the interview, so the
messages are recorded and queued only if the change commits (mail.services.message_queue)."""

from django.utils import timezone

from accounts.models import zone_of
from notifications.models import Kind
from notifications.services import notify
from notifications.webhooks import channel_post

from .calendar import absolute_url, interview_calendar


def invitations_send(*, interview, to=None):
    """Invite ``to`` (default: the whole panel) to ``interview`` as it is now. One message per
    person and SEQUENCE: the same change never invites anyone twice."""
    ics = interview_calendar([interview], method="REQUEST").decode()
    panel = list(interview.interviewers.all())
    for person in panel if to is None else list(to):
        zone = zone_of(person)
        when = timezone.localtime(interview.starts_at, zone)
        notify(
            recipient=person, kind=Kind.INVITATION,
            key=f"invitation:interview-{interview.pk}:seq-{interview.sequence}:user-{person.pk}",
            text=f"{'Moved: ' if interview.sequence else ''}interview with {interview.candidate.name}, "
                 f"{_day_and_time(when)} ({zone.key})",
            url=interview.get_absolute_url(),
            email={"reason": "invitation", "time_zone": zone, "template": "invitation",
                   "context": _context(interview, person, panel),
                   "attachment": (f"interview-{interview.pk}.ics", "text/calendar; method=REQUEST; charset=utf-8", ics)},
        )


def cancellations_send(*, interview, to=None):
    """Tell ``to`` (default: the whole panel) that ``interview`` is cancelled, or that they are
    no longer on its panel, with a METHOD:CANCEL calendar file that removes the event."""
    ics = interview_calendar([interview], method="CANCEL").decode()
    panel = list(interview.interviewers.all())
    for person in panel if to is None else list(to):
        zone = zone_of(person)
        when = timezone.localtime(interview.starts_at, zone)
        on_panel = person in panel
        notify(
            recipient=person, kind=Kind.INVITATION,
            key=f"cancellation:interview-{interview.pk}:seq-{interview.sequence}:user-{person.pk}",
            text=f"{'Cancelled' if on_panel else 'No longer on the panel'}: interview with "
                 f"{interview.candidate.name}, {_day_and_time(when)} ({zone.key})",
            url=interview.get_absolute_url() if on_panel else "",
            email={"reason": "cancellation", "time_zone": zone, "template": "cancellation",
                   "context": _context(interview, person, panel),
                   "attachment": (f"interview-{interview.pk}.ics", "text/calendar; method=CANCEL; charset=utf-8", ics)},
        )


def _day_and_time(when):
    """"Sat 5 Dec 09:30": the day without a leading zero, as the mails write it."""
    return f"{when:%a} {when.day} {when:%b %H:%M}"


def channel_tell(*, interview, what):
    """The interview's event (``what``: "scheduled", "moved" or "cancelled") to its position's
    chat channels, once per interview, event and SEQUENCE."""
    when = timezone.localtime(interview.starts_at)
    panel = ", ".join(p.get_full_name() or p.username for p in interview.interviewers.all())
    candidate = interview.candidate
    text = {"scheduled": "Interview scheduled", "moved": "Interview moved", "cancelled": "Interview cancelled"}[what]
    channel_post(position=candidate.position, key=f"channel:interview-{interview.pk}:{what}:seq-{interview.sequence}",
                 text=f"{text}: {candidate.name} ({candidate.position.title}), {interview.plan_name}, "
                      f"{_day_and_time(when)} {timezone.get_current_timezone_name()}; panel: {panel or 'none'}",
                 link=absolute_url(interview.get_absolute_url()))


def _context(interview, person, panel):
    candidate = interview.candidate
    return {
        "interview": interview, "candidate": candidate, "position": candidate.position,
        "interview_url": absolute_url(interview.get_absolute_url()),
        "panel": [p.get_full_name() or p.username for p in panel], "on_panel": person in panel,
    }
