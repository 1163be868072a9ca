"""Small builders for plan tests (positions, plans with sections and items)."""

from decimal import Decimal

from interviews.models import InterviewPlan, PlanItem, PlanSection, Position
from questionbank.models import Question


def make_position(hiring_manager, *, recruiter=None, title="ML Engineer", status="open"):
    return Position.objects.create(
        title=title, team="Ranking", hiring_manager=hiring_manager, recruiter=recruiter, status=status
    )


def make_plan(*, by=None, position=None, name="Screen", slot=45, starter=False,
              sections=(("Fundamentals", ("bias-variance", "precision")), ("Coding", ("code-bigrams",)))):
    """A plan with the given sections, each with the current revision of the given slugs;
    ``starter``: a starter template, as load_starter_plans makes."""
    plan = InterviewPlan.objects.create(name=name, position=position, slot_minutes=slot, created_by=by,
                                        is_starter=starter)
    questions = {q.slug: q for q in Question.objects.select_related("current_revision").filter(
        slug__in=[slug for _, slugs in sections for slug in slugs])}
    for s_order, (title, slugs) in enumerate(sections, 1):
        section = PlanSection.objects.create(plan=plan, title=title, order=s_order)
        for i_order, slug in enumerate(slugs, 1):
            revision = questions[slug].current_revision
            PlanItem.objects.create(plan=plan, section=section, order=i_order, revision=revision,
                                    minutes=revision.minutes, competency="ML fundamentals", weight=Decimal("1"))
    return plan


def order_of(plan):
    """[(section title, [slugs])] as the builder shows them."""
    result = []
    for section in plan.sections.order_by("order", "pk"):
        slugs = list(section.items.order_by("order", "pk").values_list("revision__question__slug", flat=True))
        result.append((section.title, slugs))
    return result


def published_slugs(n, *, exclude=()):
    return list(Question.objects.published().exclude(slug__in=exclude).order_by("slug").values_list("slug", flat=True)[:n])
