"""Single sign-on in templates: the "Sign in with <provider>" button and whether local
passwords are on (for the sign-in, password and password-reset pages)."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/includes/sso_button.html")
def sso_button(next_url=""):
    """The button that starts a sign-in through the provider; nothing while single sign-on is off."""
    return {"enabled": settings.PANELIST_SSO_ENABLED, "provider": settings.PANELIST_OIDC_PROVIDER_NAME,
            "next": next_url or ""}


@register.simple_tag
def sso_settings():
    """What the pages say about single sign-on: {"enabled", "provider", "local_passwords"}."""
    return {"enabled": settings.PANELIST_SSO_ENABLED, "provider": settings.PANELIST_OIDC_PROVIDER_NAME,
            "local_passwords": settings.PANELIST_LOCAL_PASSWORDS}
