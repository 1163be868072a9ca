from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        from config import sessions  # noqa: F401  (stamps sign-in times; must be connected before any request)
        from config import two_factor  # noqa: F401  (records two-factor facts at sign-in; likewise)

        from .roles import ensure_role_groups

        # Listed last in INSTALLED_APPS, so every app's permissions exist by now.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="panelist_role_groups")
