"""Scheduling: the list of interviews, a new interview, an interview's page, rescheduling
and cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import CancelForm, InterviewFilterForm, RescheduleForm, ScheduleForm
from ..models import Interview, InterviewStage
from ..qualification import interview_shadows_set
from ..scheduling_checks import confirmation_token, schedule_warnings

PAGE_SIZE = 25
PAST_WARNING = "Note: this interview starts in the past ({when}). If that was a typing slip, reschedule it."


def _unconfirmed_warnings(form, plan, interview=None):
    """The scheduling warnings for the valid ``form`` (scheduling_checks), and whether the
    recruiter has confirmed exactly these with "Schedule anyway"."""
    data = form.cleaned_data
    warnings = schedule_warnings(
        plan=plan, interviewers=data["interviewers"], starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"], interview=interview, reverse_shadows=data["reverse_shadows"],
    )
    return warnings, bool(warnings) and data.get("confirmed") != confirmation_token(warnings)


def _past_warning(request, starts_at):
    when = timezone.localtime(starts_at)
    messages.warning(request, PAST_WARNING.format(when=f"{when.day} {when:%b %Y %H:%M}"))


@permission_required("interviews.view_interview", raise_exception=True)
def interview_list(request):
    """Every interview the user may see, filtered and paginated."""
    form = InterviewFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    page = Paginator(selectors.interview_list(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "interviews/interview_list.html", {
        "form": form,
        "page": page,
        "interviews": selectors.with_panel(page.object_list),
        "filtered": bool(filters),
        "soonest_first": filters.get("stage") in (InterviewStage.UPCOMING, InterviewStage.IN_PROGRESS),
        "querystring": query.urlencode(),
        "TIME_ZONE_NAME": timezone.get_current_timezone_name(),
    })


@permission_required("interviews.add_interview", raise_exception=True)
def interview_schedule(request):
    if request.method == "POST":
        form = ScheduleForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            warnings, unconfirmed = _unconfirmed_warnings(form, data["plan"])
            if unconfirmed:  # shown with "Schedule anyway"; everything typed is kept
                problem = services.pool_problem(candidate=data["candidate"], plan=data["plan"], starts_at=data["starts_at"])
                if problem:  # a refusal first: confirming the warnings would not help
                    form.add_error(None, problem)
                    return _render_form(request, form)
                return _render_form(request, form, warnings=warnings)
            try:
                interview = services.interview_schedule(
                    candidate=data["candidate"], plan=data["plan"], starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"], interviewers=data["interviewers"], by=request.user,
                )
            except ValidationError as error:  # a question pool the candidate has had every question of
                form.add_error(None, error)
                return _render_form(request, form)
            interview_shadows_set(interview=interview, shadows=data["shadows"], reverse_shadows=data["reverse_shadows"],
                                  by=request.user)
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request, f"Scheduled {interview.candidate.name} for “{interview.plan_name}” with "
                f"{len(data['interviewers'])} interviewer{'s' if len(data['interviewers']) != 1 else ''}.",
            )
            if form.starts_in_the_past():
                _past_warning(request, interview.starts_at)
            return redirect(interview)
        return _render_form(request, form)
    form = ScheduleForm(user=request.user)
    candidate = request.GET.get("candidate", "")
    # isdecimal: only digits int() reads; at most 19 (an id), as int() refuses a string of thousands.
    if candidate.isdecimal() and len(candidate) <= 19 and form.fields["candidate"].queryset.filter(pk=candidate).exists():
        form.initial["candidate"] = int(candidate)
    return _render_form(request, form)


def _render_form(request, form, interview=None, warnings=()):
    return render(
        request,
        "interviews/interview_form.html",
        {
            "form": form,
            "interview": interview,
            # For schedule.js's "in the past" hint: the form's clock is the reader's time zone.
            "now_local": timezone.localtime(timezone.now()),
            "panel_times": form.panel_times(),
            "warnings": warnings,
            "confirmation": confirmation_token(warnings) if warnings else "",
        },
        status=400 if form.errors else 200,
    )


def _detail_context(request, interview, cancel_form=None):
    questions = list(selectors.pinned_questions(interview))
    return {
        "interview": interview,
        "questions": questions,
        "total_minutes": sum(q.minutes for q in questions),
        "on_panel": any(person.pk == request.user.pk for person, _ in interview.panel),
        "local_times": selectors.panel_local_times(interview),
        "cancel_form": cancel_form or CancelForm(),
        # Who learns the questions on this interview (interviews/qualification.py); one query.
        "shadows": list(interview.shadows.select_related("user").order_by("kind", "user__first_name", "user__username")),
        "TIME_ZONE_NAME": timezone.get_current_timezone_name(),
    }


@permission_required("interviews.view_interview", raise_exception=True)
def interview_detail(request, pk):
    interview = selectors.interview_for_detail(request.user, pk)
    if interview is None:
        raise Http404("No such interview")
    return render(request, "interviews/interview_detail.html", _detail_context(request, interview))


def _changeable_interview(request, pk):
    return get_object_or_404(
        Interview.objects.visible_to(request.user)
        .select_related("candidate__position"),
        pk=pk,
    )


@permission_required("interviews.change_interview", raise_exception=True)
def interview_edit(request, pk):
    interview = _changeable_interview(request, pk)
    if interview.is_cancelled:
        messages.error(request, services.RESCHEDULE_CANCELLED)
        return redirect(interview)
    if request.method == "POST":
        form = RescheduleForm(request.POST, interview=interview, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            warnings, unconfirmed = _unconfirmed_warnings(form, interview.plan, interview)
            if unconfirmed:
                return _render_form(request, form, interview, warnings=warnings)
            try:
                services.interview_reschedule(
                    interview=interview, starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
                    interviewers=data["interviewers"],
                )
            except ValidationError as error:  # cancelled since the page was opened
                messages.error(request, " ".join(error.messages))
                return redirect(interview)
            interview_shadows_set(interview=interview, shadows=data["shadows"], reverse_shadows=data["reverse_shadows"],
                                  by=request.user)
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, "Saved the new time and panel.")
            chosen = {u.pk for u in data["interviewers"]}
            kept = [u for u in interview.interviewers.all() if u.pk not in chosen]
            if kept:
                names = ", ".join(u.get_full_name() or u.username for u in kept)
                messages.info(request, f"{names} stayed on the panel: they have already started a scorecard.")
            if form.starts_in_the_past():
                _past_warning(request, interview.starts_at)
            return redirect(interview)
        return _render_form(request, form, interview)
    return _render_form(request, RescheduleForm(interview=interview, user=request.user), interview)


@require_POST
@permission_required("interviews.change_interview", raise_exception=True)
def interview_cancel(request, pk):
    interview = _changeable_interview(request, pk)
    if interview.is_cancelled:
        messages.info(request, "This interview was already cancelled.")
        return redirect(interview)
    form = CancelForm(request.POST)
    if not form.is_valid():
        interview = selectors.interview_for_detail(request.user, pk)
        context = _detail_context(request, interview, cancel_form=form)
        return render(request, "interviews/interview_detail.html", context, status=400)
    if not interview.cancel(reason=form.cleaned_data["reason"]):  # another request cancelled it meanwhile
        messages.info(request, "This interview was already cancelled.")
        return redirect(interview)
    messages.success(request, f"Cancelled the interview of {interview.candidate.name}. The panel sees it as cancelled and gets a cancellation by e-mail.")
    return redirect(interview)
