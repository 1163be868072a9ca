"""Interview plans: the list, creating and editing a plan, the plan builder (search the bank,
add, edit, move, drag to reorder, remove and undo, update to a newer revision), sections,
cloning, and archiving.

Who may do what: everyone with ``view_interviewplan`` (hiring managers, recruiters) sees
templates and the plans of positions they can see; hiring managers (``add``/``change``) create
plans, clone them, and edit (and archive) templates and the plans of their own positions. Starter templates
(loaded by ``load_starter_plans``, so they have no creator) are read-only: the YAML file is
their source, and the way to adapt one is to clone it.

Mutating views answer a page POST with a redirect, and a ``fetch`` (``Accept:
application/json``) with JSON holding the re-rendered totals, so the page works with and
without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from questionbank.models import Area, Kind, Level
from questionbank.selectors import quick_search

from .. import services
from ..models import InterviewPlan, PlanItem, PlanSection
from ..plan_reading import builder_sections
from ..plan_forms import (
    COMPETENCIES,
    DEFAULT_SECTIONS,
    MAX_ITEM_MINUTES,
    MAX_WEIGHT,
    MIN_ITEM_MINUTES,
    MIN_WEIGHT,
    PlanCloneForm,
    PlanCreateForm,
    PlanEditForm,
    PlanItemAddForm,
    PlanItemForm,
    PlanSectionForm,
    reorder_form_from_body,
)

VIEW = "interviews.view_interviewplan"
ADD = "interviews.add_interviewplan"
CHANGE = "interviews.change_interviewplan"
SEARCH_LIMIT = 10
# Where a search result is offered first, by the question's kind (else the first section).
SECTION_FOR_KIND = {Kind.CODING: "coding", Kind.DESIGN: "system design", Kind.EXPERIENCE: "warm-up"}
STARTER = Q(position__isnull=True, created_by__isnull=True)


# --- Scoping -----------------------------------------------------------------------------


def is_starter(plan):
    """A starter template: loaded from interviews/starter_plans.yaml, read-only in the builder."""
    return plan.position_id is None and plan.created_by_id is None


def editable_plans(user):
    """Plans a user may change: templates (not the starter ones) and the plans of positions
    they are the hiring manager of; admins may change every plan but the starter templates."""
    plans = InterviewPlan.objects.exclude(STARTER)
    if user.is_superuser:
        return plans
    return plans.filter(Q(position__isnull=True) | Q(position__hiring_manager=user))


def can_edit(user, plan):
    """The same rule as ``editable_plans`` for a plan already loaded (with its position)."""
    if not user.has_perm(CHANGE) or is_starter(plan):
        return False
    return user.is_superuser or plan.position_id is None or plan.position.hiring_manager_id == user.pk


def _plan_for_edit(request, pk):
    """A plan the user may change, locked for the rest of the transaction (two editors moving
    items at once would otherwise interleave their renumbering); 404 otherwise."""
    plans = editable_plans(request.user).select_related("position", "cloned_from")
    return get_object_or_404(plans.select_for_update(of=("self",)), pk=pk)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


# --- Reading a plan ------------------------------------------------------------------------


LEVEL_LABELS, AREA_LABELS, KIND_LABELS = dict(Level.choices), dict(Area.choices), dict(Kind.choices)


def _summary(plan, sections):
    """plan_summary plus what the builder shows: the level mix in order, section minutes, and
    a warning for each competency of the plan it was cloned from that no question probes."""
    items = [item for section in sections for item in section.plan_items]
    summary = services.plan_summary(plan, items)
    levels = dict(summary["levels"])
    summary["level_mix"] = [(label, levels.get(value, 0)) for value, label in Level.choices]
    summary["item_count"] = len(items)
    summary["over_time"] = summary["total_minutes"] > plan.slot_minutes
    summary["overrun_minutes"] = max(0, -summary["remaining_minutes"])
    summary["section_minutes"] = {s.pk: sum(i.minutes for i in s.plan_items) for s in sections}
    if plan.cloned_from_id:
        expected = set(
            PlanItem.objects.filter(plan_id=plan.cloned_from_id).values_list("competency", flat=True).distinct()
        )
        covered = {competency for competency, _ in summary["competencies"]}
        for competency in sorted(expected - covered):
            summary["warnings"].append(
                f"No question probes “{competency}”, which “{plan.cloned_from.name}” covers."
            )
    return items, summary


def _load_plan(request, pk):
    return get_object_or_404(
        InterviewPlan.objects.visible_to(request.user).select_related("position", "cloned_from"), pk=pk
    )


def _search_results(request, sections, items):
    """Up to 10 published questions matching ?q=, each with the section it is offered for."""
    text = request.GET.get("q", "").strip()[:200]
    if not text:
        return text, None, []
    questions, mode = quick_search(text, limit=SEARCH_LIMIT)
    in_plan = {item.revision.question_id for item in items}
    by_title = {s.title.lower(): s for s in sections}
    for question in questions:
        question.in_plan = question.pk in in_plan
        preferred = by_title.get(SECTION_FOR_KIND.get(question.kind, "fundamentals"))
        question.suggested_section = preferred or (sections[0] if sections else None)
    return text, mode, questions


# The limits the row's inputs state (the form checks them on save).
ITEM_LIMITS = {"minutes": (MIN_ITEM_MINUTES, MAX_ITEM_MINUTES), "weight": (MIN_WEIGHT, MAX_WEIGHT),
               "competency": PlanItem._meta.get_field("competency").max_length}


def _item_edit(item, form=None):
    """What an item's row form shows: the values and errors of the form that was refused, else
    the item's values. The inputs are written in the row's template: building a PlanItemForm
    and rendering its four widgets for every row cost about a fifth of the builder's time."""
    if form is None:
        values = {"minutes": item.minutes, "competency": item.competency, "weight": item.weight,
                  "required": item.required}
        return {"id": f"item-{item.pk}", "values": values, "errors": {}, "non_field_errors": []}
    values = {name: form[name].value() for name in PlanItemForm.Meta.fields}
    return {"id": f"item-{item.pk}", "values": values, "errors": form.errors, "non_field_errors": form.non_field_errors()}


