"""The starter templates (interviews/starter_plans.yaml): reading and checking their file,
finding their questions, and creating or updating them. The starter loops (interviews/loops.py)
are starter templates too and use the same checks and sync; the ``load_starter_plans`` command
runs both.

Idempotent: a template is found by its name among the starter templates outside the loops (a
loop's plan by its track, level and stage), and its sections and items are updated in place, so
a rerun changes nothing unless the file or the bank changed. Every item pins its question's
current revision. A problem raises StarterFileError naming every problem found, before anything
is written.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from questionbank.models import Question

from .models import (
    ITEM_MINUTES,
    SLOT_MINUTES,
    WEIGHT,
    InterviewPlan,
    PlanItem,
    PlanSection,
)
from .plan_forms import COMPETENCIES


class StarterFileError(ValueError):
    """A starter file that cannot be loaded; the message lists every problem, in words."""


STARTER_FILE = Path(__file__).resolve().parent / "starter_plans.yaml"
TEMPLATE_KEYS = {"name", "slot_minutes", "description", "sections"}
ITEM_KEYS = {"slug", "minutes", "competency", "weight", "required"}


def read_list_file(path, what):
    """The YAML file at ``path``, which must hold a non-empty list (``what`` names it in the
    error). Raises StarterFileError when it cannot be read or holds something else."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StarterFileError(f"Cannot read {path}: {exc}") from exc
    if not isinstance(data, list) or not data:
        raise StarterFileError(f"{path} must be {what}.")
    return data


def read_starter_plans(path=STARTER_FILE):
    """The templates of the file, checked for shape (not yet against the bank). Raises
    StarterFileError listing every problem."""
    data = read_list_file(path, "a list of templates")
    problems, names = [], set()
    for n, template in enumerate(data, 1):
        problems.extend(template_problems(template, f"template {n}", names))
    if problems:
        raise StarterFileError(f"{path} has problems:\n  " + "\n  ".join(problems))
    return data


def template_problems(template, where, names, *, keys=TEMPLATE_KEYS, minutes_required=False):
    """The problems of one template's shape, each a sentence naming where it is; ``names``
    collects the names seen so far (a name used twice is a problem)."""
    problems = []
    if not isinstance(template, dict):
        return [f"{where}: must be a mapping with name, slot_minutes, description and sections."]
    name = template.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 160:
        problems.append(f"{where}: needs a name (at most 160 characters).")
    else:
        where = f"“{name}”"
        if name in names:
            problems.append(f"{where}: the name is used twice.")
        names.add(name)
    if set(template) - keys:
        problems.append(f"{where}: unknown keys {', '.join(sorted(set(template) - keys))}.")
    slot = template.get("slot_minutes")
    if not isinstance(slot, int) or not SLOT_MINUTES[0] <= slot <= SLOT_MINUTES[1]:
        problems.append(f"{where}: slot_minutes must be a whole number from {SLOT_MINUTES[0]} to {SLOT_MINUTES[1]}.")
    sections = template.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append(f"{where}: needs a list of sections.")
        return problems
    titles, slugs = set(), set()
    for section in sections:
        title = section.get("title") if isinstance(section, dict) else None
        if not isinstance(title, str) or not title.strip() or len(title) > 80:
            problems.append(f"{where}: every section needs a title (at most 80 characters).")
            continue
        if title in titles:
            problems.append(f"{where}: the section “{title}” appears twice.")
        titles.add(title)
        items = section.get("items")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}, section “{title}”: needs a list of items.")
            continue
        for item in items:
            problems.extend(_item_problems(item, f"{where}, section “{title}”", slugs))
            if minutes_required and isinstance(item, dict) and "minutes" not in item:
                problems.append(f"{where}, section “{title}”, “{item.get('slug')}”: needs its minutes.")
    return problems


def _item_problems(item, where, slugs):
    if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
        return [f"{where}: every item needs a slug."]
    slug, problems = item["slug"], []
    where = f"{where}, “{slug}”"
    if slug in slugs:
        problems.append(f"{where}: the question appears twice in the template.")
    slugs.add(slug)
    if set(item) - ITEM_KEYS:
        problems.append(f"{where}: unknown keys {', '.join(sorted(set(item) - ITEM_KEYS))}.")
    minutes = item.get("minutes")
    if minutes is not None and (not isinstance(minutes, int) or not ITEM_MINUTES[0] <= minutes <= ITEM_MINUTES[1]):
        problems.append(f"{where}: minutes must be a whole number from {ITEM_MINUTES[0]} to {ITEM_MINUTES[1]}.")
    if item.get("competency") not in COMPETENCIES:
        problems.append(f"{where}: competency must be one of {', '.join(COMPETENCIES)}.")
    try:
        weight = Decimal(str(item.get("weight", 1)))
        if not WEIGHT[0] <= weight <= WEIGHT[1]:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"{where}: weight must be a number from {WEIGHT[0]} to {WEIGHT[1]}.")
    if not isinstance(item.get("required", True), bool):
        problems.append(f"{where}: required must be true or false.")
    return problems


