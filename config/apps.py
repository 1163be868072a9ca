"""Third-party apps under names an admin reads: the Django admin lists models under their
app's verbose name, which these apps leave as their labels ("Axes", "Otp_Totp")."""

from axes.apps import AppConfig as AxesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class SignInThrottlingConfig(AxesConfig):
    verbose_name = "Sign-in throttling"


class TwoFactorDevicesConfig(TOTPConfig):
    verbose_name = "Two-factor devices"
