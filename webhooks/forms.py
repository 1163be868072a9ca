"""The subscription form. It validates (the URL is resolved and checked as a delivery would
be); crispy only renders it."""

from django import forms

from config.outbound import target_check

from .models import EventType, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", label="URL",
                         help_text="Where the events are posted (https://).")
    events = forms.MultipleChoiceField(choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Choose at least one event."},
                                       help_text="The events this system receives.")

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        return target_check(self.cleaned_data["url"])
