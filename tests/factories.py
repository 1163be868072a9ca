"""Test data built in code: positions, candidates, plans and scheduled interviews."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from interviews.models import Candidate, InterviewPlan, PlanSection, Position
from interviews.services import interview_schedule, plan_add_question
from questionbank.models import Question


def make_position(*, hiring_manager, recruiter=None, title="ML Engineer"):
    return Position.objects.create(title=title, team="Ranking", hiring_manager=hiring_manager, recruiter=recruiter)


def make_candidate(position, name="Ada Lovelace", email="ada@example.com"):
    return Candidate.objects.create(position=position, name=name, email=email)


def make_plan(*, position=None, slugs=("bias-variance", "precision", "code-bigrams"), competencies=None, slot=45, name="Screen"):
    plan = InterviewPlan.objects.create(name=name, position=position, slot_minutes=slot)
    section = PlanSection.objects.create(plan=plan, title="Fundamentals", order=1)
    competencies = competencies or ["ML fundamentals", "Evaluation", "Coding"]
    for slug, competency in zip(slugs, competencies):
        revision = Question.objects.get(slug=slug).current_revision
        plan_add_question(plan=plan, section=section, revision=revision, competency=competency, weight=Decimal("1"))
    return plan


def make_interview(*, candidate, plan, interviewers, by=None, starts_at=None, minutes=45):
    return interview_schedule(
        candidate=candidate, plan=plan, starts_at=starts_at or timezone.now() - timedelta(minutes=10),
        duration_minutes=minutes, interviewers=interviewers, by=by,
    )
