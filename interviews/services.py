"""Workflows of interview plans and scheduling."""

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Prefetch, Q
from django.utils import timezone

from accounts.models import audit
from config.database import custom_plans
from questionbank.models import Question, QuestionRevision, Status
from webhooks.models import EventType

from .events import interview_publish
from .invitations import cancellations_send, channel_tell, invitations_send
from .models import (
    POOL_SIZE,
    Candidate,
    Interview,
    InterviewPlan,
    InterviewQuestion,
    InterviewStatus,
    PlanItem,
    PlanSection,
    PoolMember,
    pool_mismatch,
)
from .pools import EXPOSURE_DAYS, MIN_DIFFICULTY_SAMPLE, Option, pool_pick

NAME_MAX = InterviewPlan._meta.get_field("name").max_length
# The sections a new plan starts with (plan_create); the builder adds, fills and reorders them.
DEFAULT_SECTIONS = ["Warm-up", "Fundamentals", "Coding", "System design", "Wrap-up"]
# How long the "Undo" of a removed plan item stays usable.
UNDO_MAX_AGE = 60 * 60
UNDO_SALT = "interviews.plan_item_restore"
RESCHEDULE_CANCELLED = "This interview is cancelled, so it cannot be rescheduled. Schedule a new interview instead."


@transaction.atomic
def plan_create(*, name, by, position=None, slot_minutes=45, description=""):
    """A new plan (for a position, or a template when ``position`` is None) with the default
    sections, empty."""
    plan = InterviewPlan.objects.create(
        name=name, position=position, slot_minutes=slot_minutes, description=description, created_by=by,
    )
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, title=title, order=n) for n, title in enumerate(DEFAULT_SECTIONS, 1)
    )
    return plan


def plan_add_section(*, plan, title):
    """Append a section to a plan (after its last one). The caller holds the plan's lock."""
    last = plan.sections.aggregate(m=Max("order"))["m"] or 0
    return PlanSection.objects.create(plan=plan, title=title, order=last + 1)


def _plan_order(plan):
    """[(section_id, [item ids])] in the order the builder shows them."""
    order = {pk: [] for pk in plan.sections.order_by("order", "pk").values_list("pk", flat=True)}
    for section_id, item_id in plan.items.order_by("order", "pk").values_list("section_id", "pk"):
        order[section_id].append(item_id)
    return list(order.items())


def _write_order(plan, order):
    """Give every item its section and 1-based position from [(section_id, [item ids])],
    writing only the rows that changed."""
    items = {item.pk: item for item in plan.items.only("pk", "section_id", "order")}
    changed = []
    for section_id, item_ids in order:
        for n, item_id in enumerate(item_ids, 1):
            item = items[item_id]
            if item.section_id != section_id or item.order != n:
                item.section_id, item.order = section_id, n
                changed.append(item)
    PlanItem.objects.bulk_update(changed, ["section", "order"])


def plan_move_item(*, plan, item, direction):
    """Move an item one place "up" or "down"; past the edge of its section it goes to the end
    (up) or the start (down) of the neighbouring section. Returns ``(section_id, index)``, its
    new place (0-based), or None when it is already first or last of the plan (nothing
    changes). The caller holds the plan's lock (two editors moving at once would otherwise
    interleave their renumbering)."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be up or down, not {direction!r}")
    order = [(section_id, list(ids)) for section_id, ids in _plan_order(plan)]
    at = next(n for n, (_, ids) in enumerate(order) if item.pk in ids)
    ids = order[at][1]
    i = ids.index(item.pk)
    if direction == "up" and i > 0:
        ids[i - 1], ids[i] = ids[i], ids[i - 1]
    elif direction == "down" and i < len(ids) - 1:
        ids[i + 1], ids[i] = ids[i], ids[i + 1]
    elif direction == "up" and at > 0:
        ids.remove(item.pk)
        order[at - 1][1].append(item.pk)
    elif direction == "down" and at < len(order) - 1:
        ids.remove(item.pk)
        order[at + 1][1].insert(0, item.pk)
    else:
        return None
    _write_order(plan, order)
    section_id, ids = next((section_id, ids) for section_id, ids in order if item.pk in ids)
    return section_id, ids.index(item.pk)


def plan_reorder(*, plan, order):
    """Put the plan's items in a new order, ``[(section_id, [item ids])]`` (as a drag in the
    builder sends it, checked by PlanReorderForm: every item listed once, sections of this
    plan). Sections left out keep no items. The caller holds the plan's lock."""
    listed = {section_id for section_id, _ in order}
    unlisted = plan.sections.exclude(pk__in=listed).values_list("pk", flat=True)
    _write_order(plan, [*order, *((pk, []) for pk in unlisted)])


