"""Reminders of missing scorecards (docs/operations.md, Reminders).

A panelist who has not submitted their scorecard is reminded one hour after the interview
ends, then every morning at 9:00 in their own time zone until they do; once the position's
``escalation_hours`` have passed, its recruiter and hiring manager are told, once. The worker
sweeps every ten minutes (scoring/tasks.py); each reminder is a mail message whose key names
the interview, the panelist and the moment (first, the day, the escalation's recipient), so a
sweep run twice, or by two workers, sends it once. Reminders stop 30 days after the interview.

``reminders_due`` reads what is due in three queries whatever the number of interviews: the
panel seats without a submitted scorecard, their people's time zones, and the keys already
recorded."""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.models import Profile
from interviews.calendar import absolute_url
from interviews.models import Interview, InterviewStatus
from mail.models import Message
from mail.services import message_queue

from .models import Scorecard, ScorecardStatus

FIRST_AFTER = timedelta(hours=1)
DAILY_AT = time(9, 0)
STOP_AFTER = timedelta(days=30)
MANUAL_EVERY = "%Y-%m-%d-%H"  # a manual reminder's key period: one an hour per panelist


@dataclass(frozen=True)
class Reminder:
    kind: str  # "first", "daily", "escalation" or "manual"
    to: object  # the user written to
    panelist: object  # whose scorecard is missing
    interview: object
    key: str
    zone: zoneinfo.ZoneInfo

    def as_json(self):
        return {"to": self.to.username, "interview": self.interview.pk, "reason": self.kind,
                "panelist": self.panelist.username}


def _seats(now):
    """Query 1: the panel seats of interviews started in the last 30 days (and an hour ago at
    least), not cancelled, whose panelist has no submitted scorecard, with the interview, its
    candidate and position, and the people written to."""
    Seat = Interview.interviewers.through
    submitted = Scorecard.objects.filter(interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"),
                                         status=ScorecardStatus.SUBMITTED)
    return list(
        Seat.objects.filter(interview__starts_at__gte=now - STOP_AFTER, interview__starts_at__lte=now - FIRST_AFTER)
        .exclude(interview__status=InterviewStatus.CANCELLED)
        .exclude(Exists(submitted))
        .select_related("user", "interview__candidate__position__recruiter",
                        "interview__candidate__position__hiring_manager")
        .order_by("interview__starts_at", "interview_id", "user_id")
    )


def _zones(users):
    """Query 2: each user's time zone (the server's for those who never set one)."""
    default = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    chosen = dict(Profile.objects.filter(user__in=users).values_list("user_id", "time_zone"))
    return {user.pk: zoneinfo.ZoneInfo(chosen[user.pk]) if user.pk in chosen else default for user in users}


def _key(kind, interview, panelist, suffix):
    return f"scorecard-{kind}:interview-{interview.pk}:user-{panelist.pk}:{suffix}"


def reminders_due(*, now):
    """Every reminder due at ``now`` that was not sent yet, in interview order."""
    seats = [s for s in _seats(now) if s.interview.starts_at + timedelta(minutes=s.interview.duration_minutes)
             + FIRST_AFTER <= now and s.user.email]
    people = {s.user for s in seats}
    for seat in seats:
        position = seat.interview.candidate.position
        people.update(p for p in (position.recruiter, position.hiring_manager) if p is not None)
    zones = _zones(people)
    candidates = []  # (reminder, the key that must exist before it is due, or None)
    for seat in seats:
        interview, panelist = seat.interview, seat.user
        zone = zones[panelist.pk]
        ends = interview.starts_at + timedelta(minutes=interview.duration_minutes)
        first = Reminder("first", panelist, panelist, interview, _key("reminder", interview, panelist, "first"), zone)
        candidates.append((first, None))
        today = now.astimezone(zone).date()
        nine = datetime.combine(today, DAILY_AT, tzinfo=zone)
        if now >= nine > ends + FIRST_AFTER:
            key = _key("reminder", interview, panelist, f"day-{today.isoformat()}")
            candidates.append((Reminder("daily", panelist, panelist, interview, key, zone), first.key))
        position = interview.candidate.position
        if now >= ends + timedelta(hours=position.escalation_hours):
            for person in {p for p in (position.recruiter, position.hiring_manager) if p is not None and p.email}:
                key = _key("escalation", interview, panelist, f"to-{person.pk}")
                candidates.append((Reminder("escalation", person, panelist, interview, key, zones[person.pk]), None))
    # Query 3: what was recorded already.
    recorded = set(Message.objects.filter(key__in=[r.key for r, _ in candidates] + [k for _, k in candidates if k])
                   .values_list("key", flat=True))
    # A daily reminder waits for the first (a worker down for a night sends one, not two).
    return [r for r, after in candidates if r.key not in recorded and (after is None or after in recorded)]


def reminders_send(*, now):
    """Record and queue every reminder due at ``now``; returns them."""
    due = reminders_due(now=now)
    for reminder in due:
        _queue(reminder, now=now)
    return due


def reminder_send_now(*, interview, panelist, now):
    """A reminder asked for by hand (the "Remind" button), at most one an hour per panelist
    and interview. Returns the reminder, or None when one was sent this hour already or the
    panelist has no address."""
    if not panelist.email:
        return None
    key = _key("reminder", interview, panelist, f"manual-{now.strftime(MANUAL_EVERY)}")
    if Message.objects.filter(key=key).exists():
        return None
    reminder = Reminder("manual", panelist, panelist, interview, key, _zones([panelist])[panelist.pk])
    _queue(reminder, now=now)
    return reminder


def _queue(reminder, *, now):
    interview = reminder.interview
    ends = interview.starts_at + timedelta(minutes=interview.duration_minutes)
    escalation = reminder.kind == "escalation"
    page = (reverse("scoring:debrief", args=[interview.candidate_id]) if escalation
            else reverse("scoring:scorecard", args=[interview.pk]))
    message_queue(
        key=reminder.key, reason="scorecard_escalation" if escalation else "scorecard_reminder",
        recipient=reminder.to, time_zone=reminder.zone,
        template="scorecard_escalation" if escalation else "scorecard_reminder",
        context={"interview": interview, "candidate": interview.candidate, "panelist": reminder.panelist,
                 "ends": ends, "now": now, "kind": reminder.kind, "url": absolute_url(page)},
    )