def resolve_questions(templates):
    """{slug: Question with its current revision} for every slug of the templates: questions a
    plan may use (``Question.objects.published()``). Raises StarterFileError naming each unknown
    or unpublished slug and where it is used, and each template whose minutes do not fit its
    slot."""
    used = {}
    for template in templates:
        for section in template["sections"]:
            for item in section["items"]:
                used.setdefault(item["slug"], []).append(f"“{template['name']}” › {section['title']}")
    questions = {q.slug: q for q in Question.objects.published().filter(slug__in=used)
                 .select_related("current_revision")}
    problems = []
    if set(used) - set(questions):
        # Why a question cannot be used: it is not in the bank, or not published there.
        others = {q.slug: q for q in Question.objects.filter(slug__in=set(used) - set(questions))}
        for slug, places in used.items():
            if slug in questions:
                continue
            if slug not in others:
                problems.append(f"Unknown question slug “{slug}” (used in {'; '.join(places)}). "
                                "Check questionbank/bank/ and run load_question_bank first.")
            else:
                problems.append(f"The question “{slug}” is {others[slug].get_status_display().lower()}, "
                                f"not published (used in {'; '.join(places)}).")
    if not problems:
        for template in templates:
            total = sum(_minutes(item, questions[item["slug"]]) for s in template["sections"] for item in s["items"])
            if total > template["slot_minutes"]:
                problems.append(f"“{template['name']}” needs {total} minutes, more than its "
                                f"{template['slot_minutes']}-minute slot.")
    if problems:
        raise StarterFileError("The starter plans cannot be loaded:\n  " + "\n  ".join(problems))
    return questions


def _minutes(item, question):
    return item.get("minutes") or question.current_revision.minutes


def sync_template(template, questions, *, loop=None):
    """Create or update one starter template. Returns "created", "updated" or "unchanged". A
    plain template is found by its name among the starters outside loops; a loop's plan by
    ``loop``, its (track, level), and its stage, so its name may change."""
    changed = False
    description = " ".join(template.get("description", "").split())
    fields = {"slot_minutes": template["slot_minutes"], "description": description}
    if loop is None:
        keys = {"name": template["name"]}
        plan = InterviewPlan.objects.outside_loops().filter(is_starter=True, **keys).first()
    else:
        keys = {"loop_track": loop[0], "loop_level": loop[1], "loop_stage": template["stage"]}
        plan = InterviewPlan.objects.of_loop(*loop).filter(loop_stage=template["stage"]).first()
        fields["name"] = template["name"]
    if plan is None:
        plan = InterviewPlan.objects.create(is_starter=True, **keys, **fields)
        outcome = "created"
    else:
        outcome = "unchanged"
        stale = [k for k, v in fields.items() if getattr(plan, k) != v]
        if stale:
            for k in stale:
                setattr(plan, k, fields[k])
            plan.save(update_fields=[*stale, "updated_at"])
            changed = True
    sections = {s.title: s for s in plan.sections.all()}
    items = {i.revision.question.slug: i for i in plan.items.select_related("revision__question")}
    wanted_sections, wanted_slugs = set(), set()
    for s_order, spec in enumerate(template["sections"], 1):
        section = sections.get(spec["title"])
        if section is None:
            section = PlanSection.objects.create(plan=plan, title=spec["title"], order=s_order)
            changed = True
        elif section.order != s_order:
            section.order = s_order
            section.save(update_fields=["order"])
            changed = True
        wanted_sections.add(section.pk)
        for i_order, spec_item in enumerate(spec["items"], 1):
            question = questions[spec_item["slug"]]
            wanted_slugs.add(question.slug)
            values = {
                "section_id": section.pk, "order": i_order, "revision_id": question.current_revision_id,
                "minutes": _minutes(spec_item, question), "competency": spec_item["competency"],
                "weight": Decimal(str(spec_item.get("weight", 1))), "required": spec_item.get("required", True),
            }
            item = items.get(question.slug)
            if item is None:
                PlanItem.objects.create(plan=plan, **values)
                changed = True
                continue
            stale = [k for k, v in values.items() if getattr(item, k) != v]
            if stale:
                for k in stale:
                    setattr(item, k, values[k])
                item.save(update_fields=[k.removesuffix("_id") for k in stale])
                changed = True
    gone_items = [i.pk for slug, i in items.items() if slug not in wanted_slugs]
    gone_sections = [s.pk for s in sections.values() if s.pk not in wanted_sections]
    if gone_items or gone_sections:
        PlanItem.objects.filter(pk__in=gone_items).delete()
        PlanSection.objects.filter(pk__in=gone_sections).delete()
        changed = True
    if changed and outcome == "unchanged":
        outcome = "updated"
    return outcome


@transaction.atomic
def load_starter_plans(path=STARTER_FILE):
    """Load every template of the file. Returns counts by outcome."""
    templates = read_starter_plans(path)
    questions = resolve_questions(templates)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for template in templates:
        counts[sync_template(template, questions)] += 1
    return counts