def plan_clone_base_name(plan):
    """The name a clone of ``plan`` starts from: a clone's own automatic ending (“ (copy)”,
    “ — <its position>”, a number) taken off, so cloning a clone does not stack endings."""
    name = plan.name
    if plan.cloned_from_id is None:
        return name
    endings = [r" \(\d+\)", r" \(copy\)"]
    if plan.position_id:
        endings.append(" — " + re.escape(plan.position.title))
    pattern = re.compile("(" + "|".join(endings) + ")$")
    while (shorter := pattern.sub("", name)) != name and shorter:
        name = shorter
    return name


def plan_clone_name(*, plan, position):
    """“<name> — <position>” for a position, “<name> (copy)” for a template, from the base
    name; numbered “(2)”, “(3)”… when that position (or the templates) already has the name."""
    base = plan_clone_base_name(plan)
    name = f"{base} — {position.title}" if position else f"{base} (copy)"
    taken = set(InterviewPlan.objects.filter(position=position).values_list("name", flat=True))
    return _free_name(name, taken)


@transaction.atomic
def plan_clone(*, plan, by, position=None, name=None):
    """Copy a plan (sections and items, same pinned revisions) for a position or as a new
    template; unnamed, it is named by ``plan_clone_name``."""
    clone = InterviewPlan.objects.create(
        name=name or plan_clone_name(plan=plan, position=position), position=position, description=plan.description,
        slot_minutes=plan.slot_minutes, cloned_from=plan, created_by=by,
    )
    _copy_plans({plan.pk: clone})
    return clone


@transaction.atomic
def loop_clone(*, track, level, position, by):
    """Copy the five plans of a starter loop to ``position``, all or none, each named like any
    clone for a position (“<name> — <position>”, numbered “(2)” when the position already has
    that name, so cloning a loop twice gives a second, numbered set). Returns the copies in
    stage order. Raises ValidationError when the loop is not loaded. The caller checks the
    user may plan for the position (plan_forms.positions_for_plans). Audited."""
    plans = list(InterviewPlan.objects.of_loop(track, level))
    if not plans:
        raise ValidationError("That starter loop is not loaded: ask an admin to run load_starter_plans.")
    taken = set(InterviewPlan.objects.filter(position=position).values_list("name", flat=True))
    clones = []
    for plan in plans:
        name = _free_name(f"{plan.name} — {position.title}", taken)
        taken.add(name)
        clones.append(InterviewPlan(
            name=name, position=position, description=plan.description, slot_minutes=plan.slot_minutes,
            cloned_from=plan, created_by=by,
        ))
    InterviewPlan.objects.bulk_create(clones)
    _copy_plans({clone.cloned_from_id: clone for clone in clones})
    audit(actor=by, action="plan.loop_clone", target=f"position {position.pk}", track=track, level=level,
          plans=[clone.pk for clone in clones], sources=sorted(plan.pk for plan in plans))
    return clones


def _copy_plans(clone_of):
    """Copy the sections and items of plans into their clones (``clone_of``: {source plan's pk:
    its clone, saved and still empty}): the same titles, order, pinned revisions, minutes,
    competencies, weights and required, and each item's pool. Five queries (six when a pool is
    copied), however many plans and items."""
    sections = list(PlanSection.objects.filter(plan_id__in=clone_of).order_by("plan_id", "order", "pk"))
    copies = [PlanSection(plan=clone_of[s.plan_id], title=s.title, order=s.order) for s in sections]
    PlanSection.objects.bulk_create(copies)
    section_of = {old.pk: new for old, new in zip(sections, copies)}
    items = list(PlanItem.objects.filter(plan_id__in=clone_of).order_by("plan_id", "section_id", "order", "pk"))
    item_copies = [
        PlanItem(plan=clone_of[item.plan_id], section=section_of[item.section_id], order=item.order,
                 revision_id=item.revision_id, minutes=item.minutes, competency=item.competency,
                 weight=item.weight, required=item.required)
        for item in items
    ]
    PlanItem.objects.bulk_create(item_copies)
    # Pools go with their items: the same questions, the same order.
    item_of = {old.pk: new for old, new in zip(items, item_copies)}
    PoolMember.objects.bulk_create(
        PoolMember(item=item_of[member.item_id], revision_id=member.revision_id, order=member.order)
        for member in PoolMember.objects.filter(item__plan_id__in=clone_of).order_by("item_id", "order")
    )


