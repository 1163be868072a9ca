"""Django's ModelBackend, reading a user's permissions with their roles in one query."""

from django.contrib.auth.backends import ModelBackend

from .oidc import local_password_allowed
from .roles import load_access


class RoleBackend(ModelBackend):
    """ModelBackend, except that a user's permissions (their own and their roles') are read by
    ``roles.load_access`` together with their role names: one query per request where Django's
    own reads the two kinds of permissions in two and ``roles_of`` the names in a third: ~1.2 ms
    less on every signed-in page (~0.25 ms instead of ~1.4 ms on the bench data; the scorecard
    submit takes ~8 ms; docs/performance.md). Admins (superusers) get every permission, read as
    ModelBackend reads them."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # With local passwords off, only the break-glass users' passwords are checked (the sign-in
        # form says why; the admin's sign-in page comes here too).
        if username is not None and not local_password_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache
