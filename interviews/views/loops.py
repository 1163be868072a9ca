"""The starter loops page: pick a track and a level, read the loop's five plans with their
questions and minutes, and (for those who create plans) copy the whole loop to one of their
positions (services.loop_clone).

Everyone with ``view_interviewplan`` sees the loops; copying needs ``add_interviewplan`` and a
position from ``positions_for_plans`` (the open or on-hold positions one is the hiring manager
of). A bad track, level or position is a 400 naming it, with the choices kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from questionbank.models import Kind, Level

from .. import services
from ..loops import loop_label
from ..models import InterviewPlan
from ..plan_forms import LoopCloneForm, LoopPickForm, positions_for_plans
from ..selectors import loop_sections

VIEW = "interviews.view_interviewplan"
ADD = "interviews.add_interviewplan"
LEVEL_LABELS, KIND_LABELS = dict(Level.choices), dict(Kind.choices)


def _loop(track, level):
    """What the page shows of a loop: its label and its plans, sections and items."""
    plans = loop_sections(InterviewPlan.objects.of_loop(track, level))
    for plan in plans:
        for section in plan.loop_sections:
            for item in section.loop_items:
                # Looked up once here: get_FOO_display() rebuilds its choices dict on every call.
                question = item.revision.question
                item.level_label, item.kind_label = LEVEL_LABELS[question.level], KIND_LABELS[question.kind]
    return {"track": track, "level": level, "label": loop_label(track, level), "plans": plans}


def _loops_page(request, pick, clone_form=None, status=200):
    context = {"pick": pick, "loop": None, "clone_form": clone_form}
    if pick.is_bound and pick.is_valid():
        context["loop"] = _loop(pick.cleaned_data["track"], pick.cleaned_data["level"])
        if request.user.has_perm(ADD):
            context["positions"] = list(positions_for_plans(request.user))
            chosen = clone_form["position"].value() if clone_form else None
            context["chosen_position"] = "" if chosen is None else str(chosen)
    return render(request, "interviews/plans/loops.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def plan_loops(request):
    """The starter loops by track and level: a picker, then the loop's five plans with their
    questions and minutes, and (for those who create plans) "Use this loop for <position>"."""
    pick = LoopPickForm(request.GET or None)
    status = 400 if pick.is_bound and not pick.is_valid() else 200
    return _loops_page(request, pick, status=status)


@require_POST
@permission_required(ADD, raise_exception=True)
def plan_loop_clone(request):
    """Copy a whole starter loop (services.loop_clone) to one of the user's positions."""
    form = LoopCloneForm(request.POST, user=request.user)
    pick = LoopPickForm({"track": request.POST.get("track", ""), "level": request.POST.get("level", "")})
    if not form.is_valid():
        messages.error(request, "Could not copy the loop: " + " ".join(e for errs in form.errors.values() for e in errs))
        return _loops_page(request, pick, clone_form=form, status=400)
    data = form.cleaned_data
    try:
        clones = services.loop_clone(track=data["track"], level=data["level"], position=data["position"],
                                     by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _loops_page(request, pick, clone_form=form, status=400)
    messages.success(
        request, f"Copied the starter loop “{loop_label(data['track'], data['level'])}” to {data['position'].title}: "
        f"{len(clones)} plans, listed under Plans for positions. Open each to adjust it; the starter loop is unchanged.",
    )
    return redirect(reverse("interviews:plan_list") + "#position-plans-title")