def _free_name(name, taken):
    """``name`` cut to the name field, numbered “(2)”, “(3)”… until no name in ``taken``."""
    candidate, n = name[:NAME_MAX], 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = name[: NAME_MAX - len(suffix)] + suffix, n + 1
    return candidate


def plan_add_question(*, plan, section, revision, competency, minutes=None, weight=Decimal("1"), required=True):
    """Append a question revision to a section of a plan."""
    last = section.items.aggregate(m=Max("order"))["m"]
    return PlanItem.objects.create(
        plan=plan, section=section, order=(last or 0) + 1, revision=revision,
        minutes=minutes or revision.minutes, competency=competency, weight=weight, required=required,
    )


def plan_item_update_revision(*, item):
    """Point an item at its question's newest revision, keeping its section, place, minutes,
    competency, weight and required. Returns the new revision, or None when the item already
    has it. Raises ValidationError when the question is not published (a draft's newest
    revision may have no rubric yet): plans take published questions only, as when adding."""
    # The question as it is now, through the same rule as PlanItemAddForm's choices.
    current_id = (Question.objects.published().filter(pk=item.revision.question_id)
                  .values_list("current_revision_id", flat=True).first())
    if current_id is None:
        raise ValidationError(
            f"“{item.revision.title}” is not published in the bank, so its newest revision cannot go into a plan; "
            f"the item keeps revision {item.revision.number}. Publish the question first."
        )
    if current_id == item.revision_id:
        return None
    item.revision = QuestionRevision.objects.get(pk=current_id)
    item.save(update_fields=["revision"])
    return item.revision


def pool_update_revisions(*, item):
    """Point the other questions of an item's pool at their newest revisions, those still
    published (a draft's may have no rubric yet; the builder shows which stay behind). Returns
    how many moved. One query to read, one to write."""
    members = list(item.pool.filter(revision__question__status=Status.PUBLISHED)
                   .exclude(revision_id=F("revision__question__current_revision_id"))
                   .select_related("revision__question"))
    for member in members:
        member.revision_id = member.revision.question.current_revision_id
    PoolMember.objects.bulk_update(members, ["revision"])
    return len(members)


def _pool_error(item, question, *, members):
    """Why ``question`` cannot join the pool of ``item`` (its question and the pool's other
    questions in ``members``, revisions with their question loaded), in words; None when it can."""
    first = item.revision.question
    if question.pk == first.pk or any(m.revision.question_id == question.pk for m in members):
        return f"“{question.title}” is already in this pool."
    if len(members) + 1 >= POOL_SIZE[1]:
        return f"A pool holds at most {POOL_SIZE[1]} questions; this one is full."
    return pool_mismatch(first, question)


def pool_add(*, item, question, by):
    """Add a published bank question (its current revision) to an item's pool: same level and
    area as the item's question, not already in the plan, at most POOL_SIZE[1] in all. Raises
    ValidationError saying which rule it broke. The caller holds the plan's lock. Audited."""
    members = list(item.pool.select_related("revision__question").order_by("order"))
    error = _pool_error(item, question, members=members)
    if error is None and (item.plan.items.filter(revision__question=question).exists()
                          or PoolMember.objects.filter(item__plan=item.plan, revision__question=question).exists()):
        error = f"“{question.title}” is already in this plan; a question is asked once per interview."
    if error:
        raise ValidationError(error)
    member = PoolMember.objects.create(item=item, revision=question.current_revision, order=len(members) + 1)
    audit(actor=by, action="plan.pool_add", target=f"plan {item.plan_id}", item=item.pk, question=question.pk,
          pool_size=len(members) + 2)
    return member


