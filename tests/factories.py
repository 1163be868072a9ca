"""Test data built in code: positions, candidates, plans, scheduled interviews and scorecards.

Every builder takes keyword arguments only and fills in the rest: names and e-mails that do
not clash when a test makes several, and a plan of three bank questions in two sections."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from interviews.models import Candidate, InterviewPlan, PlanSection, Position
from interviews.services import interview_schedule, plan_add_question
from questionbank.models import Question
from scoring.models import QuestionScore, Scorecard

_n = count(1)

# The default plan: two sections, three questions of the built-in bank, three competencies.
SECTIONS = (("Fundamentals", ("bias-variance", "precision")), ("Coding", ("code-bigrams",)))
COMPETENCY_OF = {"bias-variance": "ML fundamentals", "precision": "Evaluation", "code-bigrams": "Coding"}


def make_position(*, hiring_manager, recruiter=None, title="ML Engineer", team="Ranking", **extra):
    """A position; ``extra`` sets any other field (``status``, ``level``)."""
    return Position.objects.create(title=title, team=team, hiring_manager=hiring_manager, recruiter=recruiter, **extra)


def make_candidate(*, position, name=None, email=None, **extra):
    """A candidate of ``position``; ``extra`` sets any other field (``stage``, ``source``)."""
    n = next(_n)
    return Candidate.objects.create(
        position=position, name=name or f"Candidate {n}", email=email or f"candidate{n}@example.com", **extra
    )


def make_plan(*, position=None, by=None, name="Screen", slot=45, sections=SECTIONS, competencies=None, starter=False):
    """A plan (a template without ``position``) with ``sections``: [(title, [question slugs])],
    each question at its current revision, its own minutes and weight 1. ``competencies``
    lists one competency per question in order; by default each question's own.
    ``starter``: a starter template, as load_starter_plans makes."""
    plan = InterviewPlan.objects.create(name=name, position=position, slot_minutes=slot, created_by=by,
                                        is_starter=starter)
    slugs = [slug for _, section_slugs in sections for slug in section_slugs]
    competencies = competencies or [COMPETENCY_OF.get(slug, "ML fundamentals") for slug in slugs]
    revisions = {q.slug: q.current_revision for q in Question.objects.select_related("current_revision").filter(slug__in=slugs)}
    given = iter(competencies)
    for order, (title, section_slugs) in enumerate(sections, 1):
        section = PlanSection.objects.create(plan=plan, title=title, order=order)
        for slug in section_slugs:
            plan_add_question(plan=plan, section=section, revision=revisions[slug], competency=next(given))
    return plan


def make_interview(*, candidate, interviewers, plan=None, by=None, starts_at=None, minutes=45):
    """An interview scheduled through the service (its questions pinned), by default of a
    new plan for the candidate's position, starting ten minutes ago."""
    return interview_schedule(
        candidate=candidate, plan=plan or make_plan(position=candidate.position),
        starts_at=starts_at or timezone.now() - timedelta(minutes=10),
        duration_minutes=minutes, interviewers=interviewers, by=by,
    )


def make_scorecard(*, interview, interviewer, scores=(), submit=True, recommendation="yes", summary="Summary",
                   submitted_at=None, skip_reason="Ran out of time", notes=""):
    """A scorecard with one score per pinned question, in order, for as many as ``scores``
    gives (None: skipped with ``skip_reason``), submitted by a single UPDATE unless ``submit``
    is False."""
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer, started_at=timezone.now())
    for question, score in zip(interview.questions.order_by("order"), scores):
        QuestionScore.objects.create(scorecard=card, question=question, score=score, skipped=score is None,
                                     skip_reason=skip_reason if score is None else "", notes=notes)
    if submit:
        Scorecard.objects.filter(pk=card.pk).update(status="submitted", recommendation=recommendation, summary=summary,
                                                    submitted_at=submitted_at or timezone.now())
        card.refresh_from_db()
    return card


def published_slugs(n, *, exclude=()):
    """The first ``n`` published questions' slugs, in slug order."""
    return list(Question.objects.published().exclude(slug__in=exclude).order_by("slug").values_list("slug", flat=True)[:n])


def order_of(plan):
    """[(section title, [slugs])] as the builder shows them."""
    result = []
    for section in plan.sections.order_by("order", "pk"):
        slugs = list(section.items.order_by("order", "pk").values_list("revision__question__slug", flat=True))
        result.append((section.title, slugs))
    return result
