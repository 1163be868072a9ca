"""The form of a position's decision rule (interviews/decision_rules.py sets it)."""

from django import forms

from .models import Position

NO_CONDITION = ("Choose at least one condition: a minimum weighted score, no strong no, or a number of "
                "scorecards saying yes.")


def _field(name):
    """The model's own field with its validators (1.00 to 4.00, 1 to 20), which formfield()
    leaves to the model's clean: here they say the limits beside the field."""
    model_field = Position._meta.get_field(name)
    field = model_field.formfield()
    field.validators = [*field.validators, *(v for v in model_field.validators if v not in field.validators)]
    return field


# What DecimalValidator says ("no more than 3 digits in total"), said as the scale is read.
SCORE_DIGITS = "A score from 1.00 to 4.00 with at most two decimals, such as 2.75."


class DecisionRuleForm(forms.Form):
    """The rule's conditions; Position.clean and the position_rule_* constraints say the same."""

    rule_min_score = _field("rule_min_score")
    rule_no_strong_no = _field("rule_no_strong_no")
    rule_min_yes = _field("rule_min_yes")

    def __init__(self, *args, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_min_score"].error_messages.update(
            {"max_digits": SCORE_DIGITS, "max_decimal_places": SCORE_DIGITS, "max_whole_digits": SCORE_DIGITS})
        self.fields["rule_min_score"].widget.attrs.update({"min": "1", "max": "4", "step": "0.01"})
        if locked:  # shown as it stands, nothing to post (the service refuses a change anyway)
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def of(cls, position, **kwargs):
        return cls(initial={"rule_min_score": position.rule_min_score, "rule_no_strong_no": position.rule_no_strong_no,
                            "rule_min_yes": position.rule_min_yes}, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("rule_min_score") is not None or data.get("rule_no_strong_no")
                                    or data.get("rule_min_yes") is not None):
            raise forms.ValidationError(NO_CONDITION)
        return data

    def conditions(self):
        """The service's keyword arguments."""
        return {"min_score": self.cleaned_data["rule_min_score"], "no_strong_no": self.cleaned_data["rule_no_strong_no"],
                "min_yes": self.cleaned_data["rule_min_yes"]}
