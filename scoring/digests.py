"""The recruiters' daily digest (docs/operations.md, Reminders and notifications): each
morning at 8:00 in the recruiter's own zone, the scorecards still missing on the positions
they recruit for and the decisions recorded there in the last day; nothing when there is
nothing to say. The worker runs it every hour (scoring/tasks.py); each recruiter's digest of
a day is one message by its key. Five queries whatever the number of positions."""

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse

from interviews.calendar import absolute_url
from interviews.models import Position
from mail.models import Message
from notifications.models import Kind, Notification
from notifications.services import notify

from .models import Decision
from .reminders import missing_seats, zones_of

DIGEST_AT = time(8, 0)


@dataclass
class Digest:
    recruiter: object
    zone: object
    day: object
    missing: list = field(default_factory=list)  # panel seats without a submitted scorecard
    decisions: list = field(default_factory=list)

    @property
    def key(self):
        return f"digest:user-{self.recruiter.pk}:day-{self.day.isoformat()}"


def digests_due(*, now):
    """The digests due at ``now``: recruiters whose local time has passed 8:00 today and who
    were not sent today's, with something to say."""
    recruiters = get_user_model().objects.filter(
        pk__in=Position.objects.exclude(recruiter=None).values("recruiter_id")).order_by("pk")
    zones = zones_of(list(recruiters))
    digests = {}
    for recruiter in recruiters:
        zone = zones[recruiter.pk]
        local = now.astimezone(zone)
        if local.time() >= DIGEST_AT:
            digests[recruiter.pk] = Digest(recruiter, zone, local.date())
    if not digests:
        return []
    for seat in missing_seats(now):
        interview = seat.interview
        ends = interview.ends_at
        recruiter_id = interview.candidate.position.recruiter_id
        if recruiter_id in digests and ends < now:
            digests[recruiter_id].missing.append(seat)
    for decision in (Decision.objects.filter(at__gte=now - timedelta(days=1), at__lte=now,
                                             candidate__position__recruiter_id__in=list(digests))
                     .select_related("candidate__position", "by").order_by("at")):
        digests[decision.candidate.position.recruiter_id].decisions.append(decision)
    keys = [d.key for d in digests.values()]
    sent = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True)
               .union(Message.objects.filter(key__in=keys).values_list("key", flat=True)))
    return [d for d in digests.values() if d.key not in sent and (d.missing or d.decisions)]


def digests_send(*, now):
    """Send the digests due at ``now``; returns them."""
    due = digests_due(now=now)
    for digest in due:
        missing = [{
            "candidate": seat.interview.candidate.name, "plan": seat.interview.plan_name,
            "panelist": seat.user.get_full_name() or seat.user.username,
            "ends": seat.interview.ends_at,
            "url": absolute_url(reverse("scoring:debrief", args=[seat.interview.candidate_id])),
        } for seat in digest.missing]
        decisions = [{
            "candidate": d.candidate.name, "decision": d.get_decision_display(), "at": d.at,
            "by": d.by.get_full_name() or d.by.username if d.by else "",
            "url": absolute_url(reverse("scoring:debrief", args=[d.candidate_id])),
        } for d in digest.decisions]
        text = (f"Daily digest: {len(missing)} scorecard{'s' if len(missing) != 1 else ''} missing, "
                f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}")
        notify(recipient=digest.recruiter, kind=Kind.DIGEST, key=digest.key, text=text,
               url=reverse("interviews:interview_list"),
               email={"time_zone": digest.zone, "template": "recruiter_digest", "context": {
                   "missing": missing, "decisions": decisions, "now": now, "day": digest.day}})
    return due
