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
from notifications.models import Kind, Notification
from notifications.services import notify
from notifications.webhooks import channel_post

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


def missing_seats(now):
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


def zones_of(users):
    """Query 2: each user's time zone (the server's for those who never set one)."""
    default = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    chosen = dict(Profile.objects.filter(user__in=users).values_list("user_id", "time_zone"))
    return {user.pk: zoneinfo.ZoneInfo(chosen[user.pk]) if user.pk in chosen else default for user in users}


def _key(kind, interview, panelist, suffix):
    return f"scorecard-{kind}:interview-{interview.pk}:user-{panelist.pk}:{suffix}"


def reminders_due(*, now):
    """Every reminder due at ``now`` that was not sent yet, in interview order."""
    seats = [s for s in missing_seats(now) if s.interview.ends_at + FIRST_AFTER <= now]
    people = {s.user for s in seats}
    for seat in seats:
        position = seat.interview.candidate.position
        people.update(p for p in (position.recruiter, position.hiring_manager) if p is not None)
    zones = zones_of(people)
    candidates = []  # (reminder, the key that must exist before it is due, or None)
    for seat in seats:
        interview, panelist = seat.interview, seat.user
        zone = zones[panelist.pk]
        ends = interview.ends_at
        first = Reminder("first", panelist, panelist, interview, _key("reminder", interview, panelist, "first"), zone)
        candidates.append((first, None))
        today = now.astimezone(zone).date()
        nine = datetime.combine(today, DAILY_AT, tzinfo=zone)
        if now >= nine > ends + FIRST_AFTER:
            key = _key("reminder", interview, panelist, f"day-{today.isoformat()}")
            candidates.append((Reminder("daily", panelist, panelist, interview, key, zone), first.key))
        position = interview.candidate.position
        if now >= ends + timedelta(hours=position.escalation_hours):
            for person in {p for p in (position.recruiter, position.hiring_manager) if p is not None}:
                key = _key("escalation", interview, panelist, f"to-{person.pk}")
                candidates.append((Reminder("escalation", person, panelist, interview, key, zones[person.pk]), None))
    # Query 3: what was recorded already.
    keys = [r.key for r, _ in candidates] + [k for _, k in candidates if k]
    recorded = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True)
                   .union(Message.objects.filter(key__in=keys).values_list("key", flat=True)))
    # A daily reminder waits for the first (a worker down for a night sends one, not two).
    return [r for r, after in candidates if r.key not in recorded and (after is None or after in recorded)]


def debriefs_ready(*, now):
    """The hiring managers to tell that every scorecard of an interview is in (interviews of
    the last 30 days, not cancelled), as Reminders of kind "debrief_ready", not told yet: two
    queries."""
    Seat = Interview.interviewers.through
    missing = Seat.objects.filter(interview_id=OuterRef("pk")).exclude(Exists(Scorecard.objects.filter(
        interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"), status=ScorecardStatus.SUBMITTED)))
    complete = (Interview.objects.filter(starts_at__gte=now - STOP_AFTER, starts_at__lte=now)
                .exclude(status=InterviewStatus.CANCELLED)
                .filter(Exists(Seat.objects.filter(interview_id=OuterRef("pk")))).exclude(Exists(missing))
                .select_related("candidate__position__hiring_manager").order_by("starts_at", "pk"))
    ready = []
    for interview in complete:
        manager = interview.candidate.position.hiring_manager
        key = f"debrief-ready:interview-{interview.pk}:to-{manager.pk}"
        ready.append(Reminder("debrief_ready", manager, manager, interview, key, None))
    if not ready:
        return []
    told = set(Notification.objects.filter(key__in=[r.key for r in ready]).values_list("key", flat=True)
               .union(Message.objects.filter(key__in=[r.key for r in ready]).values_list("key", flat=True)))
    return [r for r in ready if r.key not in told]


def reminders_send(*, now):
    """Record and queue every reminder due at ``now``, and tell the hiring managers whose
    debriefs are ready; returns them all."""
    due = reminders_due(now=now)
    for reminder in due:
        _queue(reminder, now=now)
    ready = debriefs_ready(now=now)
    for reminder in ready:
        _tell_debrief_ready(reminder)
    return due + ready


def _tell_debrief_ready(reminder):
    interview, manager = reminder.interview, reminder.to
    url = reverse("scoring:debrief", args=[interview.candidate_id])
    channel_post(position=interview.candidate.position, key=f"channel:debrief-ready:interview-{interview.pk}",
                 text=f"Every scorecard is in: {interview.candidate.name} ({interview.plan_name})", link=absolute_url(url))
    notify(recipient=manager, kind=Kind.DEBRIEF_READY, key=reminder.key,
           text=f"Every scorecard is in: {interview.candidate.name} ({interview.plan_name})", url=url,
           email={"time_zone": zones_of([manager])[manager.pk], "template": "debrief_ready", "context": {
               "interview": interview, "candidate": interview.candidate, "url": absolute_url(url)}})


def reminder_send_now(*, interview, panelist, now):
    """A reminder asked for by hand (the "Remind" button), at most one an hour per panelist
    and interview. Returns the reminder, or None when one was sent this hour already."""
    key = _key("reminder", interview, panelist, f"manual-{now.strftime(MANUAL_EVERY)}")
    if Notification.objects.filter(key=key).exists() or Message.objects.filter(key=key).exists():
        return None
    reminder = Reminder("manual", panelist, panelist, interview, key, zones_of([panelist])[panelist.pk])
    _queue(reminder, now=now)
    return reminder


def _queue(reminder, *, now):
    interview = reminder.interview
    ends = interview.ends_at
    escalation = reminder.kind == "escalation"
    page = (reverse("scoring:debrief", args=[interview.candidate_id]) if escalation
            else reverse("scoring:scorecard", args=[interview.pk]))
    panelist = reminder.panelist.get_full_name() or reminder.panelist.username
    text = (f"Overdue scorecard: {panelist} on {interview.candidate.name}" if escalation
            else f"Scorecard due: {interview.candidate.name} ({interview.plan_name})")
    template = "scorecard_escalation" if escalation else "scorecard_reminder"
    if escalation:  # once per missing scorecard, whoever of the recruiter and manager is told
        channel_post(position=interview.candidate.position,
                     key=f"channel:scorecard-escalation:interview-{interview.pk}:user-{reminder.panelist.pk}",
                     text=text, link=absolute_url(page))
    notify(
        recipient=reminder.to, kind=Kind.SCORECARD_ESCALATION if escalation else Kind.SCORECARD_REMINDER,
        key=reminder.key, text=text, url=page,
        email={"time_zone": reminder.zone, "template": template, "context": {
            "interview": interview, "candidate": interview.candidate, "panelist": reminder.panelist,
            "ends": ends, "now": now, "kind": reminder.kind, "url": absolute_url(page)}},
    )
