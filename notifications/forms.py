from django import forms

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Delivery.choices, widget=forms.RadioSelect,
                                                  initial=current.get(kind, Delivery.EMAIL))
