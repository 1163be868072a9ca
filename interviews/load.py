"""Interview load: how many interviews each person sits on per week against their weekly
limit (accounts/limits.py). Scheduling warns when a panelist would pass it (``load_warnings``);
the panel load page shows the weeks ahead (``load_table``).

A week runs Monday to Sunday in the site's time zone (settings.TIME_ZONE), the same for
everyone, so a recruiter and the panel count the same interviews; cancelled interviews do not
count."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.limits import weekly_limits
from accounts.roles import GROUP_NAMES, Role

from .models import Interview, InterviewStatus

WEEKS_SHOWN = 6
Panel = Interview.interviewers.through


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def _week_bounds(monday, weeks=1):
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=zone)
    return start, datetime.datetime.combine(monday + datetime.timedelta(weeks=weeks), datetime.time(), tzinfo=zone)


def weekly_counts(*, user_ids, first_monday, weeks, leave_out=None):
    """{(user id, Monday): interviews} of ``user_ids`` in ``weeks`` weeks from ``first_monday``,
    without the interview ``leave_out`` (the one being rescheduled). One query."""
    start, end = _week_bounds(first_monday, weeks)
    zone = timezone.get_default_timezone()
    rows = (Panel.objects
            .filter(user_id__in=user_ids, interview__starts_at__gte=start, interview__starts_at__lt=end)
            .exclude(interview__status=InterviewStatus.CANCELLED)
            .exclude(interview_id=getattr(leave_out, "pk", None))
            .annotate(week=TruncWeek("interview__starts_at", tzinfo=zone))
            .values("user_id", "week").annotate(n=Count("id")).values_list("user_id", "week", "n"))
    # The week's start as a date in the site's zone, here rather than in SQL: a TruncDate there
    # would read it in the viewer's own zone (the active one), and east of the site's that
    # date is the Sunday before, so no week matched (found in review).
    return {(user_id, timezone.localtime(week, zone).date()): n for user_id, week, n in rows}


def load_warnings(*, interviewers, starts_at, interview=None):
    """A warning for each panelist who, with this interview, would sit on more interviews in its
    week than their weekly limit. ``interview``: the one being rescheduled (not counted twice).
    Four queries (the counts, and three for the limits) whatever the panel's size."""
    people = list(interviewers)
    if not people:
        return []
    monday = week_start(timezone.localtime(starts_at, timezone.get_default_timezone()).date())
    ids = [person.pk for person in people]
    counts = weekly_counts(user_ids=ids, first_monday=monday, weeks=1, leave_out=interview)
    limits = weekly_limits(ids)
    warnings = []
    for person in people:
        would_have = counts.get((person.pk, monday), 0) + 1
        if would_have > limits[person.pk]:
            warnings.append(
                f"{person.get_full_name() or person.get_username()} would sit on {would_have} interviews in the "
                f"week of {monday.day} {monday:%b} (their limit is {limits[person.pk]} a week)."
            )
    return warnings


@dataclass
class LoadCell:
    monday: datetime.date
    count: int
    limit: int

    @property
    def state(self):
        """"over", "full" (at the limit: the next one would pass it) or "" (room left)."""
        return "over" if self.count > self.limit else "full" if self.count == self.limit else ""


@dataclass
class LoadRow:
    person: object
    limit: int
    cells: list

    @property
    def busiest(self):
        return max(cell.count for cell in self.cells)

    @property
    def most_over(self):
        """How far past the limit the row's fullest week goes (negative: room left in every week)."""
        return self.busiest - self.limit


def load_table(*, first_monday, weeks=WEEKS_SHOWN):
    """The panel load page's rows: every active interviewer, and anyone else on a panel in those
    weeks, with their count per week against their limit: those furthest past their limit
    first, then the busiest. Five queries (the
    people, their counts, three for their limits) whatever their number."""
    start, end = _week_bounds(first_monday, weeks)
    on_panels = Panel.objects.filter(interview__starts_at__gte=start, interview__starts_at__lt=end).exclude(
        interview__status=InterviewStatus.CANCELLED).values("user_id")
    people = list(get_user_model().objects.filter(is_active=True).filter(
        Q(groups__name=GROUP_NAMES[Role.INTERVIEWER]) | Q(pk__in=on_panels)).distinct().order_by("first_name", "last_name", "username"))
    ids = [person.pk for person in people]
    counts = weekly_counts(user_ids=ids, first_monday=first_monday, weeks=weeks)
    limits = weekly_limits(ids)
    mondays = [first_monday + datetime.timedelta(weeks=n) for n in range(weeks)]
    rows = [LoadRow(person=person, limit=limits[person.pk],
                    cells=[LoadCell(monday=m, count=counts.get((person.pk, m), 0), limit=limits[person.pk]) for m in mondays])
            for person in people]
    rows.sort(key=lambda row: (-row.most_over, -row.busiest))  # stable: by name within a tie
    return mondays, rows
