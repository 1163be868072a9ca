"""The form of the API tokens page."""

from django import forms

from .models import MAX_DAYS, Scope

# The expiries offered, in days ("" is no expiry: until revoked).
EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("366", "1 year"), ("", "No expiry (until revoked)")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, e.g. “Greenhouse sync”.",
                           error_messages={"required": "Give the token a name, so you know later what uses it."})
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect,
                              help_text="Read is enough to list candidates and read scorecards.")
    expires_in = forms.TypedChoiceField(choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False,
                                        initial="90", label="Expires after",
                                        help_text=f"At most {MAX_DAYS} days; revoke it any time.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name, so you know later what uses it.")
        return name
