"""Calendar files: one interview's invitation (``invite.ics``) and each person's feed of their
interviews (``/calendar/<secret>.ics``, read by calendar apps without signing in)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Profile

from .. import calendar
from ..models import Interview

CONTENT_TYPE = "text/calendar; charset=utf-8"
# A feed lists the interviews from this long ago onwards: recent ones stay in calendars, and
# the file does not grow with every interview a person ever sat on.
FEED_PAST = timedelta(days=30)
# At most this many interviews in a feed (soonest first): a bound on its size whatever happens.
FEED_MAX = 500


def _ics(body, filename, *, attachment):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def interview_invite(request, pk):
    """One interview's event (METHOD REQUEST, or CANCEL once cancelled), for its panel, the
    position's recruiter and hiring manager, and admins (``visible_to``); 404 for anyone else."""
    interview = get_object_or_404(
        Interview.objects.visible_to(request.user)
        .select_related(*calendar.CALENDAR_RELATED).prefetch_related(*calendar.CALENDAR_PREFETCH),
        pk=pk,
    )
    body = calendar.interview_calendar([interview], method=calendar.interview_method(interview))
    return _ics(body, f"interview-{interview.pk}.ics", attachment=True)


@login_not_required  # calendar apps fetch it without a session; the secret in the URL is the key
@require_safe
def calendar_feed(request, token):
    """A person's interviews as a panelist, from FEED_PAST ago on, cancelled ones marked
    CANCELLED (METHOD PUBLISH). Three queries, however many interviews: the profile with its
    user, the interviews with their candidate, position and recruiter, and the panels."""
    profile = Profile.objects.select_related("user").filter(calendar_token=token, user__is_active=True).first()
    if profile is None:
        raise Http404("No such calendar")
    user = profile.user
    interviews = (
        Interview.objects.for_interviewer(user).filter(starts_at__gte=timezone.now() - FEED_PAST)
        .select_related(*calendar.CALENDAR_RELATED).prefetch_related(*calendar.CALENDAR_PREFETCH)
        .order_by("starts_at", "pk")[:FEED_MAX]
    )
    name = f"Panelist — {user.get_full_name() or user.username}"
    body = calendar.interview_calendar(interviews, method=calendar.Method.PUBLISH, name=name)
    response = _ics(body, "panelist.ics", attachment=False)
    # The URL is a secret: no shared cache may keep the answer.
    response["Cache-Control"] = "private, no-store"
    return response
