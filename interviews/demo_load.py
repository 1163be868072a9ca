"""Demo data for the panel load page (interviews/load.py): Ivan has a weekly limit of his own
and next week's design rounds would take him past it, so the page and the scheduling warning
have something to show. Called by seed_demo_scores once the demo's scored interviews exist."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.limits import person_set_weekly_limit

from .load import week_start
from .models import Interview, InterviewPlan, InterviewStatus
from .services import interview_schedule

IVANS_LIMIT = 2


def seed_demo_load(*, position, by):
    """Next week, three of ``position``'s candidates meet the panel for a design round, each with
    Ivan; his own limit is 2. Idempotent: skipped once upcoming design rounds exist."""
    User = get_user_model()
    ivan, iris = User.objects.get(username="ivan"), User.objects.get(username="iris")
    design = InterviewPlan.objects.filter(position=position, name="Ranking system design").first()
    if design is None or Interview.objects.filter(plan=design, starts_at__gt=timezone.now()).exists():
        return 0
    person_set_weekly_limit(by=by, user=ivan, limit=IVANS_LIMIT)
    zone = timezone.get_default_timezone()
    monday = week_start(timezone.localdate(timezone=zone)) + datetime.timedelta(weeks=1)
    candidates = (position.candidates.filter(interviews__status=InterviewStatus.SCHEDULED).exclude(interviews__plan=design)
                  .distinct().order_by("pk")[:3])
    made = 0
    for day, candidate in enumerate(candidates):
        starts_at = datetime.datetime.combine(monday + datetime.timedelta(days=day + 1), datetime.time(14), tzinfo=zone)
        interview_schedule(candidate=candidate, plan=design, starts_at=starts_at, duration_minutes=design.slot_minutes,
                           interviewers=[ivan, iris], by=by)
        made += 1
    return made
