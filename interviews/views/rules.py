"""A position's decision rule: its own small page, for the position's hiring manager."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from ..decision_rules import DecisionRuleLocked, position_decision_rule_set
from ..models import Position
from ..rule_forms import DecisionRuleForm


@permission_required("interviews.view_position", raise_exception=True)
def position_rule(request, pk):
    """GET: the rule and its form (disabled, with why, once locked). POST: fix or change it, or
    remove it ("remove" in the POST)."""
    position = get_object_or_404(
        Position.objects.visible_to(request.user).select_related("decision_rule_set_by"), pk=pk
    )
    if not (request.user.is_superuser or position.hiring_manager_id == request.user.pk):
        raise PermissionDenied("Only the position's hiring manager fixes its decision rule.")
    locked = position.decision_rule_locked()
    if request.method == "POST" and not locked:
        removing = "remove" in request.POST
        form = DecisionRuleForm(request.POST)
        if removing or form.is_valid():
            conditions = {} if removing else form.conditions()
            try:
                position_decision_rule_set(position=position, by=request.user, **conditions)
            except DecisionRuleLocked:  # a scorecard submitted since the page was read
                return _render(request, position, DecisionRuleForm.of(position, locked=True), locked=True, refused=True)
            if removing:
                messages.success(request, "Removed the decision rule: the debrief shows no verdict.")
            else:
                messages.success(request, f"Fixed the decision rule. {position.rule_in_words()}")
            return redirect(position)
        return _render(request, position, form, locked=False)
    # A POST on a locked rule (the page was open before the first scorecard, or no page at all)
    # is refused, and says why.
    refused = request.method == "POST"
    return _render(request, position, DecisionRuleForm.of(position, locked=locked), locked=locked, refused=refused)


def _render(request, position, form, *, locked, refused=False):
    return render(request, "interviews/position_rule.html",
                  {"position": position, "form": form, "locked": locked, "refused": refused},
                  status=400 if form.errors or refused else 200)