def _undo(request, plan):
    """The "Undo" offer after a removal: the token from ?removed= and the title it holds."""
    token = request.GET.get("removed", "")
    data = services.plan_removal_read(plan=plan, token=token) if token else None
    return {"token": token, "title": data["title"], "section_title": data["section_title"]} if data else None


def _competency_suggestions(plan):
    """What the competency inputs offer (a datalist), so people pick a name already in use
    rather than type a variant that splits the comparison: the shared vocabulary and the
    competencies of the plans of this plan's position and of templates. One query."""
    same_ground = Q(plan__position__isnull=True)
    if plan.position_id:
        same_ground |= Q(plan__position_id=plan.position_id)
    used = PlanItem.objects.filter(same_ground).order_by().values_list("competency", flat=True).distinct()
    return sorted(set(COMPETENCIES) | set(used), key=lambda name: (name.lower(), name))


def _builder_context(request, plan, *, item_forms=None, section_form=None, clone_form=None):
    sections = builder_sections(plan)
    items, summary = _summary(plan, sections)
    editable = can_edit(request.user, plan)
    item_forms = item_forms or {}
    for section in sections:
        section.minutes = summary["section_minutes"][section.pk]
    for n, item in enumerate(items, 1):
        item.number = n
        item.is_first, item.is_last = n == 1, n == len(items)
        question = item.revision.question
        # Looked up once here: get_FOO_display() rebuilds its choices dict on every call.
        item.level_label, item.area_label, item.kind_label = (
            LEVEL_LABELS[question.level], AREA_LABELS[question.area], KIND_LABELS[question.kind]
        )
        if editable:
            # The item's URL; its move/, delete/ and revision/ URLs are under it (urls_plans.py). One
            # reverse() per item instead of three, for a row of three forms.
            item.url = reverse("interviews:plan_item_update", args=[plan.pk, item.pk])
            item.edit = _item_edit(item, item_forms.get(item.pk))
    q, mode, results = _search_results(request, sections, items) if editable else ("", None, [])
    context = {
        "plan": plan,
        "sections": sections,
        "summary": summary,
        "can_edit": editable,
        "is_starter": is_starter(plan),
        "q": q,
        "search_mode": mode,
        "results": results,
        "limits": ITEM_LIMITS,
        "undo": _undo(request, plan) if editable else None,
        "competency_suggestions": _competency_suggestions(plan) if editable else [],
    }
    if editable:
        context["section_form"] = section_form or PlanSectionForm(plan=plan)
    if request.user.has_perm(ADD):
        context["clone_form"] = clone_form or PlanCloneForm(user=request.user, source=plan)
    return context


