from django import forms
from django.core.exceptions import ValidationError

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
