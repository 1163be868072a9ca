from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.forms import FilterFields
from interviews.models import Position
from interviews.selectors import STATUS_ORDER
from questionbank.models import Area

from .calibration_queries import Subset
from .models import DecisionChoice, Recommendation, Scorecard, ScorecardStatus, score_in_words
from .rules import override_needed


class SubmitForm(forms.Form):
    """The recommendation and summary a scorecard is submitted with. That both are given is
    the model's rule (Scorecard.clean), asked here so the page says it beside each field."""

    recommendation = forms.ChoiceField(
        choices=Recommendation.choices, widget=forms.RadioSelect, required=False, label="Overall recommendation",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000, required=False,
        help_text="The evidence behind your recommendation, in a few sentences.",
    )

    def clean_summary(self):
        return self.cleaned_data["summary"].strip()

    def clean(self):
        data = super().clean()
        submitted = Scorecard(status=ScorecardStatus.SUBMITTED, recommendation=data.get("recommendation") or "",
                              summary=data.get("summary") or "")
        try:
            submitted.clean()
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field not in self.errors:  # "not a valid choice" already says what is wrong
                    self.add_error(field, errors)
        return data


class AmendForm(forms.Form):
    """Change one thing on a submitted scorecard, with a reason."""

    field = forms.ChoiceField(label="What to change")
    score = forms.TypedChoiceField(
        choices=[("", "—")] + [(str(n), score_in_words(n)) for n in range(1, 5)], coerce=int, empty_value=None,
        required=False, label="New score",
    )
    recommendation = forms.ChoiceField(choices=[("", "—")] + list(Recommendation.choices), required=False,
                                       label="New recommendation")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="New text (summary or notes)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             error_messages={"required": "Say why you are amending a submitted scorecard."})

    def __init__(self, *args, scores=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("recommendation", "Overall recommendation"), ("summary", "Summary")]
        for s in scores:
            choices.append((f"score:{s.question_id}", f"Score — {s.question.title[:60]}"))
            choices.append((f"notes:{s.question_id}", f"Notes — {s.question.title[:60]}"))
        self.fields["field"].choices = choices

    def clean(self):
        data = super().clean()
        field = data.get("field", "")
        if field == "recommendation" and not data.get("recommendation"):
            self.add_error("recommendation", "Choose the new recommendation.")
        elif field.startswith("score:") and data.get("score") is None:
            self.add_error("score", "Choose the new score (1-4).")
        elif field == "summary" and not (data.get("text") or "").strip():
            self.add_error("text", "Write the new summary.")
        return data

    def change(self):
        field = self.cleaned_data["field"]
        if field == "recommendation":
            return {field: self.cleaned_data["recommendation"]}
        if field.startswith("score:"):
            return {field: self.cleaned_data["score"]}
        return {field: (self.cleaned_data.get("text") or "").strip()}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DecisionChoice.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text="The evidence the decision rests on; kept with your name and the time.",
        error_messages={"required": "Write the rationale: a decision without one cannot be reviewed later."},
    )

    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False, label="Override reason",
        help_text="Only when you decide against the decision rule's verdict: why the rule is wrong for this "
                  "candidate. Listed on the report of overrides.",
    )

    def __init__(self, *args, verdict=None, **kwargs):
        """``verdict``: the decision rule's (scoring.rules.RuleVerdict), or None without a rule."""
        super().__init__(*args, **kwargs)
        self.verdict = verdict

    def clean_rationale(self):
        text = self.cleaned_data["rationale"].strip()
        if not text:
            raise forms.ValidationError("Write the rationale: a decision without one cannot be reviewed later.")
        return text

    def clean_override_reason(self):
        return self.cleaned_data["override_reason"].strip()

    def clean(self):
        # Decision.clean's rule, said beside the field with what the rule says.
        data = super().clean()
        if self.verdict and self.verdict.against(data.get("decision")) and not data.get("override_reason"):
            self.add_error("override_reason", override_needed(self.verdict))
        return data


class RemindForm(forms.Form):
    """Which missing scorecard to remind its panelist of (the debrief's "Remind" buttons)."""

    interview = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    panelist = forms.IntegerField(min_value=1, max_value=2**63 - 1)


# Presets of the calibration filters' period, in days back from today.
PERIOD_PRESETS = {"90d": ("Last 90 days", 90), "12m": ("Last 12 months", 365)}


