"""Interview plans: the list, creating and editing a plan, the plan builder (search the bank,
add, edit, move, drag to reorder, remove and undo, update to a newer revision), sections,
cloning, and archiving.

Who may do what: everyone with ``view_interviewplan`` (hiring managers, recruiters) sees
templates and the plans of positions they can see; hiring managers (``add``/``change``) create
plans, clone them, and edit (and archive) templates and the plans of their own positions
(``PlanQuerySet.editable_by``, ``InterviewPlan.can_be_edited_by``). Starter templates
(``InterviewPlan.is_starter``, loaded by ``load_starter_plans``) are read-only: the YAML file is
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
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from questionbank.models import Area, Kind, Level
from questionbank.models import Status as QuestionStatus
from questionbank.selectors import quick_search

from .. import services
from ..models import (
    ITEM_MINUTES,
    POOL_SIZE,
    WEIGHT,
    InterviewPlan,
    PlanItem,
    PoolMember,
)
from ..plan_forms import (
    COMPETENCIES,
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


# --- Scoping -----------------------------------------------------------------------------


def _plan_for_edit(request, pk):
    """A plan the user may change, locked for the rest of the transaction (two editors moving
    items at once would otherwise interleave their renumbering); 404 otherwise."""
    plans = InterviewPlan.objects.editable_by(request.user).select_related("position", "cloned_from")
    return get_object_or_404(plans.select_for_update(of=("self",)), pk=pk)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


# --- Reading a plan ------------------------------------------------------------------------


LEVEL_LABELS, AREA_LABELS, KIND_LABELS = dict(Level.choices), dict(Area.choices), dict(Kind.choices)
# What the builder shows of an item, its pinned revision and the revision's bank question.
BUILDER_ITEM_FIELDS = (
    "section_id", "order", "minutes", "competency", "weight", "required", "revision__title", "revision__number",
    "revision__question__slug", "revision__question__level", "revision__question__area",
    "revision__question__kind", "revision__question__status", "revision__question__current_revision_id",
    "revision__phases",
)


# What the builder shows of a pool's other questions (PoolMember).
BUILDER_POOL_FIELDS = (
    "item_id", "order", "revision__title", "revision__number", "revision__question__slug",
    "revision__question__status", "revision__question__current_revision_id",
)


def builder_sections(plan):
    """The plan's sections in order, each with ``plan_items``: its items in order with their
    revision and question, and each item's pool (``pool_members``, empty for most). Three
    queries, whatever the size of the plan; the items are dealt to their sections here, which
    costs ~0.25 ms less than prefetch_related's machinery."""
    sections = list(plan.sections.order_by("order", "pk"))
    by_pk = {}
    for section in sections:
        section.plan_items = []
        by_pk[section.pk] = section
    # Not plan.items: the related manager would set each item's plan, loading the deferred
    # plan_id with one query per item.
    items = PlanItem.objects.filter(plan=plan).select_related("revision__question").only(*BUILDER_ITEM_FIELDS)
    by_item = {}
    for item in items.order_by("order", "pk"):
        item.pool_members = by_item[item.pk] = []
        by_pk[item.section_id].plan_items.append(item)
    members = (PoolMember.objects.filter(item__plan=plan).select_related("revision__question")
               .only(*BUILDER_POOL_FIELDS).order_by("item_id", "order"))
    for member in members:
        by_item[member.item_id].append(member)
    return sections


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
    """A plan the user may see, else 404. Read by its key and then asked ``is_visible_to``: for
    the position's own people (the builder's users) that needs no query, where building the
    ``visible_to`` statement (a subquery with an EXISTS) took ~1.5 ms of the builder's view."""
    plan = get_object_or_404(InterviewPlan.objects.select_related("position", "cloned_from"), pk=pk)
    if not plan.is_visible_to(request.user):
        raise Http404("No InterviewPlan matches the given query.")
    return plan


