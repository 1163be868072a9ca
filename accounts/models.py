"""The audit log (who did what sensitive thing, and when), each person's profile (time zone,
calendar feed secret, weekly interview limit) and the settings of a role (two-factor, interview
limit)."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class AuditEvent(models.Model):
    """Append-only record of sensitive actions: admin overrides of scorecard privacy,
    amendments, scorecard views and exports, role changes, sign-ins. Times are UTC."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


def audit(*, actor, action, target="", **detail):
    """Record one audit event."""
    return AuditEvent.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                                     target=str(target)[:200], detail=detail)


def time_zone_choices():
    """Every IANA zone name the server knows, sorted (for the settings page's select)."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list (an IANA name such as Europe/Paris).",
                              code="invalid_time_zone")


def default_time_zone():
    return settings.TIME_ZONE


def new_calendar_token():
    return secrets.token_urlsafe(24)


WEEKLY_LIMIT_MAX = 40
WEEKLY_LIMIT_RANGE = f"A weekly limit is 1 to {WEEKLY_LIMIT_MAX} interviews."
WEEKLY_LIMIT_VALIDATORS = [MinValueValidator(1, WEEKLY_LIMIT_RANGE), MaxValueValidator(WEEKLY_LIMIT_MAX, WEEKLY_LIMIT_RANGE)]


class Profile(models.Model):
    """What a person sets for themselves: their time zone (every time they see or get by mail
    is in it; stored times are UTC) and the secret of their calendar feed URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    # In the calendar feed's URL, which calendar apps fetch without signing in: whoever has the
    # URL reads the person's interviews, so it can be replaced (profile_new_calendar_token).
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    # Set on the person's People page; empty: the largest limit of their roles (accounts/limits.py).
    weekly_interview_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=WEEKLY_LIMIT_VALIDATORS, verbose_name="weekly interview limit",
        help_text="Interviews a week on this person's panels before scheduling warns. Empty: their role's.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_interview_limit__isnull=True)
                | Q(weekly_interview_limit__gte=1, weekly_interview_limit__lte=WEEKLY_LIMIT_MAX),
                name="accounts_profile_weekly_limit_range", violation_error_message=WEEKLY_LIMIT_RANGE,
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


def profile_of(user):
    """The user's profile, created with the defaults the first time it is asked for."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def zone_of(user):
    """The user's zone as a ZoneInfo (``time_zone_of``); reads their profile, never creates it."""
    return zoneinfo.ZoneInfo(time_zone_of(user))


def time_zone_of(user):
    """The name of the user's zone: their profile's (read with ``select_related("profile")``
    to spare a query), or settings.TIME_ZONE when they have none yet."""
    try:
        return user.profile.time_zone
    except Profile.DoesNotExist:
        return settings.TIME_ZONE


def profile_new_calendar_token(*, profile):
    """A new secret for the calendar feed: the old URL stops working at once."""
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token"])
    return profile


class RoleTwoFactor(models.Model):
    """A role whose members must sign in with two-factor: a row per role that requires it (no
    row, not required). It points at the role's group, so the one query that reads a user's
    two-factor facts at sign-in (two_factor.two_factor_flags) finds it beside the user's groups.
    Set on the People pages (/people/two-factor/); a single person is required through the
    "Two-factor required" group instead (two_factor.REQUIRED_GROUP)."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="two_factor_rule")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "two-factor rule of a role"
        # The People pages (/people/): admins (superusers) have it; an admin may grant it to a
        # colleague in the Django admin. No role gets it (roles.ROLE_PERMISSIONS).
        permissions = [("manage_people", "Can manage people (invite, roles, deactivate, two-factor)")]

    def __str__(self):
        return f"Two-factor required for {self.group.name}"

    def clean(self):
        from .roles import GROUP_NAMES  # roles imports nothing of this module, but keep the import lazy

        if self.group_id and self.group.name not in GROUP_NAMES.values():
            raise ValidationError({"group": "Two-factor can be required of a role's group only."})


class RoleInterviewLimit(models.Model):
    """How many interviews a week a member of a role may sit on before scheduling warns, when an
    admin has changed the built-in figure (accounts.limits.DEFAULT_WEEKLY_LIMITS): a row per
    role changed. Set on the People pages (/people/interview-limits/); one person's own limit
    (``Profile.weekly_interview_limit``) comes first."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="interview_limit")
    weekly_limit = models.PositiveSmallIntegerField(validators=WEEKLY_LIMIT_VALIDATORS)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "weekly interview limit of a role"
        constraints = [
            models.CheckConstraint(condition=Q(weekly_limit__gte=1, weekly_limit__lte=WEEKLY_LIMIT_MAX),
                                   name="accounts_role_weekly_limit_range", violation_error_message=WEEKLY_LIMIT_RANGE),
        ]

    def __str__(self):
        return f"{self.group.name}: {self.weekly_limit} interviews a week"
