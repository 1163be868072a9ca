from axes import apps as axes_apps
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django_otp.plugins.otp_static import apps as static_apps
from django_otp.plugins.otp_totp import apps as totp_apps


class AccountsConfig(AppConfig):
    default = True  # the one Django picks for "accounts" (this module defines three)
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Sign-in receivers (audit, session stamps, two-factor facts) and the role-change audit:
        # connected before any request.
        from . import signals  # noqa: F401
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="panelist_role_groups")


# Third-party sign-in apps under names an admin reads: the Django admin lists models under their
# app's verbose name, which these apps leave as their labels ("Axes", "Otp_Totp"). Named in
# INSTALLED_APPS by their full path.

class SignInThrottlingConfig(axes_apps.AppConfig):
    default = False
    verbose_name = "Sign-in throttling"


class TwoFactorDevicesConfig(totp_apps.DefaultConfig):
    default = False
    verbose_name = "Two-factor devices"


class RecoveryCodesConfig(static_apps.DefaultConfig):
    """django_otp.plugins.otp_static: the two-factor recovery codes (accounts/two_factor.py)."""

    default = False
    verbose_name = "Two-factor recovery codes"