def _search_results(request, sections, items):
    """Up to 10 published questions matching ?q=, each with the section it is offered for."""
    text = request.GET.get("q", "").strip()[:200]
    if not text:
        return text, None, []
    questions, mode = quick_search(text, limit=SEARCH_LIMIT)
    in_plan = {item.revision.question_id for item in items}
    in_plan |= {member.revision.question_id for item in items for member in item.pool_members}
    by_title = {s.title.lower(): s for s in sections}
    for question in questions:
        question.in_plan = question.pk in in_plan
        preferred = by_title.get(SECTION_FOR_KIND.get(question.kind, "fundamentals"))
        question.suggested_section = preferred or (sections[0] if sections else None)
        # The items whose pool it may join (services.pool_add's rules: same level and area,
        # room left); the service checks again whatever is posted.
        question.pool_targets = [
            item for item in items
            if (item.revision.question.level, item.revision.question.area) == (question.level, question.area)
            and len(item.pool_members) < POOL_SIZE[1] - 1
        ]
    return text, mode, questions


# The limits the row's inputs state (the form checks them on save). Named keys, not the
# (low, high) pairs: the template's lookup of ``pair.0`` fails as a key and as an attribute
# first (two exceptions and a ``dir()``) before it indexes, four times a row.
ITEM_LIMITS = {"minutes_min": ITEM_MINUTES[0], "minutes_max": ITEM_MINUTES[1], "weight_min": WEIGHT[0],
               "weight_max": WEIGHT[1], "competency": PlanItem._meta.get_field("competency").max_length}
NO_ERRORS = {name: [] for name in PlanItemForm.Meta.fields}


def _item_edit(item, form=None):
    """What an item's row form shows: the values and errors of the form that was refused, else
    the item's values. The inputs are written in the row's template: building a PlanItemForm
    and rendering its four widgets for every row cost about a fifth of the builder's time.
    ``errors`` holds a list for every field, empty when it has none: a key missing from the
    dict makes the template's lookup fail, and a failed lookup (three exceptions and a ``dir()``)
    cost about 2 ms over the builder's ten rows (5 December 2026, bench data)."""
    if form is None:
        values = {"minutes": item.minutes, "competency": item.competency, "weight": item.weight,
                  "required": item.required}
        return {"id": f"item-{item.pk}", "values": values, "errors": NO_ERRORS, "invalid": False,
                "non_field_errors": []}
    values = {name: form[name].value() for name in PlanItemForm.Meta.fields}
    errors = {name: form.errors.get(name, []) for name in PlanItemForm.Meta.fields}
    return {"id": f"item-{item.pk}", "values": values, "errors": errors, "invalid": bool(form.errors),
            "non_field_errors": form.non_field_errors()}


# A row's actions (item_row.html: item.urls.<action>) and their routes, all under the item's
# own URL, /plans/<pk>/items/<item_pk>/ (interviews/urls.py: plan_item_urls).
ITEM_ROUTES = {
    "update": "interviews:plan_item_update", "move": "interviews:plan_item_move",
    "delete": "interviews:plan_item_delete", "revision": "interviews:plan_item_update_revision",
}


def _item_urls(plan, items):
    """Each item's action URLs, by action: its own URL reversed, and the part of each route
    after it reversed once for the page. A reverse() for every route of every row cost ~1 ms
    of the builder's ten rows (5 December 2026, bench data)."""
    if not items:
        return []
    own = [reverse(ITEM_ROUTES["update"], args=[plan.pk, item.pk]) for item in items]
    tails = {action: reverse(route, args=[plan.pk, items[0].pk]).removeprefix(own[0])
             for action, route in ITEM_ROUTES.items()}
    return [{action: url + tail for action, tail in tails.items()} for url in own]


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


def _clone_choices(form):
    """The clone form's position options as (value, label, selected), its empty choice first.
    clone_card.html writes the form's two inputs: rendering them through the widget templates
    cost ~2 ms of the builder's view (5 December 2026, bench data)."""
    chosen = form["position"].value()
    chosen = "" if chosen is None else str(chosen)
    return [(str(value), label, str(value) == chosen) for value, label in form.fields["position"].choices]


