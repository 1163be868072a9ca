"""The qualification dashboard: who is qualified for the plans of open positions
(interviews/qualification.py says what qualified means)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from accounts.roles import Role
from questionbank.practice import RULE

from ..forms import users_in_role
from ..models import InterviewPlan, Position, PositionStatus
from ..qualification import plan_standings


@permission_required("interviews.view_position", raise_exception=True)
def qualifications(request):
    """Interviewers × the plans of the open positions the user sees, each cell the person's
    standing for the plan; filtered by position. Reads in a fixed number of queries."""
    positions = list(Position.objects.visible_to(request.user).filter(status=PositionStatus.OPEN)
                     .order_by("title", "pk").only("title", "team", "shadowing_qualifies"))
    raw = request.GET.get("position", "")
    chosen = next((p for p in positions if raw.isdecimal() and len(raw) <= 19 and p.pk == int(raw)), None)
    unknown = bool(raw) and chosen is None
    shown = [chosen] if chosen else positions
    plans = list(InterviewPlan.objects.active().outside_loops().filter(position__in=shown)
                 .select_related("position").order_by("position__title", "position_id", "name", "pk"))
    people = list(users_in_role(Role.INTERVIEWER))
    standings = plan_standings(users=people, plans=plans)
    rows = [(person, [standings[(person.pk, plan.pk)] for plan in plans]) for person in people]
    return render(request, "interviews/qualifications.html", {
        "positions": positions, "chosen": chosen, "unknown": unknown, "plans": plans, "rows": rows,
        "rule": RULE,
    })
