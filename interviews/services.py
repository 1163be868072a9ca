"""Workflows of interview plans and scheduling."""

from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from questionbank.models import Status

from .models import Interview, InterviewPlan, InterviewQuestion, InterviewStatus, PlanItem, PlanSection


@transaction.atomic
def plan_clone(*, plan, by, position=None, name=None):
    """Copy a plan (sections and items, same pinned revisions) for a position or as a new template."""
    clone = InterviewPlan.objects.create(
        name=name or f"{plan.name} (copy)", position=position, description=plan.description,
        slot_minutes=plan.slot_minutes, cloned_from=plan, created_by=by,
    )
    sections = {}
    for section in plan.sections.all():
        sections[section.pk] = PlanSection.objects.create(plan=clone, title=section.title, order=section.order)
    PlanItem.objects.bulk_create(
        PlanItem(plan=clone, section=sections[item.section_id], order=item.order, revision_id=item.revision_id,
                 minutes=item.minutes, competency=item.competency, weight=item.weight, required=item.required)
        for item in plan.items.all()
    )
    return clone


def plan_add_question(*, plan, section, revision, competency, minutes=None, weight=Decimal("1"), required=True):
    """Append a question revision to a section of a plan."""
    last = section.items.aggregate(m=Max("order"))["m"]
    return PlanItem.objects.create(
        plan=plan, section=section, order=(last or 0) + 1, revision=revision,
        minutes=minutes or revision.minutes, competency=competency, weight=weight, required=required,
    )


def plan_summary(plan, items):
    """Totals and warnings of a plan, from its items (with revision and question loaded):
    minutes against the slot, competencies covered, level mix, and what needs attention."""
    total = sum(i.minutes for i in items)
    competencies = Counter(i.competency for i in items)
    levels = Counter(i.revision.question.level for i in items)
    warnings = []
    if total > plan.slot_minutes:
        warnings.append(f"Over time: {total} minutes of questions in a {plan.slot_minutes}-minute slot.")
    for item in items:
        if item.revision.question.status == Status.RETIRED:
            warnings.append(f"“{item.revision.title}” is retired from the bank; consider replacing it.")
        elif item.revision.question.current_revision_id != item.revision_id:
            warnings.append(f"“{item.revision.title}” has a newer revision in the bank.")
    if not items:
        warnings.append("The plan has no questions yet.")
    return {
        "total_minutes": total,
        "slot_minutes": plan.slot_minutes,
        "remaining_minutes": plan.slot_minutes - total,
        "competencies": sorted(competencies.items()),
        "levels": sorted(levels.items()),
        "required_count": sum(1 for i in items if i.required),
        "warnings": warnings,
    }


@transaction.atomic
def interview_schedule(*, candidate, plan, starts_at, duration_minutes, interviewers, by):
    """Schedule an interview and pin the plan's questions as they are now: later edits to the
    plan or the bank never change this interview."""
    interview = Interview.objects.create(
        candidate=candidate, plan=plan, plan_name=plan.name, starts_at=starts_at,
        duration_minutes=duration_minutes, created_by=by,
    )
    interview.interviewers.set(interviewers)
    items = plan.items.select_related("section").order_by("section__order", "order", "pk")
    InterviewQuestion.objects.bulk_create(
        InterviewQuestion(
            interview=interview, order=n, section=item.section.title, revision_id=item.revision_id,
            minutes=item.minutes, competency=item.competency, weight=item.weight, required=item.required,
        )
        for n, item in enumerate(items, 1)
    )
    return interview


def interview_reschedule(*, interview, starts_at, duration_minutes, interviewers):
    """Move an interview or change its panel. Interviewers who already started a scorecard
    stay on the panel (their work is never dropped)."""
    interview.starts_at = starts_at
    interview.duration_minutes = duration_minutes
    interview.save(update_fields=["starts_at", "duration_minutes"])
    keep = set(interview.scorecards.values_list("interviewer_id", flat=True))
    interview.interviewers.set({u.pk for u in interviewers} | keep)
    return interview


def interview_cancel(*, interview, reason):
    interview.status = InterviewStatus.CANCELLED
    interview.cancel_reason = reason[:200]
    interview.save(update_fields=["status", "cancel_reason"])
    return interview
