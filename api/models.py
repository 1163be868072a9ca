"""Personal access tokens for the REST API (docs/api.md, docs/security.md)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# Every secret starts with this, so a token pasted into a chat or committed to a repository is
# recognisable (secret scanners can match it) and never mistaken for a password.
PREFIX = "pnl_"
# How much of the secret the token list shows to tell tokens apart: the prefix and 6 characters.
SHOWN_CHARS = len(PREFIX) + 6
# The longest a token may live; a token without an expiry lives until it is revoked.
MAX_DAYS = 366
# last_used_at is written at most this often: one small UPDATE a minute per busy token, not
# one per request.
LAST_USED_EVERY = timedelta(minutes=1)


class Scope(models.TextChoices):
    READ = "read", "Read"
    READ_WRITE = "read-write", "Read and write"


def secret_digest(secret):
    """What is stored of a secret: its SHA-256, hex. The secret is 32 random bytes, so a fast
    hash is enough (nothing to guess by brute force), and a lookup is one indexed query."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Not revoked, not expired, of an active user."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True,
                           user__is_active=True)

    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal access token: the API acts as its user, with that user's roles and
    visibility, narrowed to reading for a ``read`` token. Only the secret's digest is kept;
    the secret is shown once, when the token is made (``token_create``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What uses it, e.g. “Greenhouse sync”.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, editable=False)
    shown = models.CharField(max_length=SHOWN_CHARS, editable=False, help_text="The secret's first characters.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Every request looks its token up by digest: this unique index serves it.
            models.UniqueConstraint(fields=["digest"], name="api_token_unique_digest",
                                    violation_error_message="This token already exists."),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | (
                    Q(expires_at__gt=F("created_at")) & Q(expires_at__lte=F("created_at") + timedelta(days=MAX_DAYS))
                ),
                name="api_token_expiry_within_a_year",
                violation_error_message=f"A token expires after its creation and within {MAX_DAYS} days.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.shown}…)"

    def clean(self):
        """api_token_expiry_within_a_year in words."""
        if self.expires_at is not None:
            created = self.created_at or timezone.now()
            if not created < self.expires_at <= created + timedelta(days=MAX_DAYS):
                raise ValidationError({"expires_at": f"Choose an expiry after today and within {MAX_DAYS} days."})

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return not self.is_revoked and not self.is_expired

    @property
    def allows_writes(self):
        return self.scope == Scope.READ_WRITE

    def touch(self, now=None):
        """Record a use: one UPDATE, only when the stored time is a minute old or more (the
        condition is in the statement, so concurrent requests of several processes write at
        most one new time a minute between them)."""
        now = now or timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_EVERY:
            return
        ApiToken.objects.filter(pk=self.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        self.last_used_at = now
