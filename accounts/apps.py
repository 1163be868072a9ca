from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Sign-in receivers (audit, session stamps, two-factor facts) and the role-change audit:
        # connected before any request.
        from . import signals  # noqa: F401
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="panelist_role_groups")