@transaction.atomic
def pool_remove(*, member, by):
    """Take a question out of its pool; the ones after it move up a place. The caller holds the
    plan's lock. Audited."""
    item = member.item
    member.delete()
    later = list(item.pool.filter(order__gt=member.order).order_by("order"))
    for later_member in later:  # one at a time upwards: the unique order never clashes
        later_member.order -= 1
        later_member.save(update_fields=["order"])
    audit(actor=by, action="plan.pool_remove", target=f"plan {item.plan_id}", item=item.pk,
          question=member.revision.question_id)


@transaction.atomic
def plan_item_remove(*, item):
    """Remove an item from its plan. Returns a signed token holding what ``plan_item_restore``
    needs to put it back at the same place with the same settings (the page's "Undo")."""
    token = signing.dumps({
        "plan": item.plan_id, "section": item.section_id, "order": item.order, "revision": item.revision_id,
        "minutes": item.minutes, "competency": item.competency, "weight": str(item.weight),
        "required": item.required, "title": item.revision.title, "section_title": item.section.title,
        "pool": list(item.pool.order_by("order").values_list("revision_id", flat=True)),
    }, salt=UNDO_SALT, compress=True)
    item.delete()
    return token


def plan_removal_read(*, plan, token):
    """What a removal token of this plan holds, or None when it is not one (or has expired)."""
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    except signing.BadSignature:  # expired tokens included
        return None
    return data if isinstance(data, dict) and data.get("plan") == plan.pk else None


@transaction.atomic
def plan_item_restore(*, plan, token):
    """Put a removed item back where it was (the items after it move down one place), with its
    revision, minutes, competency, weight and required. The caller holds the plan's lock."""
    data = plan_removal_read(plan=plan, token=token)
    if data is None:
        raise ValidationError("That undo has expired or is not for this plan. Add the question again from the bank.")
    # The token was signed here, so its values are the ones the item had.
    revision = QuestionRevision.objects.get(pk=data["revision"])  # revisions are never deleted
    if (plan.items.filter(revision__question_id=revision.question_id).exists()
            or PoolMember.objects.filter(item__plan=plan, revision__question_id=revision.question_id).exists()):
        raise ValidationError(f"“{data['title']}” is already in this plan again, so there is nothing to undo.")
    # Plans take published questions only (PlanItemAddForm's rule); it may have changed since.
    if not Question.objects.published().filter(pk=revision.question_id).exists():
        raise ValidationError(f"“{data['title']}” is no longer published in the bank, so it cannot go back in the plan.")
    # Its section, or the first one if that section is gone.
    section = plan.sections.filter(pk=data["section"]).first() or plan.sections.order_by("order", "pk").first()
    if section is None:
        raise ValidationError("The plan has no section to put that question back in. Add a section first.")
    section.items.filter(order__gte=data["order"]).update(order=F("order") + 1)
    item = PlanItem.objects.create(
        plan=plan, section=section, order=data["order"], revision=revision, minutes=data["minutes"],
        competency=data["competency"], weight=Decimal(data["weight"]), required=data["required"],
    )
    # Its pool, but for questions put in the plan since or no longer published (the token of a
    # removal before pools holds none).
    pool = _restorable_pool(plan, item, data.get("pool", []))
    PoolMember.objects.bulk_create(
        PoolMember(item=item, revision_id=revision_id, order=n) for n, revision_id in enumerate(pool, 1)
    )
    return item


def _restorable_pool(plan, item, revision_ids):
    """Of a removed item's pool (revision ids in order), those that may go back: published,
    and not in the plan again since."""
    in_plan = set(plan.items.exclude(pk=item.pk).values_list("revision__question_id", flat=True))
    in_plan |= set(PoolMember.objects.filter(item__plan=plan).values_list("revision__question_id", flat=True))
    published = dict(QuestionRevision.objects.filter(pk__in=revision_ids, question__status=Status.PUBLISHED)
                     .values_list("pk", "question_id"))
    return [pk for pk in revision_ids if pk in published and published[pk] not in in_plan][:POOL_SIZE[1] - 1]


def plan_archive(*, plan):
    """Hide a plan from the lists and from scheduling; interviews that used it are unchanged."""
    if plan.archived_at is None:
        plan.archived_at = timezone.now()
        plan.save(update_fields=["archived_at"])
    return plan


