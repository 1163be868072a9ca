"""Interviews as iCalendar (RFC 5545) events and files, for invitations (RFC 5546 iTIP:
METHOD REQUEST and CANCEL), the download on an interview's page and each person's feed
(METHOD PUBLISH).

Times are written in UTC ("...Z"): every calendar app shows them in its reader's own zone, so
no VTIMEZONE has to travel with the file. An event's UID is the same for an interview's whole
life, and its SEQUENCE (``Interview.sequence``, bumped on every reschedule and the cancel) tells
calendar apps which version is newest.

The builders read the interview's candidate, position (with its recruiter), plan name and
panel: load them with ``CALENDAR_RELATED`` and ``CALENDAR_PREFETCH`` to build many events
without a query per interview."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Panelist//Interviews//EN"
DEFAULT_DOMAIN = "panelist.local"

# What interview_event reads, for select_related and prefetch_related.
CALENDAR_RELATED = ("candidate__position__recruiter",)
CALENDAR_PREFETCH = ("interviewers",)


class Method:
    """The iTIP methods we write (RFC 5546): an invitation, its cancellation, a feed."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"


def absolute_url(path):
    """``path`` on the site's public address (settings.PANELIST_BASE_URL)."""
    return settings.PANELIST_BASE_URL.rstrip("/") + path


def interview_uid(interview):
    """The event's UID: the same for an interview's whole life, unique across sites."""
    domain = getattr(settings, "PANELIST_CALENDAR_DOMAIN", "") or DEFAULT_DOMAIN
    return f"interview-{interview.pk}@{domain}"


def _person_name(user):
    return user.get_full_name() or user.username


def _address(user, **params):
    """A CAL-ADDRESS for a user (mailto:, with CN), or None when the user has no e-mail."""
    if not user.email:
        return None
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = _person_name(user)
    for name, value in params.items():
        address.params[name.upper().replace("_", "-")] = value
    return address


def interview_event(interview, *, cancelled=False):
    """The interview as an ``icalendar.Event``: STATUS CANCELLED when ``cancelled`` (or the
    interview is), else CONFIRMED."""
    live_url = absolute_url(reverse("scoring:live", args=[interview.pk]))
    position = interview.candidate.position
    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", interview.starts_at.astimezone(UTC))
    event.add("dtend", interview.ends_at.astimezone(UTC))
    event.add("summary", f"Interview: {interview.candidate.name} — {interview.plan_name}")
    event.add("description", (
        f"{interview.plan_name}: an interview of {interview.candidate.name} for {position.title}, "
        f"{interview.duration_minutes} minutes.\n\nThe live page (questions, rubric and your scorecard): {live_url}"
    ))
    event.add("url", live_url)
    event.add("status", "CANCELLED" if cancelled or interview.is_cancelled else "CONFIRMED")
    # The organizer is the position's recruiter; a position without one (or a recruiter
    # without an e-mail) has no ORGANIZER, which RFC 5545 allows for a published event.
    organizer = _address(position.recruiter) if position.recruiter_id else None
    if organizer is not None:
        event.add("organizer", organizer)
    # Panelists without an e-mail address are left out: an ATTENDEE is a mail address, and
    # a calendar app could not answer for them. They still see the interview in Panelist.
    for person in sorted(interview.interviewers.all(), key=lambda u: (_person_name(u), u.pk)):
        attendee = _address(person, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE")
        if attendee is not None:
            event.add("attendee", attendee)
    return event


def interview_calendar(interviews, *, method, name=None):
    """A VCALENDAR of the interviews' events, as bytes. ``method``: REQUEST (an invitation),
    CANCEL (its cancellation: every event CANCELLED) or PUBLISH (a feed: a cancelled
    interview appears with STATUS CANCELLED). ``name``: the calendar's name in calendar apps
    (X-WR-CALNAME), for feeds."""
    if method not in (Method.REQUEST, Method.CANCEL, Method.PUBLISH):
        raise ValueError(f"method must be REQUEST, CANCEL or PUBLISH, not {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for interview in interviews:
        calendar.add_component(interview_event(interview, cancelled=method == Method.CANCEL))
    return calendar.to_ical()


def interview_method(interview):
    """The method of one interview's invitation file: CANCEL once it is cancelled."""
    return Method.CANCEL if interview.is_cancelled else Method.REQUEST