class CalibrationFilterForm(FilterFields):
    """The calibration page's filters (a GET form): a position, a period (a preset or from/to
    days in the site's time zone, both inclusive) and an interviewer. A value that does not fit
    is named in words and left out; the rest still filter. ``subset()`` turns what is valid into
    the interviews the figures count (``calibration_queries.Subset``)."""

    period = forms.ChoiceField(choices=[("", "All time")] + [(k, label) for k, (label, _) in PERIOD_PRESETS.items()],
                               required=False, label="Period")
    field_order = ["position", "period", "date_from", "date_to", "interviewer"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        f = self.fields
        f["position"].empty_label, f["interviewer"].empty_label = "Every position", "Everyone"
        f["period"].error_messages["invalid_choice"] = "Choose a period from the list; showing all time."

    def clean(self):
        data = super().clean()
        if data.get("period") and (data.get("date_from") or data.get("date_to")):
            self.add_error("period", "Choose a period or dates, not both; the dates are used.")
        return data

    def valid(self):
        """The filters that are valid (none for an unbound form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def subset(self, *, today=None):
        """The interviews the valid filters select, as a ``calibration_queries.Subset``; days
        are the site's, the "to" day included."""
        data = self.valid()
        today = today or timezone.localdate()
        start, end = data.get("date_from"), data.get("date_to")
        if not (start or end) and data.get("period"):
            start, end = today - timedelta(days=PERIOD_PRESETS[data["period"]][1] - 1), today
        return Subset(
            position_id=data["position"].pk if data.get("position") else None,
            starts_from=_start_of(start) if start else None,
            starts_before=_start_of(end + timedelta(days=1)) if end else None,
            interviewer_id=data["interviewer"].pk if data.get("interviewer") else None,
        )

    def description(self):
        """What the valid filters select, in words: "interviews for Ranking engineer in the
        last 90 days that Omar submitted a scorecard for" ("" when nothing is filtered)."""
        data = self.valid()
        if not data:
            return ""
        words = "interviews"
        if data.get("position"):
            words += f" for {data['position'].title}"
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            words += f" from {start:%-d %b %Y} to {end:%-d %b %Y}"
        elif start:
            words += f" from {start:%-d %b %Y} on"
        elif end:
            words += f" up to {end:%-d %b %Y}"
        elif data.get("period"):
            words += f" in the {PERIOD_PRESETS[data['period']][0].lower()}"
        if data.get("interviewer"):
            person = data["interviewer"]
            words += f" that {person.get_full_name() or person.username} submitted a scorecard for"
        return words

    def querystring(self, *, drop=()):
        """The valid filters as a query string (for the drill-down's links and its pages)."""
        data = self.valid()
        pairs = {"position": data["position"].pk if data.get("position") else None, "period": data.get("period"),
                 "date_from": data.get("date_from"), "date_to": data.get("date_to"),
                 "interviewer": data["interviewer"].pk if data.get("interviewer") else None}
        return urlencode({k: v for k, v in pairs.items() if v and k not in drop})


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))



class ExposureFilterForm(forms.Form):
    """The exposure page's filters (a GET form): position, area, flagged only, sort. A value
    that does not fit is named and left out, so the page still shows the rest."""

    position = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any position")
    area = forms.ChoiceField(choices=[("", "Any area")], required=False)
    flagged = forms.BooleanField(required=False, label="Flagged only")
    sort = forms.ChoiceField(choices=[], required=False, label="Sort")
    # One bank question, by slug: the link from a question's page.
    question = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        from .exposure import Sort

        super().__init__(*args, **kwargs)
        f = self.fields
        f["position"].queryset = Position.objects.visible_to(user).order_by(STATUS_ORDER, "title", "pk")
        f["area"].choices = [("", "Any area"), *Area.choices]
        f["sort"].choices = Sort.CHOICES
        f["position"].error_messages["invalid_choice"] = "That position is not one of yours; showing every position."
        f["area"].error_messages["invalid_choice"] = "No such area; showing every area."
        f["sort"].error_messages["invalid_choice"] = "Sort by uses or by wear; sorted by uses."
        f["question"].error_messages["invalid"] = "That is not a question's slug; showing every question."
        for name in ("position", "area", "sort"):
            f[name].widget.attrs["class"] = "form-select"
        f["flagged"].widget.attrs["class"] = "form-check-input"

    def filters(self):
        """The valid filters (none for an unbound form), as keyword arguments of
        ``exposure.exposure_rows``."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            **({"position": data["position"]} if data.get("position") else {}),
            **({"area": data["area"]} if data.get("area") else {}),
            **({"flagged_only": True} if data.get("flagged") else {}),
            **({"sort": data["sort"]} if data.get("sort") else {}),
            **({"question": data["question"]} if data.get("question") else {}),
        }