def _render_builder(request, plan, status=200, **forms):
    return render(request, "interviews/plans/builder.html", _builder_context(request, plan, **forms), status=status)


def _state_json(request, plan, **extra):
    """The re-rendered totals and section minutes after a change made through fetch."""
    sections = builder_sections(plan)
    _, summary = _summary(plan, sections)
    html = render_to_string("interviews/plans/includes/summary.html", {"summary": summary, "plan": plan}, request)
    return JsonResponse({
        "ok": True, "summary_html": html,
        "section_minutes": {str(pk): minutes for pk, minutes in summary["section_minutes"].items()},
        **extra,
    })


def _builder_url(plan, *, q="", item=None):
    url = plan.get_absolute_url()
    if q:
        url += "?" + urlencode({"q": q})
    return url + (f"#item-{item.pk}" if item else "")


# --- Ordering ------------------------------------------------------------------------------


def _current_order(plan):
    """[(section_id, [item ids])] in the order the builder shows them."""
    order = {pk: [] for pk in plan.sections.order_by("order", "pk").values_list("pk", flat=True)}
    for section_id, item_id in plan.items.order_by("order", "pk").values_list("section_id", "pk"):
        order[section_id].append(item_id)
    return list(order.items())


def _apply_order(plan, order):
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


def _moved(order, item_id, direction):
    """The order after moving one item up or down; past a section edge it goes to the end (up)
    or start (down) of the neighbouring section. None when it is already first or last."""
    order = [(section_id, list(ids)) for section_id, ids in order]
    at = next(n for n, (_, ids) in enumerate(order) if item_id in ids)
    ids = order[at][1]
    i = ids.index(item_id)
    if direction == "up" and i > 0:
        ids[i - 1], ids[i] = ids[i], ids[i - 1]
    elif direction == "down" and i < len(ids) - 1:
        ids[i + 1], ids[i] = ids[i], ids[i + 1]
    elif direction == "up" and at > 0:
        ids.remove(item_id)
        order[at - 1][1].append(item_id)
    elif direction == "down" and at < len(order) - 1:
        ids.remove(item_id)
        order[at + 1][1].insert(0, item_id)
    else:
        return None
    return order


# --- Views: list, create, edit -----------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def plan_list(request):
    """Plans in use (templates, and plans by position); ``?archived=1`` lists the archived ones."""
    show_archived = request.GET.get("archived") == "1"
    plans = list(
        InterviewPlan.objects.visible_to(request.user)
        .select_related("position")
        .annotate(item_count=Count("items"), used_minutes=Sum("items__minutes"))
        .order_by("name", "pk")
    )
    for plan in plans:
        plan.is_starter = is_starter(plan)
        plan.over_time = (plan.used_minutes or 0) > plan.slot_minutes
    archived_count = sum(1 for p in plans if p.is_archived)
    plans = [p for p in plans if p.is_archived == show_archived]
    return render(request, "interviews/plans/plan_list.html", {
        "templates": [p for p in plans if p.position_id is None],
        "position_plans": sorted((p for p in plans if p.position_id), key=lambda p: (p.position.title, p.name)),
        "show_archived": show_archived,
        "archived_count": archived_count,
    })


