"""Reads of positions, candidates and interviews for lists, detail pages and the home
dashboards (the parts about scorecards are in scoring/dashboards.py). Each function is a fixed
number of queries, however many rows there are."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from accounts.models import time_zone_of

from .models import (
    Candidate, Interview, InterviewStage, InterviewStatus, PlanItem, PlanSection, Position, PositionStatus, Stage,
    interview_ends_sql,
)

# Candidates still in the process (the rest are hired, rejected or withdrawn).
ACTIVE_STAGES = [Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEWING, Stage.OFFER]
DASHBOARD_ROWS = 20

MISSING = "missing"
# Open positions first, then on hold, then closed.
STATUS_ORDER = Case(
    When(status=PositionStatus.OPEN, then=Value(0)), When(status=PositionStatus.ON_HOLD, then=Value(1)), default=Value(2)
)




def with_candidate_counts(positions):
    return positions.annotate(
        candidate_count=Count("candidates", distinct=True),
        active_count=Count("candidates", filter=Q(candidates__stage__in=ACTIVE_STAGES), distinct=True),
    )


def position_list(user, *, text="", status="", level=""):
    """The position list: search over title and team, filters by status and level."""
    qs = Position.objects.visible_to(user).select_related("hiring_manager", "recruiter")
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(team__icontains=text))
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    return with_candidate_counts(qs).order_by(STATUS_ORDER, "title", "pk")


def with_interview_counts(candidates):
    live = ~Q(interviews__status=InterviewStatus.CANCELLED)
    return candidates.annotate(
        interview_count=Count("interviews", filter=live, distinct=True),
        upcoming_count=Count(
            "interviews",
            filter=Q(interviews__status=InterviewStatus.SCHEDULED, interviews__starts_at__gte=timezone.now()),
            distinct=True,
        ),
    )


def position_candidates(position):
    """A position's candidates with how many interviews each has had or has coming."""
    return with_interview_counts(position.candidates.all()).order_by("name", "pk")


def candidate_list(user, *, text="", position=None, stage=""):
    qs = Candidate.objects.visible_to(user).select_related("position")
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(email__icontains=text))
    if position:
        qs = qs.filter(position_id=position)
    if stage:
        qs = qs.filter(stage=stage)
    return with_interview_counts(qs).order_by("name", "pk")


def _panel_prefetches(*, profiles=False):
    # The scorecards by their reverse name (scoring.Scorecard.interview): the panel shows each
    # interviewer's scorecard state without this app importing the one above it. ``profiles``:
    # each interviewer's profile (time zone) joined to the same query.
    if profiles:
        return (Prefetch("interviewers", queryset=get_user_model().objects.select_related("profile")), "scorecards")
    return ("interviewers", "scorecards")


def panel_states(interview):
    """[(interviewer, "submitted" | "draft" | "missing")] of an interview whose interviewers
    and scorecards are prefetched (``with_panel``)."""
    states = {card.interviewer_id: card.status for card in interview.scorecards.all()}
    people = sorted(interview.interviewers.all(), key=lambda u: (u.get_full_name() or u.username).lower())
    return [(person, states.get(person.pk, MISSING)) for person in people]


def _add_panel(interview, now):
    interview.panel = panel_states(interview)
    # Before the end a scorecard is not missing yet, only not started.
    interview.has_ended = interview.ends_at <= now
    return interview


def with_panel(interviews):
    """Interviews with their panel and each interviewer's scorecard state (``.panel``), and
    whether they have ended (``.has_ended``)."""
    now = timezone.now()
    return [_add_panel(interview, now) for interview in interviews.prefetch_related(*_panel_prefetches())]


def candidate_interviews(candidate):
    """A candidate's interview history, newest first, each with its stage."""
    return with_panel(candidate.interviews.with_stage().select_related("plan").order_by("-starts_at", "-pk"))


def interview_list(user, *, position=None, stage="", interviewer=None, date_from=None, date_to=None, now=None):
    """The interviews a user may see, each with its stage, candidate and position, filtered
    by position, stage, interviewer and a range of days (inclusive, in the site's time zone).
    Upcoming and running interviews come soonest first; any other list newest first."""
    now = now or timezone.now()
    qs = Interview.objects.visible_to(user)
    if position:
        qs = qs.filter(candidate__position=position)
    if interviewer:
        qs = qs.filter(pk__in=Interview.interviewers.through.objects.filter(user=interviewer).values("interview_id"))
    if date_from:
        qs = qs.filter(starts_at__gte=_midnight(date_from))
    if date_to:
        qs = qs.filter(starts_at__lt=_midnight(date_to + timedelta(days=1)))
    if stage:
        qs = qs.in_stage(stage, now)
    soonest_first = stage in (InterviewStage.UPCOMING, InterviewStage.IN_PROGRESS)
    order = ("starts_at", "pk") if soonest_first else ("-starts_at", "-pk")
    return qs.with_stage(now).select_related("candidate__position").order_by(*order)


