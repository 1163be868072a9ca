"""The sign-in form: Django's, with messages that say what to do."""

from django.contrib.auth.forms import AuthenticationForm


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
