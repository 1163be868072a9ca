"""The sign-in form, the two-factor code and recovery code forms, the settings page's time zone
form, and the password reset form."""

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


class RecoveryCodeForm(forms.Form):
    """One of the user's ten recovery codes, at the sign-in code step instead of the app's code
    (two_factor.recovery_code_use). ``verified_device`` is the recovery device once it is spent."""

    recovery_code = forms.CharField(
        label="Recovery code", max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 16}),
        help_text="One of the ten codes you saved when you set up two-factor sign-in, such as abcd-efgh-ijkm.",
        error_messages={"required": "Enter one of your recovery codes."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.checked = False
        self.verified_device = None

    def clean_recovery_code(self):
        from .two_factor import recovery_code_use, recovery_throttled

        code = self.cleaned_data["recovery_code"]
        if not re.fullmatch(r"[A-Za-z2-7]{4}-?[A-Za-z2-7]{4}-?[A-Za-z2-7]{4}", "".join(code.split())):
            raise ValidationError("A recovery code is 12 letters and digits, such as abcd-efgh-ijkm. Check what you typed.")
        self.checked = True
        if recovery_throttled(self.user):
            raise ValidationError("Too many wrong codes in a row. Wait a few seconds, then try again.")
        self.verified_device = recovery_code_use(user=self.user, code=code)
        if self.verified_device is None:
            raise ValidationError("That recovery code is not right, or was used before: each code works once.")
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


# --- The People pages (accounts/people_views.py) ---------------------------------------------

def role_choices(*, with_admin):
    """The roles the People pages offer: the three roles, and the admin role for admins only."""
    from .people import ADMIN
    from .roles import Role

    return list(Role.choices) + ([(ADMIN, "Admin (every page, the Django admin and People)")] if with_admin else [])


class InviteForm(forms.Form):
    """Invite a colleague: their name, e-mail address (also their username) and roles."""

    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter the person's name."})
    email = forms.EmailField(label="E-mail address", max_length=150,
                             help_text="The invitation goes here, and it is their username.",
                             error_messages={"required": "Enter their e-mail address.",
                                             "invalid": "Enter a whole e-mail address, such as ada@example.com."})
    roles = forms.MultipleChoiceField(label="Roles", required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="What they may do. You can change it later on their page.")

    def __init__(self, *args, with_admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(with_admin=with_admin)
        self.fields["roles"].error_messages["invalid_choice"] = "Choose roles from the list."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Enter the person's name.")
        return name

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].strip()
        users = get_user_model().objects
        if users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists():
            raise ValidationError(f"{email} already has an account: find it in the list to change its roles.",
                                  code="taken")
        return email


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="Roles", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, with_admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(with_admin=with_admin)
        self.fields["roles"].error_messages["invalid_choice"] = "Choose roles from the list."


class RoleTwoFactorForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Require two-factor sign-in of", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Everyone with a ticked role must set up two-factor sign-in at their next request.")

    def __init__(self, *args, **kwargs):
        from .roles import Role

        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = Role.choices
        self.fields["roles"].error_messages["invalid_choice"] = "Choose roles from the list."


def _weekly_limit_field(**kwargs):
    from .models import WEEKLY_LIMIT_MAX, WEEKLY_LIMIT_RANGE

    return forms.IntegerField(min_value=1, max_value=WEEKLY_LIMIT_MAX, error_messages={
        "min_value": WEEKLY_LIMIT_RANGE, "max_value": WEEKLY_LIMIT_RANGE,
        "invalid": "Enter a whole number of interviews, such as 5.", "required": "Enter a number of interviews, such as 5.",
    }, **kwargs)


class RoleLimitsForm(forms.Form):
    """A weekly interview limit per role (accounts/limits.py)."""

    def __init__(self, *args, **kwargs):
        from .limits import DEFAULT_WEEKLY_LIMITS
        from .roles import Role

        super().__init__(*args, **kwargs)
        for role in Role:
            self.fields[role.value] = _weekly_limit_field(
                label=f"{role.label}s", help_text=f"Built in: {DEFAULT_WEEKLY_LIMITS[role]} a week.")


class PersonLimitForm(forms.Form):
    """One person's own weekly interview limit; empty goes back to their roles'."""

    weekly_limit = _weekly_limit_field(label="Weekly interview limit", required=False,
                                       help_text="Empty: the largest limit of their roles.")
