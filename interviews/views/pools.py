"""Question pools in the plan builder: add a question of the bank to the pool of a plan item
(from the search results, "Add to pool of …"), and take one out. Like the builder's other
actions they answer with a redirect back to the builder, naming what was done or why not, so
they need no JavaScript. Who may: whoever may edit the plan (views/plans.py).

Which question of a pool an interview gets is chosen at scheduling (services.pool_resolve,
interviews/pools.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import services
from ..models import PoolMember
from ..plan_forms import PoolAddForm
from .plans import CHANGE, _builder_url, _plan_for_edit


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def pool_add(request, pk):
    plan = _plan_for_edit(request, pk)
    q = request.POST.get("q", "").strip()[:200]
    form = PoolAddForm(request.POST, plan=plan)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Could not add the question to the pool: " + " ".join(errors))
        return redirect(_builder_url(plan, q=q))
    item, question = form.cleaned_data["item"], form.cleaned_data["question"]
    try:
        services.pool_add(item=item, question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, "Could not add the question to the pool: " + " ".join(error.messages))
        return redirect(_builder_url(plan, q=q, item=item))
    size = item.pool.count() + 1
    messages.success(request, f"Added “{question.title}” to the pool of “{item.revision.title}”: each interview "
                              f"gets one of its {size} questions.")
    return redirect(_builder_url(plan, q=q, item=item))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@transaction.atomic
def pool_remove(request, pk, member_pk):
    plan = _plan_for_edit(request, pk)
    member = get_object_or_404(
        PoolMember.objects.filter(item__plan=plan).select_related("item__revision", "revision"), pk=member_pk
    )
    services.pool_remove(member=member, by=request.user)
    left = member.item.pool.count()
    after = (f"the pool keeps {left + 1} questions" if left else
             f"“{member.item.revision.title}” is a single question again")
    messages.success(request, f"Took “{member.revision.title}” out of the pool; {after}.")
    return redirect(_builder_url(plan, item=member.item))
