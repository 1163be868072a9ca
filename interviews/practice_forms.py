"""Forms of the practice pages: the list's filters, a practice score and a sample answer."""

from django import forms

from questionbank.models import ANCHOR_LABELS, SCORE_LEVELS, Area, Level, SampleAnswer

# Sizes of a sample written in the app: the bank's (bankfiles.SAMPLE_ANSWER_WORDS and
# SAMPLE_RATIONALE_WORDS) are a house style for the shipped bank; here, enough to stop a slip.
ANSWER_MAX_CHARS = 6000
RATIONALE_MAX_CHARS = 2000


class PracticeFilterForm(forms.Form):
    """The practice list's filters (a GET form); an unknown value is ignored, not an error."""

    area = forms.ChoiceField(choices=[("", "Any area"), *Area.choices], required=False)
    level = forms.ChoiceField(choices=[("", "Any level"), *Level.choices], required=False)

    def filters(self):
        """The valid filters: a bad value leaves its field out of cleaned_data, the rest stay."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


class PracticeScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[(n, f"{n} · {ANCHOR_LABELS[n]}") for n in SCORE_LEVELS], coerce=int, widget=forms.RadioSelect,
        label="Your score", error_messages={"required": "Choose a score from 1 to 4.",
                                            "invalid_choice": "Choose a score from 1 to 4."},
    )


class SampleAnswerForm(forms.ModelForm):
    order = forms.IntegerField(min_value=0, max_value=1000, help_text="Where it comes among the question's samples (lower first).")

    class Meta:
        model = SampleAnswer
        fields = ["reference_score", "answer", "rationale", "agreed_by", "order"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 8}), "rationale": forms.Textarea(attrs={"rows": 3})}

    def _clean_text(self, name, limit):
        text = (self.cleaned_data.get(name) or "").strip()
        if len(text) > limit:
            raise forms.ValidationError(f"At most {limit} characters (this is {len(text)}).")
        return text

    def clean_answer(self):
        return self._clean_text("answer", ANSWER_MAX_CHARS)

    def clean_rationale(self):
        return self._clean_text("rationale", RATIONALE_MAX_CHARS)
