"""The sign-in form: Django's, with messages that say what to do."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """An empty field is named on its own; “don’t match” is said only after a real attempt
    (Django's form checks the pair only when both were given)."""

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
