"""Test data built in code: positions, candidates, plans, scheduled interviews and scorecards."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from interviews.models import Candidate, InterviewPlan, PlanSection, Position
from interviews.services import interview_schedule, plan_add_question
from questionbank.models import Question
from scoring.models import QuestionScore, Scorecard


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


def make_scorecard(interview, interviewer, scores, *, recommendation="yes", summary="Summary", submit=True,
                   submitted_at=None, skip_reason="Ran out of time", notes=""):
    """A scorecard with one score per pinned question, in order (None: skipped with
    ``skip_reason``), submitted by a single UPDATE unless ``submit`` is False."""
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer, started_at=timezone.now())
    for question, score in zip(interview.questions.order_by("order"), scores):
        QuestionScore.objects.create(scorecard=card, question=question, score=score, skipped=score is None,
                                     skip_reason=skip_reason if score is None else "", notes=notes)
    if submit:
        Scorecard.objects.filter(pk=card.pk).update(status="submitted", recommendation=recommendation, summary=summary,
                                                    submitted_at=submitted_at or timezone.now())
    return card