def _builder_context(request, plan, *, item_forms=None, section_form=None, clone_form=None):
    sections = builder_sections(plan)
    items, summary = _summary(plan, sections)
    editable = plan.can_be_edited_by(request.user)
    item_forms = item_forms or {}
    for section in sections:
        section.minutes = summary["section_minutes"][section.pk]
    urls = _item_urls(plan, items) if editable else []
    for n, item in enumerate(items, 1):
        item.number = n
        item.is_first, item.is_last = n == 1, n == len(items)
        question = item.revision.question
        # Looked up once here: get_FOO_display() rebuilds its choices dict on every call.
        item.level_label, item.area_label, item.kind_label = (
            LEVEL_LABELS[question.level], AREA_LABELS[question.area], KIND_LABELS[question.kind]
        )
        if editable:
            item.edit, item.urls = _item_edit(item, item_forms.get(item.pk)), urls[n - 1]
        # "Update to the newest revision" also moves the pool's questions (services).
        item.pool_outdated = any(
            m.revision.question.current_revision_id != m.revision_id and m.revision.question.status == QuestionStatus.PUBLISHED
            for m in item.pool_members
        )
    q, mode, results = _search_results(request, sections, items) if editable else ("", None, [])
    context = {
        "plan": plan,
        "sections": sections,
        "summary": summary,
        "can_edit": editable,
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
        context["clone_form"] = clone_form = clone_form or PlanCloneForm(user=request.user, source=plan)
        context["clone_choices"] = _clone_choices(clone_form)
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


# --- Views: list, create, edit -----------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def plan_list(request):
    """Plans in use (templates, and plans by position); ``?archived=1`` lists the archived ones."""
    show_archived = request.GET.get("archived") == "1"
    plans = list(
        InterviewPlan.objects.visible_to(request.user)
        .outside_loops()  # the starter loops have their own page (views/loops.py)
        .select_related("position")
        .annotate(item_count=Count("items"), used_minutes=Sum("items__minutes"))
        .order_by("name", "pk")
    )
    for plan in plans:
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
        plan = services.plan_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"Created “{plan.name}”. Search the bank to add its questions.")
        return redirect(plan)
    return render(request, "interviews/plans/plan_form.html", {"form": form},
                  status=400 if form.errors else 200)


@permission_required(CHANGE, raise_exception=True)
def plan_edit(request, pk):
    plan = get_object_or_404(InterviewPlan.objects.editable_by(request.user).select_related("position"), pk=pk)
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
        if not plan.can_be_edited_by(request.user):
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
    place = services.plan_move_item(plan=plan, item=item, direction=direction)
    if place is None:
        message = f"“{item.revision.title}” is already {'first' if direction == 'up' else 'last'}."
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.info(request, message)
        return redirect(_builder_url(plan, item=item))
    if _wants_json(request):
        section_id, index = place
        return _state_json(request, plan, section=section_id, index=index)
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
    order = [(entry["section"], entry["items"]) for entry in form.cleaned_data["order"]]
    services.plan_reorder(plan=plan, order=order)
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
    # The pool's other questions move too, each that is published (whatever the first does).
    pool_moved = services.pool_update_revisions(item=item)
    pool_words = (f" {pool_moved} question{'s' if pool_moved != 1 else ''} of its pool also moved to the "
                  "newest revision." if pool_moved else "")
    try:
        revision = services.plan_item_update_revision(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + pool_words)
        return redirect(_builder_url(plan, item=item))
    if revision is None and pool_moved:
        messages.success(request, f"“{item.revision.title}” already uses the newest revision.{pool_words}")
    elif revision is None:
        messages.info(request, f"“{item.revision.title}” already uses the newest revision.")
    else:
        messages.success(
            request, f"“{revision.title}” now uses revision {revision.number} (was {old_number}); "
            f"its minutes, competency and weight are unchanged.{pool_words}",
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
    section = services.plan_add_section(plan=plan, title=form.cleaned_data["title"])
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
