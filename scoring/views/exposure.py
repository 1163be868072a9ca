"""The exposure page: how often each bank question is asked, and whether its scores wear."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import exposure
from ..calibration import calibration_snapshot
from ..forms import ExposureFilterForm
from ..wear import ALPHA, MIN_RISE, MIN_SIDE


@permission_required("scoring.view_exposure", raise_exception=True)
def exposure_view(request):
    """Bank questions used in interviews, company-wide, filtered and paginated; the wear
    verdicts as the calibration snapshot last computed them."""
    form = ExposureFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    now = timezone.now()
    snapshot = calibration_snapshot()
    wear = exposure.wear_by_question(snapshot.figures)
    page = Paginator(exposure.exposure_rows(now=now, wear_by_question=wear, **filters),
                     exposure.PAGE_SIZE).get_page(request.GET.get("page"))
    position = filters.get("position")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "scoring/exposure.html", {
        "form": form,
        "page": page,
        "rows": exposure.page_rows(list(page.object_list), now=now, wear_by_question=wear,
                                   cap=position.exposure_cap if position else None),
        "position": position,
        "filters": filters,
        "filtered": bool({k: v for k, v in filters.items() if k != "sort"}),
        "querystring": query.urlencode(),
        "snapshot": snapshot,
        "flagged_count": sum(1 for w in wear.values() if w["flagged"]),
        "recent_days": exposure.RECENT_DAYS, "months": exposure.MONTHS,
        "min_side": MIN_SIDE, "alpha": ALPHA, "min_rise": MIN_RISE,
    })
