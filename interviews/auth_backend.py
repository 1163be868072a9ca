"""Django's ModelBackend, with a signed-in user's permissions and groups read in one query.

Every page asks for permissions (the view's check, the navbar's menu) and for the user's groups
(the role badge). ModelBackend reads user permissions and group permissions in two queries,
and the role badge read the groups in a third. Here one statement reads all three, once per
request, onto the same per-request caches ModelBackend uses (``_user_perm_cache``,
``_group_perm_cache``), so ``has_perm``, ``get_all_permissions`` and the admin behave exactly
as before. Nothing outlives the request: a role change applies on the next page.
"""

from django.contrib.auth.backends import ModelBackend
from django.db import connection

# (source, app label or group name, codename); auth's tables are fixed by django.contrib.auth.
ACCESS_SQL = """
    SELECT 'user', ct.app_label, p.codename
      FROM auth_user_user_permissions up
      JOIN auth_permission p ON p.id = up.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE up.user_id = %(user)s
    UNION ALL
    SELECT 'group', ct.app_label, p.codename
      FROM auth_user_groups ug
      JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
      JOIN auth_permission p ON p.id = gp.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE ug.user_id = %(user)s
    UNION ALL
    SELECT 'name', g.name, ''
      FROM auth_user_groups ug
      JOIN auth_group g ON g.id = ug.group_id
     WHERE ug.user_id = %(user)s
"""


def load_access(user):
    """Read ``user``'s permissions and group names in one query and keep them on the user
    object for the rest of the request. Returns the group names."""
    if not hasattr(user, "_group_names"):
        perms = {"user": set(), "group": set()}
        names = set()
        with connection.cursor() as cursor:
            cursor.execute(ACCESS_SQL, {"user": user.pk})
            for source, label, codename in cursor.fetchall():
                if source == "name":
                    names.add(label)
                else:
                    perms[source].add(f"{label}.{codename}")
        user._group_names = names
        # Superusers hold every permission; ModelBackend reads those itself (admin pages only).
        if not user.is_superuser:
            user._user_perm_cache, user._group_perm_cache = perms["user"], perms["group"]
    return user._group_names


def forget_access(user):
    """Drop what ``load_access`` (and ModelBackend) kept, after changing the user's groups."""
    for name in ("_group_names", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(name, None)


class OneQueryModelBackend(ModelBackend):
    def _get_permissions(self, user_obj, obj, from_name):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            load_access(user_obj)
        return super()._get_permissions(user_obj, obj, from_name)