@permission_required(ADD, raise_exception=True)
def plan_create(request):
    form = PlanCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save(commit=False)
            plan.created_by = request.user
            plan.save()
            PlanSection.objects.bulk_create(
                PlanSection(plan=plan, title=title, order=n) for n, title in enumerate(DEFAULT_SECTIONS, 1)
            )
        messages.success(request, f"Created “{plan.name}”. Search the bank to add its questions.")
        return redirect(plan)
    return render(request, "interviews/plans/plan_form.html", {"form": form},
                  status=400 if form.errors else 200)


@permission_required(CHANGE, raise_exception=True)
def plan_edit(request, pk):
    plan = get_object_or_404(editable_plans(request.user).select_related("position"), pk=pk)
    form = PlanEditForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved “{plan.name}”.")
        return redirect(plan)
    return render(request, "interviews/plans/plan_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


# --- Views: the builder --------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def plan_builder(request, pk):
    plan = _load_plan(request, pk)
    if request.GET.get("partial"):
        # The bank search results alone, fetched by plan-builder.js as the user types.
        if not can_edit(request.user, plan):
            raise PermissionDenied
        sections = builder_sections(plan)
        items = [item for section in sections for item in section.plan_items]
        q, mode, results = _search_results(request, sections, items)
        return render(request, "interviews/plans/includes/search_results.html", {
            "plan": plan, "sections": sections, "q": q, "search_mode": mode, "results": results,
        })
    return _render_builder(request, plan)


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_add(request, pk):
    plan = _plan_for_edit(request, pk)
    q = request.POST.get("q", "").strip()[:200]
    form = PlanItemAddForm(request.POST, plan=plan)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Could not add the question: " + " ".join(errors))
        return redirect(_builder_url(plan, q=q))
    data = form.cleaned_data
    question, section = data["question"], data["section"]
    item = services.plan_add_question(
        plan=plan, section=section, revision=question.current_revision,
        competency=data["competency"], minutes=data["minutes"],
    )
    messages.success(request, f"Added “{question.title}” to {section.title} ({item.minutes} min).")
    return redirect(_builder_url(plan, q=q, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_update(request, pk, item_pk):
    plan = _plan_for_edit(request, pk)
    item = get_object_or_404(plan.items.select_related("revision"), pk=item_pk)
    form = PlanItemForm(request.POST, instance=item)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": {k: list(v) for k, v in form.errors.items()}}, status=400)
        messages.error(request, f"Could not save “{item.revision.title}”: fix the values marked below.")
        return _render_builder(request, plan, status=400, item_forms={item.pk: form})
    form.save()
    if _wants_json(request):
        return _state_json(request, plan)
    messages.success(request, f"Saved “{item.revision.title}”.")
    return redirect(_builder_url(plan, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_move(request, pk, item_pk):
    plan = _plan_for_edit(request, pk)
    item = get_object_or_404(plan.items.select_related("revision"), pk=item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": "Direction must be up or down."}, status=400)
        messages.error(request, "Direction must be up or down.")
        return redirect(_builder_url(plan, item=item))
    order = _moved(_current_order(plan), item.pk, direction)
    if order is None:
        message = f"“{item.revision.title}” is already {'first' if direction == 'up' else 'last'}."
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.info(request, message)
        return redirect(_builder_url(plan, item=item))
    _apply_order(plan, order)
    section_id, ids = next((s, ids) for s, ids in order if item.pk in ids)
    if _wants_json(request):
        return _state_json(request, plan, section=section_id, index=ids.index(item.pk))
    messages.success(request, f"Moved “{item.revision.title}” {direction}.")
    return redirect(_builder_url(plan, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_reorder(request, pk):
    """The whole new order after a drag, as JSON: {"order": [{"section": id, "items": [ids]}]}."""
    plan = _plan_for_edit(request, pk)
    # Only a JSON body is read: a form post over DATA_UPLOAD_MAX_MEMORY_SIZE has already been
    # parsed from the stream by RefuseUnstorableCharactersMiddleware, so request.body would raise.
    if request.content_type != "application/json":
        return JsonResponse({"ok": False, "error": 'Send the new order as JSON (Content-Type: application/json): '
                             '{"order": [{"section": id, "items": [ids]}]}.'}, status=415)
    form = reorder_form_from_body(
        request.body, plan_items=plan.items.only("pk"), plan_sections=plan.sections.only("pk")
    )
    if not form.is_valid():
        error = " ".join(e for errs in form.errors.values() for e in errs)
        return JsonResponse({"ok": False, "error": error}, status=400)
    order = form.cleaned_data["order"]
    listed = {entry["section"] for entry in order}
    # Sections left out of the list are empty (every item is listed); keep them as they are.
    _apply_order(plan, [(entry["section"], entry["items"]) for entry in order]
                 + [(pk, []) for pk in plan.sections.exclude(pk__in=listed).values_list("pk", flat=True)])
    return _state_json(request, plan)


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_delete(request, pk, item_pk):
    """Remove an item; the builder then offers "Undo" (the removed item's data, signed, in
    ?removed=), so a slip costs one click."""
    plan = _plan_for_edit(request, pk)
    item = get_object_or_404(plan.items.select_related("revision", "section"), pk=item_pk)
    section_id = item.section_id
    token = services.plan_item_remove(item=item)
    return redirect(f"{plan.get_absolute_url()}?{urlencode({'removed': token})}#section-{section_id}")


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_restore(request, pk):
    """Undo a removal: the item comes back at its place with its settings."""
    plan = _plan_for_edit(request, pk)
    try:
        item = services.plan_item_restore(plan=plan, token=request.POST.get("token", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(request, f"Put “{item.revision.title}” back in {item.section.title}.")
    return redirect(_builder_url(plan, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_item_update_revision(request, pk, item_pk):
    """Point an item at its question's newest revision, keeping minutes, competency, weight."""
    plan = _plan_for_edit(request, pk)
    item = get_object_or_404(plan.items.select_related("revision__question"), pk=item_pk)
    old_number = item.revision.number
    try:
        revision = services.plan_item_update_revision(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_builder_url(plan, item=item))
    if revision is None:
        messages.info(request, f"“{item.revision.title}” already uses the newest revision.")
    else:
        messages.success(
            request, f"“{revision.title}” now uses revision {revision.number} (was {old_number}); "
            "its minutes, competency and weight are unchanged.",
        )
    return redirect(_builder_url(plan, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_archive(request, pk):
    plan = _plan_for_edit(request, pk)
    services.plan_archive(plan=plan)
    messages.success(
        request, f"Archived “{plan.name}”. It is no longer listed or offered for scheduling; "
        "interviews that used it are unchanged.",
    )
    return redirect(plan)


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_unarchive(request, pk):
    plan = _plan_for_edit(request, pk)
    services.plan_unarchive(plan=plan)
    messages.success(request, f"“{plan.name}” is back in the plan list and offered for scheduling.")
    return redirect(plan)


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def plan_section_add(request, pk):
    plan = _plan_for_edit(request, pk)
    form = PlanSectionForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, "Could not add the section: see the form at the bottom of the plan.")
        return _render_builder(request, plan, status=400, section_form=form)
    last = max(plan.sections.values_list("order", flat=True), default=0)
    section = form.save(commit=False)
    section.plan, section.order = plan, last + 1
    section.save()
    messages.success(request, f"Added the section “{section.title}”. Search the bank to fill it.")
    return redirect(f"{plan.get_absolute_url()}#section-{section.pk}")


@require_POST
@permission_required(ADD, raise_exception=True)
def plan_clone(request, pk):
    source = _load_plan(request, pk)
    form = PlanCloneForm(request.POST, user=request.user, source=source)
    if not form.is_valid():
        messages.error(request, "Could not copy the plan: see the copy form.")
        return _render_builder(request, source, status=400, clone_form=form)
    position = form.cleaned_data["position"]
    clone = services.plan_clone(plan=source, by=request.user, position=position, name=form.cleaned_data["name"])
    where = f"for {position.title}" if position else "as a new template"
    messages.success(request, f"Copied “{source.name}” {where}. Adjust it here; the original is unchanged.")
    return redirect(clone)