def _midnight(day):
    """The start of a day in the request's time zone (the reader's own)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def interview_for_detail(user, pk):
    """An interview the user may see, with its candidate, position and panel; or None."""
    interview = (
        Interview.objects.visible_to(user).filter(pk=pk)
        .with_stage()
        .select_related("candidate__position", "plan", "created_by")
        .prefetch_related(*_panel_prefetches(profiles=True))
        .first()
    )
    if interview is not None:
        _add_panel(interview, timezone.now())
    return interview


def panel_local_times(interview):
    """[(interviewer, "10:00 Europe/Paris")] of an interview read by ``interview_for_detail``
    (profiles loaded with the panel)."""
    return local_times(interview.starts_at, [person for person, _ in interview.panel])


def local_times(starts_at, people):
    """[(person, "10:00 Europe/Paris")]: the start in each person's own zone (profiles loaded
    with them), the day added when it is not the reader's day. Written here, as the template's
    date filter would turn any time back into the reader's zone."""
    mine = timezone.localtime(starts_at).date()
    result = []
    for person in people:
        name = time_zone_of(person)
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):  # a zone the tz database no longer has
            name, zone = settings.TIME_ZONE, timezone.get_default_timezone()
        local = timezone.localtime(starts_at, zone)
        day = f" on {local:%a} {local.day} {local:%b}" if local.date() != mine else ""
        result.append((person, f"{local:%H:%M}{day} {name}"))
    return result


def pinned_questions(interview):
    """The plan's questions as pinned to the interview (not the ad-hoc ones an interviewer
    added to their own scorecard)."""
    return interview.questions.filter(added_by__isnull=True).select_related("revision").order_by("order", "pk")


# --- Dashboards -----------------------------------------------------------------------


def start_of_today(now=None):
    """Midnight today in the request's time zone (the reader's own)."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def interviewer_upcoming(user, *, now=None, limit=DASHBOARD_ROWS):
    """The user's scheduled interviews from midnight today on, and any still running that
    began before midnight, soonest first, each with its stage (one query)."""
    now = now or timezone.now()
    return list(
        Interview.objects.for_interviewer(user)
        .annotate(ends=interview_ends_sql())
        .filter(Q(starts_at__gte=start_of_today(now)) | Q(ends__gt=now), status=InterviewStatus.SCHEDULED)
        .with_stage(now)
        .select_related("candidate__position")
        .order_by("starts_at", "pk")[:limit]
    )


def recruiter_positions(user):
    """Positions a recruiter recruits for (all of them for an admin)."""
    return Position.objects.all() if user.is_superuser else Position.objects.filter(recruiter=user)


def recruiter_upcoming(user, *, now=None, limit=DASHBOARD_ROWS):
    """Interviews of the recruiter's positions that have not started yet (none in progress,
    held or cancelled), soonest first, with panel and scorecard states (three queries)."""
    now = now or timezone.now()
    return with_panel(
        Interview.objects.filter(candidate__position__in=recruiter_positions(user).values("pk"))
        .in_stage(InterviewStage.UPCOMING, now)
        .with_stage(now)
        .select_related("candidate__position")
        .order_by("starts_at", "pk")[:limit]
    )


def managed_positions(user):
    """The hiring manager's positions with candidate, plan and upcoming-interview counts
    (one query)."""
    return list(
        with_candidate_counts(Position.objects.filter(hiring_manager=user))
        .annotate(
            plan_count=Count("plans", filter=Q(plans__archived_at__isnull=True), distinct=True),
            upcoming_count=Count(
                "candidates__interviews",
                filter=Q(
                    candidates__interviews__status=InterviewStatus.SCHEDULED,
                    candidates__interviews__starts_at__gte=timezone.now(),
                ),
                distinct=True,
            ),
        )
        .select_related("recruiter")
        .order_by(STATUS_ORDER, "title", "pk")
    )


# --- Starter loops ----------------------------------------------------------------------

# What the loops page shows of an item, its pinned revision and the revision's question.
LOOP_ITEM_FIELDS = (
    "plan", "section", "order", "minutes", "competency", "required", "revision__title",
    "revision__question__level", "revision__question__kind",
)


def loop_sections(plans):
    """The plans of a loop (InterviewPlan.objects.of_loop), each with ``loop_sections``: its
    sections in order, each with ``loop_items``, its items in order with their revision and
    question; and ``used_minutes``. Three queries (the plans, their sections, their items),
    whatever the loop holds."""
    plans = list(plans)
    by_plan, by_section = {}, {}
    for plan in plans:
        plan.loop_sections, plan.used_minutes = [], 0
        by_plan[plan.pk] = plan
    for section in PlanSection.objects.filter(plan__in=plans).order_by("order", "pk"):
        section.loop_items = []
        by_plan[section.plan_id].loop_sections.append(section)
        by_section[section.pk] = section
    items = (PlanItem.objects.filter(plan__in=plans).select_related("revision__question")
             .only(*LOOP_ITEM_FIELDS).order_by("order", "pk"))
    for item in items:
        by_section[item.section_id].loop_items.append(item)
        by_plan[item.plan_id].used_minutes += item.minutes
    return plans
