"""The sign-in form, the two-factor code form and the settings page's time zone form."""

import math
import re

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .models import time_zone_choices
from .oidc import local_password_allowed


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with messages that say what to do. An empty field is named on its
    own; “don’t match” is said only after a real attempt (Django's form checks the pair only
    when both were given)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password don’t match. Check both and try again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."
        # Django's form sets max_length after building the field, so no validator checks it; an
        # over-long username would reach the sign-in throttle's varchar(255) column (a 500).
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, f"Usernames are at most {limit} characters. Check what you typed.")
        )

    def clean(self):
        # Local passwords switched off (accounts/oidc.py): refused before any password is checked.
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password") and not local_password_allowed(username):
            provider = settings.PANELIST_OIDC_PROVIDER_NAME
            raise ValidationError(f"Panelist does not take passwords any more: sign in with {provider}, "
                                  f"using the “Sign in with {provider}” button above.", code="sso_only")
        return super().clean()


class CodeForm(forms.Form):
    """A 6-digit code, checked against ``device`` (django-otp counts wrong codes on the device
    and makes each next try wait longer: 1, 2, 4, 8… seconds)."""

    code = forms.CharField(
        label="6-digit code",
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
                                      "size": 8, "spellcheck": "false"}),
    )

    def __init__(self, *args, user, device, autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not autofocus:  # e.g. turning two-factor off: a page's secondary form
            self.fields["code"].widget.attrs.pop("autofocus")
        self.user = user
        self.device = device
        self.checked = False  # True once a well-formed code was tried against the device
        self.verified_device = None

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError("Enter the 6 digits your authenticator app shows, for example 123456.")
        self.checked = True
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until") or timezone.now()
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            raise ValidationError(f"Too many wrong codes in a row. Wait {wait} second{pluralize(wait)}, "
                                  "then enter the code your app shows.")
        self.verified_device = django_otp.verify_token(self.user, self.device.persistent_id, code)
        if self.verified_device is None:
            raise ValidationError("That code is not right. Codes change every 30 seconds: enter the one your app "
                                  "shows now (and check that your phone sets its clock automatically).")
        return code


class TimeZoneInput(forms.TextInput):
    """A text box that suggests every zone as one types (the page's <datalist id="time-zones">,
    templates/accounts/settings.html): a select of ~600 names is hard to use, and a name typed
    wrong stays in the box beside its error, to correct."""

    def __init__(self, attrs=None):
        super().__init__({"list": "time-zones", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class TimeZoneForm(forms.Form):
    """A person's time zone: one of the server's IANA names (accounts.models.time_zone_choices)."""

    time_zone = forms.CharField(
        label="Time zone", max_length=64, widget=TimeZoneInput,
        help_text="Every time Panelist shows you, and every time you type, is in this zone. "
                  "Start typing a city, such as Paris or New_York, and pick from the list.",
        error_messages={"required": "Choose your time zone (an IANA name such as Europe/Paris).",
                        "max_length": "No time zone name is that long. Choose one from the list, such as Europe/Paris."},
    )

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if name not in set(time_zone_choices()):
            raise ValidationError(
                f"“{name}” is not a time zone Panelist knows. Choose one from the list: an IANA name such as "
                "Europe/Paris or America/New_York.", code="invalid_time_zone",
            )
        return name