def plan_unarchive(*, plan):
    plan.archived_at = None
    plan.save(update_fields=["archived_at"])
    return plan


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
        phase_total = sum(phase["minutes"] for phase in item.revision.phases)
        if item.minutes < phase_total:
            warnings.append(f"“{item.revision.title}” is scored in {len(item.revision.phases)} phases taking "
                            f"{phase_total} minutes; with {item.minutes} here, the phases are shortened in proportion.")
        if item.revision.question.status == Status.RETIRED:
            warnings.append(f"“{item.revision.title}” is retired from the bank; consider replacing it.")
        elif item.revision.question.current_revision_id != item.revision_id:
            if item.revision.question.status == Status.DRAFT:
                warnings.append(f"“{item.revision.title}” has a newer revision in the bank, but the question is "
                                "a draft again; the plan can take it once it is published.")
            else:
                warnings.append(f"“{item.revision.title}” has a newer revision in the bank.")
    # A pool counts once above (its item's minutes, competency and level); its other questions
    # are checked for what needs attention (builder_sections loads them as ``pool_members``).
    pools = [item for item in items if getattr(item, "pool_members", None)]
    for item in pools:
        for member in item.pool_members:
            question = member.revision.question
            if question.status == Status.RETIRED:
                warnings.append(f"“{member.revision.title}”, in the pool of “{item.revision.title}”, is retired "
                                "from the bank; consider taking it out of the pool.")
            elif question.current_revision_id != member.revision_id and question.status == Status.PUBLISHED:
                warnings.append(f"“{member.revision.title}”, in the pool of “{item.revision.title}”, has a newer "
                                "revision in the bank.")
    if not items:
        warnings.append("The plan has no questions yet.")
    return {
        "total_minutes": total,
        "slot_minutes": plan.slot_minutes,
        "remaining_minutes": plan.slot_minutes - total,
        "competencies": sorted(competencies.items()),
        "levels": sorted(levels.items()),
        "required_count": sum(1 for i in items if i.required),
        "pool_count": len(pools),
        "warnings": warnings,
    }


def part_weights(weight, parts):
    """``weight`` shared out over ``parts`` in hundredths, as evenly as hundredths allow: the
    first parts take the hundredths left over, so the shares add up to ``weight`` exactly."""
    hundredths = int(weight * 100)
    share, left = divmod(hundredths, parts)
    return [Decimal(share + (1 if n < left else 0)) / 100 for n in range(parts)]


def interview_questions_for(item, revision=None):
    """The interview's questions (unsaved, without interview or order) a plan item is pinned
    as: one, or for a design round scored per phase one per phase in order and then one for
    the round as a whole (its revision's own criteria and anchors: trade-offs, communication).
    Each phase keeps its minutes and the whole round gets what is left of the item's minutes
    (0 when the phases take them all); an item shorter than its phases scales them down
    (``phase_minutes``), so the parts never take more than the plan gave. The item's weight
    is shared out over the parts (``part_weights``), so the round counts in the weighted score
    as one question of the item's weight whose score is the average of its parts'
    (docs/scoring.md). ``revision``: the question a pool resolved to, else the item's own."""
    revision = revision or item.revision  # a pool's: the question it resolved to
    common = {"section": item.section.title, "revision_id": revision.pk, "competency": item.competency,
              "required": item.required}
    phases = revision.phases
    if not phases:
        return [InterviewQuestion(minutes=item.minutes, weight=item.weight, **common)]
    weights = part_weights(item.weight, len(phases) + 1)
    minutes = phase_minutes([phase["minutes"] for phase in phases], item.minutes)
    parts = [InterviewQuestion(phase=n, minutes=minutes[n], weight=weights[n], **common) for n in range(len(phases))]
    return parts + [InterviewQuestion(phase=None, minutes=item.minutes - sum(minutes), weight=weights[-1], **common)]


