"""Small builders of positions, candidates, plans, interviews and scorecards for the tests of
positions, candidates, scheduling and dashboards."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from interviews.models import Candidate, InterviewPlan, PlanSection, Position
from interviews.services import interview_schedule, plan_add_question
from questionbank.models import Question
from scoring.models import Scorecard, ScorecardStatus

_n = count(1)


def make_position(hiring_manager, recruiter=None, title=None, **extra):
    return Position.objects.create(
        title=title or f"ML Engineer {next(_n)}", hiring_manager=hiring_manager, recruiter=recruiter, **extra
    )


def make_candidate(position, name=None, **extra):
    n = next(_n)
    extra.setdefault("email", f"candidate{n}@example.com")
    return Candidate.objects.create(position=position, name=name or f"Candidate {n}", **extra)


def make_plan(position=None, questions=2, name=None, slot_minutes=45):
    plan = InterviewPlan.objects.create(name=name or f"Plan {next(_n)}", position=position, slot_minutes=slot_minutes)
    section = PlanSection.objects.create(plan=plan, title="Fundamentals", order=1)
    bank = Question.objects.published().select_related("current_revision").order_by("slug")[:questions]
    for question in bank:
        plan_add_question(plan=plan, section=section, revision=question.current_revision, competency="ML fundamentals")
    return plan


def make_interview(candidate, interviewers, plan=None, starts_at=None, duration=45, by=None):
    return interview_schedule(
        candidate=candidate, plan=plan or make_plan(candidate.position), duration_minutes=duration,
        starts_at=starts_at or timezone.now() + timedelta(days=1), interviewers=interviewers, by=by,
    )


def make_scorecard(interview, interviewer, submitted=False, summary="Solid on fundamentals."):
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer, started_at=timezone.now())
    if submitted:
        card.status = ScorecardStatus.SUBMITTED
        card.recommendation = "yes"
        card.summary = summary
        card.submitted_at = timezone.now()
        card.save()
    return card
