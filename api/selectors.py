"""Reads the API needs that no page has as a queryset."""

from django.db.models import Exists, OuterRef, Q

from interviews.models import Interview, InterviewStatus
from scoring.models import Decision, Scorecard, ScorecardStatus


def decisions_visible_to(user):
    """The decisions ``user`` may read: the debrief's rule (scoring.selectors.debrief,
    ``sees_decisions``) as a queryset. Those who run the candidate's position (its hiring
    manager and recruiter) and admins see them; an interviewer sees a candidate's decisions
    once they have finished scoring that candidate: on a panel of theirs (not cancelled), with
    a submitted scorecard for every such interview; never while still forming a view."""
    if user.is_superuser:
        return Decision.objects.all()
    seats = Interview.objects.filter(candidate_id=OuterRef("candidate_id"), interviewers=user).exclude(
        status=InterviewStatus.CANCELLED
    )
    submitted = Scorecard.objects.filter(interview_id=OuterRef("pk"), interviewer=user, status=ScorecardStatus.SUBMITTED)
    unfinished = seats.exclude(Exists(submitted))
    runs = Q(candidate__position__hiring_manager=user) | Q(candidate__position__recruiter=user)
    return Decision.objects.filter(runs | (Q(Exists(seats)) & ~Q(Exists(unfinished))))
