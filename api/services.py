"""Workflows of API tokens: making one, revoking one, finding the token of a request."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import audit

from .models import MAX_DAYS, PREFIX, SHOWN_CHARS, ApiToken, Scope, secret_digest


class TokenRefused(ValueError):
    """A token that cannot be made as asked; the message says why."""


@transaction.atomic
def token_create(*, user, name, scope, days=None, by=None):
    """A new token of ``user``, valid for ``days`` (None: until revoked; at most MAX_DAYS).
    Returns ``(token, secret)``: the secret is not stored, so this is the only time it exists
    in full. Audited with ``by`` (the user themself, or the admin running the command)."""
    name = (name or "").strip()
    if not name:
        raise TokenRefused("Give the token a name, so you know later what uses it.")
    if scope not in Scope.values:
        raise TokenRefused(f"The scope is {' or '.join(Scope.values)}, not {scope!r}.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise TokenRefused(f"A token lives 1 to {MAX_DAYS} days (or until revoked).")
    if not user.is_active:
        raise TokenRefused(f"{user.get_username()} is deactivated, so they cannot have a token.")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name[:80], scope=scope, digest=secret_digest(secret), shown=secret[:SHOWN_CHARS],
        created_at=now, expires_at=now + timedelta(days=days) if days else None,
    )
    audit(actor=by or user, action="api.token_create", target=f"user {user.pk}", token=token.pk, name=token.name,
          scope=scope, days=days, via="page" if by else "command")
    return token, secret


def token_revoke(*, token, by):
    """Revoke a token (at once: the next request with it gets 401). Returns False when it was
    already revoked. Audited."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        token.refresh_from_db(fields=["revoked_at"])
        audit(actor=by, action="api.token_revoke", target=f"user {token.user_id}", token=token.pk, name=token.name)
    return bool(changed)


def token_for_secret(secret):
    """``(token, problem)`` for a secret sent with a request: the usable token with its user
    and no problem, or no token and the reason in words (unknown, revoked, expired, its user
    deactivated). One query, on the digest's unique index."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None, f"This is not a Panelist token (they start with {PREFIX})."
    token = ApiToken.objects.select_related("user").filter(digest=secret_digest(secret)).first()
    if token is None:
        return None, "This token is not known: check it was copied whole, or make a new one."
    if token.is_revoked:
        return None, "This token was revoked. Make a new one on your account's API tokens page."
    if token.is_expired:
        return None, "This token has expired. Make a new one on your account's API tokens page."
    if not token.user.is_active:
        return None, "The account of this token is deactivated."
    return token, None
