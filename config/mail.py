"""The mail settings checked at start-up: a malformed one stops the process with a message
naming it, instead of failing at the first message a worker tries to send."""

from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email


def check_mail_settings(*, host, port, use_tls, use_ssl, user, password, from_email, production):
    """Raise ImproperlyConfigured when the EMAIL_* settings cannot work together."""
    name, address = parseaddr(from_email)
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"DEFAULT_FROM_EMAIL={from_email!r} is not an address: use name@example.com or "
            "'Panelist <name@example.com>'.") from None
    if production and not host:
        raise ImproperlyConfigured("EMAIL_HOST must be set in production (PANELIST_PRODUCTION=1): "
                                   "without it Panelist keeps its mail in the outbox and sends none.")
    if not host:
        return
    if any(c.isspace() for c in host) or "/" in host or ":" in host:
        raise ImproperlyConfigured(f"EMAIL_HOST={host!r} is not a host name: give the name or address only "
                                   "(the port goes in EMAIL_PORT).")
    if not 1 <= port <= 65535:
        raise ImproperlyConfigured(f"EMAIL_PORT={port} is not a port (1-65535).")
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are both on: STARTTLS (usually port 587) "
                                   "or implicit TLS (usually port 465), not both.")
    if bool(user) != bool(password):
        raise ImproperlyConfigured("EMAIL_HOST_USER and EMAIL_HOST_PASSWORD go together: set both or neither.")