def phase_minutes(minutes, total):
    """The phases' ``minutes`` within a plan item's ``total``: as they are when they fit (the
    round as a whole gets the rest); scaled down in proportion when the item is shorter than
    the phases, each rounded down and the minutes left over given to the phases that lost
    the most to rounding (earlier phases first on a tie), so they add up to ``total``."""
    if sum(minutes) <= total:
        return list(minutes)
    exact = [m * total / sum(minutes) for m in minutes]
    scaled = [int(x) for x in exact]
    by_remainder = sorted(range(len(minutes)), key=lambda n: (scaled[n] - exact[n], n))
    for n in by_remainder[:total - sum(scaled)]:
        scaled[n] += 1
    return scaled


def pool_resolve(*, candidate, items, starts_at):
    """{item pk: (revision, note)} for the items with a pool (``pool_members`` loaded, each with
    its revision and question), chosen by ``pool_pick``. Three queries for all the pools,
    however large the bank or the history: the revisions of the pools' questions, those the
    candidate was asked before, and each one's uses in the EXPOSURE_DAYS before
    ``starts_at``. Raises ValidationError naming the pool when the candidate was asked every
    question of one."""
    pools = [item for item in items if item.pool_members]
    if not pools:
        return {}
    revisions = {item.pk: [item.revision, *(m.revision for m in item.pool_members)] for item in pools}
    question_ids = {r.question_id for rs in revisions.values() for r in rs}
    # Every revision of the pools' questions (an earlier interview may have pinned an older
    # one), so the reads below filter on the pinned rows' own indexed revision_id rather than
    # through a join to the revisions (docs/performance.md, scheduling with pools).
    question_of = dict(QuestionRevision.objects.filter(question_id__in=question_ids).values_list("pk", "question_id"))
    # Unordered: the model's ordering (by interview, so by its start) would join into both reads.
    pinned = InterviewQuestion.objects.filter(revision_id__in=question_of).exclude(
        interview__status=InterviewStatus.CANCELLED).order_by()
    # The same person applying twice (for two positions, or again later) is two candidates
    # with one email address: what they were asked as either counts. From their interviews
    # (indexed by candidate) to those interviews' questions.
    same_person = Candidate.objects.filter(pk=candidate.pk)
    if candidate.email:
        same_person = Candidate.objects.filter(Q(pk=candidate.pk) | Q(email__iexact=candidate.email))
    since = starts_at - timedelta(days=EXPOSURE_DAYS)
    # A use is an interview that pinned the question from its plan: exactly one of its rows
    # there has no phase (a design round scored per phase adds one row per phase besides), so
    # rows are counted, not DISTINCT interviews (which sorted every use: ~3x the time).
    uses = Counter()
    # Planned for these parameters: the generic plan a prepared statement gets after five runs
    # took the candidate's read from ~3 to ~290 ms on the bench data (5 December 2026).
    with custom_plans():
        seen = {question_of[pk] for pk in pinned.filter(interview__candidate__in=same_person.values("pk"))
                .values_list("revision_id", flat=True).distinct()}
        for revision_id, n in (pinned.filter(added_by__isnull=True, phase__isnull=True,
                                             interview__starts_at__gte=since, interview__starts_at__lt=starts_at)
                               .values_list("revision_id").annotate(n=Count("pk"))):
            uses[question_of[revision_id]] += n
    cap = candidate.position.exposure_cap
    chosen = {}
    for item in pools:
        options = [
            Option(key=r.question_id, title=r.title, seen=r.question_id in seen, uses=uses.get(r.question_id, 0),
                   difficulty=r.question.difficulty if r.question.difficulty_n >= MIN_DIFFICULTY_SAMPLE else None)
            for r in revisions[item.pk]
        ]
        # "the candidate", not their name: the note outlives an erasure of their personal data.
        pick = pool_pick(options=options, cap=cap, spread=candidate.pk or 0)
        if pick is None:
            raise ValidationError(
                f"{candidate.name} was already asked every question of the pool “{item.revision.title}” "
                f"({len(options)} questions) in an earlier interview. Add another question to that pool in "
                "the plan, or choose another plan."
            )
        revision = next(r for r in revisions[item.pk] if r.question_id == pick.option.key)
        chosen[item.pk] = (revision, pick.note)
    return chosen


def pool_problem(*, candidate, plan, starts_at):
    """The ValidationError ``interview_schedule`` would raise for ``plan``'s pools (a pool whose
    every question the candidate was asked), or None: asked before the scheduling warnings are
    shown, so a recruiter never confirms them only to be refused."""
    try:
        pool_resolve(candidate=candidate, items=plan_items_for_scheduling(plan), starts_at=starts_at)
    except ValidationError as error:
        return error
    return None


