"""Positions: the list, a position with its candidates, and creating and editing one."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import audit
from accounts.roles import Role, roles_of
from questionbank.models import Level

from .. import selectors
from ..forms import PositionForm
from ..models import Position, PositionStatus, Stage

PAGE_SIZE = 20


def _choice(params, name, choices):
    value = params.get(name, "")
    return value if value in choices.values else ""


@permission_required("interviews.view_position", raise_exception=True)
def position_list(request):
    text = request.GET.get("q", "").strip()[:200]
    status = _choice(request.GET, "status", PositionStatus)
    level = _choice(request.GET, "level", Level)
    rows = selectors.position_list(request.user, text=text, status=status, level=level)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interviews/position_list.html",
        {
            "page": page,
            "q": text,
            "status": status,
            "level": level,
            "statuses": PositionStatus.choices,
            "levels": Level.choices,
            "filtered": bool(text or status or level),
            "querystring": query.urlencode(),
        },
    )


@permission_required("interviews.view_position", raise_exception=True)
def position_detail(request, pk):
    position = get_object_or_404(
        Position.objects.visible_to(request.user).select_related("hiring_manager", "recruiter"), pk=pk
    )
    candidates = list(selectors.position_candidates(position))
    stages = Counter(candidate.stage for candidate in candidates)
    return render(
        request,
        "interviews/position_detail.html",
        {
            "position": position,
            "candidates": candidates,
            # The pipeline in its own order (Stage's), stages with no candidate left out.
            "stage_counts": [(label, stages[value]) for value, label in Stage.choices if stages[value]],
            "plans": list(position.plans.active().order_by("name").values("pk", "name", "slot_minutes")),
        },
    )


def _render_form(request, form, position=None, title=""):
    return render(
        request,
        "interviews/position_form.html",
        # The title as stored: a rejected edit has already changed form.instance.
        {"form": form, "position": position, "position_title": title},
        status=400 if form.errors else 200,
    )


@permission_required("interviews.add_position", raise_exception=True)
def position_create(request):
    if request.method == "POST":
        form = PositionForm(request.POST)
        if form.is_valid():
            position = form.save()
            messages.success(request, f"Created the position “{position.title}”. Add its candidates next.")
            return _redirect_after_save(request, position)
        return _render_form(request, form)
    initial = {}
    if Role.RECRUITER in roles_of(request.user):
        initial["recruiter"] = request.user.pk
    return _render_form(request, PositionForm(initial=initial))


@permission_required("interviews.change_position", raise_exception=True)
def position_edit(request, pk):
    position = get_object_or_404(Position.objects.visible_to(request.user), pk=pk)
    title = position.title
    if request.method == "POST":
        form = PositionForm(request.POST, instance=position)
        if form.is_valid():
            position = form.save()
            if "shadowing_qualifies" in form.changed_data:  # it changes who counts as qualified (issue 17)
                audit(actor=request.user, action="position.shadowing", target=position, position=position.pk,
                      shadowing_qualifies=position.shadowing_qualifies)
            messages.success(request, f"Saved the position “{position.title}”.")
            return _redirect_after_save(request, position)
        return _render_form(request, form, position, title)
    return _render_form(request, PositionForm(instance=position), position, title)


def _redirect_after_save(request, position):
    # Handing the position to another recruiter takes it out of this user's view.
    if Position.objects.visible_to(request.user).filter(pk=position.pk).exists():
        return redirect(position)
    messages.info(request, "It is now recruited for by someone else, so it no longer shows in your list.")
    return redirect("interviews:position_list")
