"""The home page's dashboards: what each role sees first. The parts that read scorecards (drafts,
overdue and missing scorecards) are here, beside the model; the rest are interviews' reads
(interviews/selectors.py). Each function is a fixed number of queries, however many rows there
are."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.timesince import timesince

from accounts.roles import Role, roles_of
from interviews.models import Interview, InterviewStatus, interview_ends_sql
from interviews.selectors import (
    DASHBOARD_ROWS, interviewer_upcoming, managed_positions, recruiter_positions, recruiter_upcoming, start_of_today,
)

from .models import Scorecard, ScorecardStatus

# A scorecard is overdue this long after its interview ended.
SCORECARD_GRACE = timedelta(hours=24)


def _submitted_by(interview_ref, user_ref):
    return Exists(
        Scorecard.objects.filter(interview=interview_ref, interviewer=user_ref, status=ScorecardStatus.SUBMITTED)
    )



def interviewer_drafts(user, *, limit=DASHBOARD_ROWS):
    """The user's scorecards still in draft, for interviews not cancelled (one query)."""
    return list(
        Scorecard.objects.filter(interviewer=user, status=ScorecardStatus.DRAFT)
        .exclude(interview__status=InterviewStatus.CANCELLED)
        .select_related("interview__candidate__position")
        .order_by("interview__starts_at", "pk")[:limit]
    )


def interviewer_overdue(user, *, now=None, limit=DASHBOARD_ROWS):
    """Interviews of the user that ended more than 24 hours ago with no submitted scorecard
    from them; cancelled ones excepted. Each has ``.ends`` and ``.ended_ago`` (one query)."""
    now = now or timezone.now()
    rows = list(
        Interview.objects.for_interviewer(user)
        .exclude(status=InterviewStatus.CANCELLED)
        .annotate(ends=interview_ends_sql())
        .filter(ends__lt=now - SCORECARD_GRACE)
        .exclude(_submitted_by(OuterRef("pk"), user))
        .select_related("candidate__position")
        .order_by("starts_at", "pk")[:limit]
    )
    for row in rows:
        row.ended_ago = timesince(row.ends, now, depth=1)
    return rows



def missing_scorecards(user, *, now=None, limit=50):
    """Per interviewer, the ended (not cancelled) interviews of the recruiter's positions
    with no submitted scorecard from that interviewer, longest overdue first. Each row has
    ``.interview``, ``.user``, ``.ends``, ``.has_draft``, ``.overdue``, and how long ago it
    ended and how overdue it is as words (one query)."""
    now = now or timezone.now()
    Panel = Interview.interviewers.through
    rows = list(
        Panel.objects.filter(
            interview__candidate__position__in=recruiter_positions(user).values("pk"),
        )
        .exclude(interview__status=InterviewStatus.CANCELLED)
        .annotate(
            ends=interview_ends_sql("interview__"),
            has_draft=Exists(
                Scorecard.objects.filter(interview=OuterRef("interview_id"), interviewer=OuterRef("user_id"))
            ),
        )
        .filter(ends__lt=now)
        .exclude(_submitted_by(OuterRef("interview_id"), OuterRef("user_id")))
        .select_related("interview__candidate__position", "user")
        .order_by("ends", "interview_id", "user__username")[:limit]
    )
    for row in rows:
        row.overdue = now - row.ends > SCORECARD_GRACE
        row.ended_ago = timesince(row.ends, now, depth=1)
        row.overdue_by = timesince(row.ends + SCORECARD_GRACE, now, depth=1) if row.overdue else ""
    return rows



def home_dashboards(user, *, now=None):
    """What the home page shows each role: an interviewer their interviews and scorecards, a
    recruiter (or an admin, across every position) the scorecards to chase and what is coming,
    a hiring manager their positions. Constant queries per dashboard."""
    now = now or timezone.now()
    roles = set(roles_of(user))
    context = {}
    if Role.INTERVIEWER in roles:
        upcoming = interviewer_upcoming(user, now=now)
        tomorrow = start_of_today(now) + timedelta(days=1)
        context["interviewer_dash"] = {
            "today": [i for i in upcoming if i.starts_at < tomorrow],
            "later": [i for i in upcoming if i.starts_at >= tomorrow],
            "drafts": interviewer_drafts(user),
            "overdue": interviewer_overdue(user, now=now),
        }
    if Role.RECRUITER in roles or user.is_superuser:
        context["recruiter_dash"] = {
            "missing": missing_scorecards(user, now=now),
            "upcoming": recruiter_upcoming(user, now=now),
            "all_positions": user.is_superuser,
        }
    if Role.HIRING_MANAGER in roles:
        context["manager_dash"] = {"positions": managed_positions(user)}
    return context