# A bank question's search vectors (several kB each) are not read at scheduling: loading them
# for a plan of ten pools of three cost ~100 ms on the bench data (5 December 2026).
UNREAD_AT_SCHEDULING = ("revision__question__search_vector", "revision__question__rank_vector")


def plan_items_for_scheduling(plan):
    """The plan's items in order, with their sections, revisions and pools (``pool_members``),
    each revision with its bank question (a pool's difficulty). Two queries."""
    members = (PoolMember.objects.select_related("revision__question").defer(*UNREAD_AT_SCHEDULING)
               .order_by("order"))
    return list(plan.items.select_related("section", "revision__question").defer(*UNREAD_AT_SCHEDULING)
                .prefetch_related(Prefetch("pool", queryset=members, to_attr="pool_members"))
                .order_by("section__order", "order", "pk"))


@transaction.atomic
def interview_schedule(*, candidate, plan, starts_at, duration_minutes, interviewers, by):
    """Schedule an interview and pin the plan's questions as they are now: later edits to the
    plan or the bank never change this interview. Each pool resolves to one question here
    (``pool_resolve``), pinned like the rest, so rescheduling never chooses again. Raises
    ValidationError, saving nothing, when a pool has no question the candidate was not asked."""
    items = plan_items_for_scheduling(plan)
    chosen = pool_resolve(candidate=candidate, items=items, starts_at=starts_at)
    interview = Interview.objects.create(
        candidate=candidate, plan=plan, plan_name=plan.name, starts_at=starts_at,
        duration_minutes=duration_minutes, created_by=by,
    )
    interview.interviewers.set(interviewers)
    parts = []
    for item in items:
        revision, note = chosen.get(item.pk, (None, ""))
        item_parts = interview_questions_for(item, revision)
        item_parts[0].pool_note = note  # once per item, on its first part
        parts += item_parts
    for n, part in enumerate(parts, 1):
        part.interview, part.order = interview, n
    InterviewQuestion.objects.bulk_create(parts)
    invitations_send(interview=interview)
    channel_tell(interview=interview, what="scheduled")
    interview_publish(interview=interview, type=EventType.INTERVIEW_SCHEDULED)
    return interview


@transaction.atomic
def interview_reschedule(*, interview, starts_at, duration_minutes, interviewers):
    """Move an interview or change its panel. Interviewers who already started a scorecard
    stay on the panel (their work is never dropped). Raises ValidationError when the interview
    is cancelled: the row is locked first, as ``Interview.cancel`` does, so a cancel that
    commits while this runs cannot be overwritten by the new time and panel."""
    status, sequence, was_at, was_minutes = (
        Interview.objects.select_for_update().values_list("status", "sequence", "starts_at", "duration_minutes")
        .get(pk=interview.pk)
    )
    if status == InterviewStatus.CANCELLED:
        raise ValidationError(RESCHEDULE_CANCELLED)
    keep = set(interview.scorecards.values_list("interviewer_id", flat=True))
    panel = {u.pk for u in interviewers} | keep
    before = set(interview.interviewers.values_list("pk", flat=True))
    # The calendar event's SEQUENCE goes up with any change of time, length or panel, from the
    # locked row's values (never this instance's, which another request may have changed since).
    changed = (starts_at, duration_minutes) != (was_at, was_minutes) or panel != before
    interview.starts_at, interview.duration_minutes = starts_at, duration_minutes
    interview.sequence = sequence + 1 if changed else sequence
    interview.save(update_fields=["starts_at", "duration_minutes", "sequence"])
    # What .set() does, from the panel already read.
    if before - panel:
        interview.interviewers.remove(*(before - panel))
    if panel - before:
        interview.interviewers.add(*(panel - before))
    if changed:  # the panel's new invitation; who left it, a cancellation
        invitations_send(interview=interview)
        cancellations_send(interview=interview, to=get_user_model().objects.filter(pk__in=before - panel))
        channel_tell(interview=interview, what="moved")
        interview_publish(interview=interview, type=EventType.INTERVIEW_RESCHEDULED)
    return interview
