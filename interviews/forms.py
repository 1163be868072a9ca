"""Forms of positions, candidates and scheduling. They validate; crispy only renders them."""

import os
import uuid
from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import time_zone_of
from config.outbound import target_check
from accounts.roles import GROUP_NAMES, Role

from .models import (
    SLOT_MINUTES, Candidate, Interview, InterviewPlan, InterviewStage, InterviewStatus, Position, interview_ends_sql,
)
from .selectors import STATUS_ORDER, local_times

CV_MAX_BYTES = 5 * 1024 * 1024
# Extension -> how the first bytes of such a file look (None: any text, checked separately).
CV_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".txt": None,
}
DURATION_MIN, DURATION_MAX = SLOT_MINUTES
# Interviews start, and list filters range, within these years: a date far outside them is a
# typo, and one near the ends of what Python can hold overflows once a length or a day is added.
YEAR_MIN, YEAR_MAX = 2000, 2099


def in_scheduling_years(value):
    """Whether a date or datetime (as typed, in the site's time zone) is within YEAR_MIN to YEAR_MAX."""
    return YEAR_MIN <= value.year <= YEAR_MAX


def users_in_role(role, *, include_pk=None):
    """Active users of a role group, by name; ``include_pk`` keeps an existing choice listed
    even when that person has left the group since."""
    condition = Q(groups__name=GROUP_NAMES[role], is_active=True)
    if include_pk:
        condition |= Q(pk=include_pk)
    return get_user_model().objects.filter(condition).distinct().order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class PanelCheckboxes(forms.CheckboxSelectMultiple):
    """Interviewers' checkboxes, each with ``data-name`` and ``data-zone`` (their time zone),
    which schedule.js reads to show the start in each chosen interviewer's local time."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        if person is not None:
            option["attrs"]["data-name"] = person.get_full_name() or person.username
            option["attrs"]["data-zone"] = time_zone_of(person)
        return option


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        label = f"{full} ({obj.username})" if full else obj.username
        # Rendered in the reader's zone (the middleware's): another zone is named beside them.
        zone = time_zone_of(obj)
        return label if zone == timezone.get_current_timezone_name() else f"{label} · {zone}"


class PositionForm(forms.ModelForm):
    """A position; the hiring manager must hold the hiring-manager role, the recruiter the
    recruiter role."""

    hiring_manager = PersonChoiceField(queryset=None, help_text="Members of the Hiring managers group.")
    recruiter = PersonChoiceField(queryset=None, required=False, help_text="Members of the Recruiters group.")
    # Typed without its scheme, a webhook is https:// (every chat service's, and Django 6's default).
    webhook_url = Position._meta.get_field("webhook_url").formfield(assume_scheme="https")

    class Meta:
        model = Position
        fields = ["title", "team", "level", "hiring_manager", "recruiter", "status", "escalation_hours",
                  "webhook_url", "webhook_format", "exposure_cap", "shadowing_qualifies"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hiring_manager"].queryset = users_in_role(
            Role.HIRING_MANAGER, include_pk=self.instance.hiring_manager_id
        )
        self.fields["recruiter"].queryset = users_in_role(Role.RECRUITER, include_pk=self.instance.recruiter_id)

    def clean_webhook_url(self):
        # Posted to by the worker: never an address inside the company's network
        # (config/outbound.py, checked again at every post). Resolved only when it changes, so a
        # name server down for a moment does not stop the position's other edits.
        url = self.cleaned_data["webhook_url"]
        return target_check(url) if "webhook_url" in self.changed_data else url

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the position a title.")
        return title


class CandidateForm(forms.ModelForm):
    """A candidate for one of the positions the user can see. The CV is a link or an
    uploaded file (PDF, DOC, DOCX or TXT up to 5 MB), never both."""

    cv_max_bytes = CV_MAX_BYTES  # for the page's file-size check (static/js/file-limit.js)

    cv_url = forms.URLField(
        required=False, label="CV link", assume_scheme="https",
        help_text="A link to the CV (LinkedIn, a shared drive…), or upload a file instead.",
    )

    class Meta:
        model = Candidate
        fields = ["name", "email", "position", "stage", "source", "notes", "cv_url", "cv_file"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "cv_file": forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.txt"}),
        }
        help_texts = {
            "cv_file": "PDF, DOC, DOCX or TXT, up to 5 MB. Only people involved in the position can open it.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        positions = Position.objects.visible_to(user)
        if self.instance.pk:
            positions |= Position.objects.filter(pk=self.instance.position_id)
        self.fields["position"].queryset = positions.order_by(STATUS_ORDER, "title")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the candidate's name.")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_cv_file(self):
        upload = self.cleaned_data.get("cv_file")
        # Only a new upload is checked (an existing file was checked when it came in).
        if not upload or not hasattr(upload, "content_type"):
            return upload
        ext = os.path.splitext(upload.name)[1].lower()
        if ext not in CV_TYPES:
            raise forms.ValidationError(
                f"“{upload.name}” is not a PDF, DOC, DOCX or TXT file. Save the CV in one of those formats and choose it again."
            )
        if upload.size > CV_MAX_BYTES:
            raise forms.ValidationError(
                f"“{upload.name}” is {upload.size / (1024 * 1024):.1f} MB; CVs are limited to 5 MB. "
                "Choose a smaller file, or paste a link to the CV instead."
            )
        head = upload.read(8)
        upload.seek(0)
        signatures = CV_TYPES[ext]
        if signatures is None:
            if not _looks_like_text(upload):
                raise forms.ValidationError(
                    f"“{upload.name}” is not a plain-text file. Save the CV as PDF or UTF-8 text and choose it again."
                )
        elif not head.startswith(signatures):
            raise forms.ValidationError(
                f"“{upload.name}” does not look like a {ext[1:].upper()} file. Check the file and choose it again."
            )
        # A random stored name: nothing about the candidate leaks through the file system.
        upload.name = f"{uuid.uuid4().hex}{ext}"
        return upload

    def clean(self):
        data = super().clean()
        # "A link or a file, not both" is Candidate.clean's rule (ModelForm runs it).
        position, email = data.get("position"), data.get("email")
        if position and email:
            same = Candidate.objects.filter(position=position, email__iexact=email).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("email", f"{email} is already a candidate for {position.title}.")
        return data


def _looks_like_text(upload):
    sample = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample.
        return exc.start >= len(sample) - 3
    return True


class SiteDateTimeField(forms.DateTimeField):
    """A datetime-local input, read and shown in the time zone of the request (the signed-in
    person's own, accounts.middleware.TimeZoneMiddleware; settings.TIME_ZONE otherwise)."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value


class OptionDataSelect(forms.Select):
    """A select whose options carry ``data-position``: the position of the candidate or plan
    (empty for a template), so schedule.js can narrow the plans to the chosen candidate's;
    plans also carry ``data-slot``, their slot length."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-position"] = instance.position_id or ""
            if hasattr(instance, "slot_minutes"):
                option["attrs"]["data-slot"] = instance.slot_minutes
        return option


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.position.title}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.position.title if obj.position_id else "template"
        return f"{obj.name} ({where}, {obj.slot_minutes} min)"


class PanelFields(forms.Form):
    """Time, length and panel: what scheduling and rescheduling share."""

    starts_at = SiteDateTimeField(label="Starts at", help_text="")
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=DURATION_MIN, max_value=DURATION_MAX, required=False,
        help_text=f"{DURATION_MIN} to {DURATION_MAX}. Left blank, the plan's slot length is used.",
    )
    interviewers = PeopleChoiceField(
        queryset=None, widget=PanelCheckboxes, label="Interviewers",
        error_messages={"required": "Choose at least one interviewer."},
    )

    overrun_confirm = forms.BooleanField(required=False, help_text="The panel will have to skip or shorten questions.")
    confirm_words = "Schedule anyway"

    # Learning the questions on a real interview (interviews/qualification.py); optional.
    shadows = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Shadows (observe)",
        help_text="Interviewers who attend as observers, not on the panel.",
    )
    reverse_shadows = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Reverse shadows (lead, with a qualified panelist present)",
        help_text="Panelists who lead this interview while a qualified colleague on the panel watches.",
    )
    # The digest of the scheduling warnings the recruiter chose to override
    # (scheduling_checks.confirmation_token), sent by the "Schedule anyway" button's form.
    confirmed = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["overrun_confirm"].label = f"{self.confirm_words}: the interview is shorter than its questions"
        # Shown once the questions are found to need more time than the interview.
        self.overrun = False
        self.fields["starts_at"].help_text = f"Times in {timezone.get_current_timezone_name()}."
        self.fields["interviewers"].queryset = users_in_role(Role.INTERVIEWER).select_related("profile")
        for name in ("shadows", "reverse_shadows"):
            self.fields[name].queryset = users_in_role(Role.INTERVIEWER)
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.username

    def check_shadows(self):
        """A shadow observes beside the panel, so is not on it; a reverse shadow leads from the
        panel, with someone else on it to watch."""
        data = self.cleaned_data
        panel = set(data.get("interviewers") or [])
        if not panel:
            return
        for person in data.get("shadows") or []:
            if person in panel:
                self.add_error("shadows", f"{person.get_full_name() or person.username} is on the panel; a shadow "
                                          "observes beside it. Untick them here or on the panel.")
        reverse = set(data.get("reverse_shadows") or [])
        for person in reverse - panel:
            self.add_error("reverse_shadows", f"{person.get_full_name() or person.username} is not on the panel; a "
                                              "reverse shadow leads the interview, so tick them as an interviewer too.")
        if reverse and not panel - reverse:
            self.add_error("reverse_shadows", "A reverse shadow leads with a qualified panelist present: add another "
                                              "interviewer to the panel.")

    def panel_times(self):
        """[(interviewer, "10:00 Europe/Paris")] of the time and panel as sent, when both were
        valid: the page sent back with an error shows them without script. schedule.js shows
        them as the recruiter types."""
        data = getattr(self, "cleaned_data", {})
        starts, people = data.get("starts_at"), data.get("interviewers")
        return local_times(starts, people) if starts and people else []

    def clean_starts_at(self):
        starts = self.cleaned_data["starts_at"]
        # As typed, in the site's time zone, before any arithmetic on it (the panel check adds the length).
        if not in_scheduling_years(starts):
            raise forms.ValidationError(f"Choose a start in the years {YEAR_MIN} to {YEAR_MAX}.")
        return starts

    def starts_in_the_past(self):
        return self.cleaned_data["starts_at"] < timezone.now()

    def check_panel_is_free(self, *, exclude=None):
        """An error naming each chosen interviewer already on another interview (not
        cancelled) that overlaps this one, and that interview."""
        data = self.cleaned_data
        starts, minutes, people = data.get("starts_at"), data.get("duration_minutes"), data.get("interviewers")
        if not (starts and minutes and people):
            return
        ends = starts + timedelta(minutes=minutes)
        clashes = list(
            Interview.interviewers.through.objects.filter(user__in=people)
            .exclude(interview_id=exclude)
            .exclude(interview__status=InterviewStatus.CANCELLED)
            .annotate(ends=interview_ends_sql("interview__"))
            .filter(interview__starts_at__lt=ends, ends__gt=starts)
            .select_related("user", "interview__candidate")
            .order_by("user__first_name", "user__username", "interview__starts_at")
        )
        if not clashes:
            return
        # A candidate's name only where the recruiter may see that interview.
        visible = set(
            Interview.objects.visible_to(self.user).filter(pk__in={c.interview_id for c in clashes})
            .values_list("pk", flat=True)
        )
        zone = timezone.get_current_timezone()
        for clash in clashes:
            other = clash.interview
            start, end = timezone.localtime(other.starts_at, zone), timezone.localtime(other.ends_at, zone)
            whose = f"{other.candidate.name}’s interview" if other.pk in visible else "another interview"
            self.add_error(
                "interviewers",
                f"{clash.user.get_full_name() or clash.user.username} is already on {whose} "
                f"{start:%H:%M}–{end:%H:%M} on {start:%a} {start.day} {start:%b}. "
                "Choose another time or another interviewer.",
            )

    def check_questions_fit(self, *, minutes_of_questions, what):
        """Questions that need more minutes than the interview: refused until the recruiter
        ticks ``overrun_confirm`` (or makes the interview longer)."""
        minutes = self.cleaned_data.get("duration_minutes")
        if not minutes or minutes_of_questions <= minutes or self.cleaned_data.get("overrun_confirm"):
            return
        self.overrun = True
        self.add_error(
            "duration_minutes",
            f"{what} {minutes_of_questions} minutes, {minutes_of_questions - minutes} more than "
            f"this {minutes}-minute interview. Make the interview longer, or tick “{self.confirm_words}” below.",
        )


class ScheduleForm(PanelFields):
    """A new interview: a candidate the recruiter can see, a plan for that candidate's
    position (or a template), a time and a panel."""

    candidate = CandidateChoiceField(queryset=None, widget=OptionDataSelect)
    plan = PlanChoiceField(
        queryset=None, widget=OptionDataSelect,
        help_text="Plans for the candidate's position, or a template. The plan's questions are pinned to the interview.",
    )

    field_order = ["candidate", "plan", "starts_at", "duration_minutes", "interviewers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["candidate"].queryset = (
            Candidate.objects.visible_to(user)
            .select_related("position").order_by("name", "pk")
        )
        positions = Position.objects.visible_to(user).values("pk")
        # Not the plans of the starter loops (105 of them): a loop is copied to a position first.
        self.fields["plan"].queryset = (
            InterviewPlan.objects.active().outside_loops().filter(Q(position__isnull=True) | Q(position__in=positions))
            .select_related("position").order_by("position__title", "name", "pk")
        )

    def clean(self):
        data = super().clean()
        candidate, plan = data.get("candidate"), data.get("plan")
        if candidate and plan:
            if plan.position_id not in (None, candidate.position_id):
                self.add_error(
                    "plan",
                    f"“{plan.name}” is a plan for {plan.position.title}, not for {candidate.position.title}. "
                    "Choose a plan of the candidate's position or a template.",
                )
            elif not plan.items.exists():
                self.add_error("plan", f"“{plan.name}” has no questions yet. Add questions to it first.")
        if plan and data.get("duration_minutes") is None and "duration_minutes" not in self.errors:
            data["duration_minutes"] = plan.slot_minutes
        # The panel first: an error on the length takes it out of cleaned_data.
        self.check_panel_is_free()
        self.check_shadows()
        if plan and "plan" not in self.errors:
            total = plan.items.aggregate(m=Sum("minutes"))["m"] or 0
            self.check_questions_fit(minutes_of_questions=total, what=f"“{plan.name}” has questions for")
        return data


class RescheduleForm(PanelFields):
    """A new time, length or panel for an interview."""

    confirm_words = "Save anyway"

    def __init__(self, *args, interview, user, **kwargs):
        initial = {
            "starts_at": interview.starts_at,
            "duration_minutes": interview.duration_minutes,
            "interviewers": [u.pk for u in interview.interviewers.all()],
            "shadows": [s.user_id for s in interview.shadows.all() if s.kind == "shadow"],
            "reverse_shadows": [s.user_id for s in interview.shadows.all() if s.kind == "reverse"],
        }
        super().__init__(*args, initial=initial, user=user, **kwargs)
        self.interview = interview
        self.fields["duration_minutes"].required = True
        self.fields["duration_minutes"].help_text = f"{DURATION_MIN} to {DURATION_MAX}."
        # Someone who has left the Interviewers group stays choosable on their own panel.
        self.fields["interviewers"].queryset = get_user_model().objects.filter(
            Q(groups__name=GROUP_NAMES[Role.INTERVIEWER], is_active=True) | Q(interviews=interview)
        ).distinct().select_related("profile").order_by("first_name", "last_name", "username")
        self.fields["interviewers"].help_text = (
            "Interviewers who have already started a scorecard stay on the panel, so their work is never lost."
        )

    def clean(self):
        data = super().clean()
        self.check_panel_is_free(exclude=self.interview.pk)  # first, as in ScheduleForm.clean
        self.check_shadows()
        pinned = self.interview.questions.filter(added_by__isnull=True).aggregate(m=Sum("minutes"))["m"] or 0
        self.check_questions_fit(minutes_of_questions=pinned, what="Its pinned questions take")
        return data


class FilterFields(forms.Form):
    """Filters by position, interviewer and a range of days in the site's time zone, as the
    interview list and the calibration page take them (a GET form). A value that does not fit
    is named and left out, so the rest still filter. Subclasses add their own fields, set
    ``field_order`` and may relabel the empty choices."""

    position = PositionChoiceField(queryset=None, required=False, empty_label="Any position")
    interviewer = PersonChoiceField(queryset=None, required=False, empty_label="Anyone", label="Interviewer")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        # The positions this person is involved in (all, for an admin), as everywhere else.
        f["position"].queryset = Position.objects.visible_to(user).order_by(STATUS_ORDER, "title", "pk")
        f["interviewer"].queryset = users_in_role(Role.INTERVIEWER)
        f["position"].error_messages["invalid_choice"] = "That position is not one of yours; showing every position."
        f["interviewer"].error_messages["invalid_choice"] = "No such interviewer; showing everyone."
        for name in ("date_from", "date_to"):
            f[name].error_messages["invalid"] = "Give a date like 2026-12-31; this one is left out."
            f[name].validators.append(_filter_date_in_years)
        for field in f.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "“To” is before “From”; showing from “From” on.")
        return data


class InterviewFilterForm(FilterFields):
    """The filters of the interview list: ``FilterFields`` and the interviews' status."""

    stage = forms.ChoiceField(choices=[("", "Any status")] + InterviewStage.choices, required=False, label="Status")
    field_order = ["position", "stage", "interviewer", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["stage"].error_messages["invalid_choice"] = "Choose a status from the list; showing every status."

    def filters(self):
        """The filters that are valid (none for an unbound form), as keyword arguments of
        ``selectors.interview_list``."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {name: data[name] for name in ("position", "stage", "interviewer", "date_from", "date_to")
                if data.get(name)}


def _filter_date_in_years(day):
    if not in_scheduling_years(day):
        raise forms.ValidationError(f"Give a date in the years {YEAR_MIN} to {YEAR_MAX}; this one is left out.")


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200, label="Reason for cancelling",
        widget=forms.TextInput(attrs={"placeholder": "Candidate withdrew; rescheduled as a new interview…"}),
        error_messages={"required": "Say why the interview is cancelled; the panel and the candidate's history show it."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the interview is cancelled.")
        return reason
