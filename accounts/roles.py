"""The three roles as Django groups, and what each may do.

Permissions are the single source of truth: views check ``user.has_perm`` (or the decorators
below), navigation shows what the user's permissions allow, and querysets scope rows with
``visible_to(user)``. Staff admins are superusers and have every permission.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import TextChoices


class Role(TextChoices):
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"
    RECRUITER = "recruiter", "Recruiter"


GROUP_NAMES = {
    Role.HIRING_MANAGER: "Hiring managers",
    Role.INTERVIEWER: "Interviewers",
    Role.RECRUITER: "Recruiters",
}

# "app_label.codename" per role; missing codenames (a model not written yet) are ignored.
ROLE_PERMISSIONS = {
    Role.HIRING_MANAGER: [
        "interviews.view_position",
        "interviews.view_candidate",
        "interviews.view_interview",
        "interviews.view_interviewplan",
        "interviews.add_interviewplan",
        "interviews.change_interviewplan",
        "scoring.view_calibration",
        "scoring.compare_candidates",
        "scoring.view_exposure",
        "questionbank.view_question",
        "questionbank.add_question",
        "questionbank.change_question",
        "questionbank.publish_question",
        "questionbank.import_questions",
        "questionbank.export_questions",
        "questionbank.practise_sampleanswer",  # issue 17: practice scoring
        "questionbank.add_sampleanswer",
        "questionbank.change_sampleanswer",
    ],
    Role.INTERVIEWER: [
        "interviews.view_interview",
        "questionbank.view_question",
        "scoring.add_scorecard",
        "questionbank.practise_sampleanswer",
    ],
    Role.RECRUITER: [
        "interviews.view_position",
        "interviews.add_position",
        "interviews.change_position",
        "interviews.view_candidate",
        "interviews.add_candidate",
        "interviews.change_candidate",
        "interviews.view_interview",
        "interviews.add_interview",
        "interviews.change_interview",
        "interviews.view_interviewplan",
        "scoring.compare_candidates",
        "scoring.view_exposure",
        "questionbank.view_question",
        "questionbank.practise_sampleanswer",
    ],
}


def ensure_role_groups(sender=None, **kwargs):
    """Create the role groups and (re)grant exactly their permissions. Idempotent; runs after
    every migrate, once the last installed app has its permissions (django.contrib.auth creates
    them per app, in the same post_migrate signal)."""
    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return
    for role, group_name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        perms = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm:
                perms.append(perm)
        group.permissions.set(perms)


def roles_of(user):
    """The roles a user holds, as Role values (admins hold none of them but see everything)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_panelist_roles"):
        load_access(user)
    return user._panelist_roles


def load_access(user):
    """Read what ``user`` may do, once per request (the user object lives as long as the
    request: the navbar's badge, the dashboards, the views and the permission checks ask
    again): their roles (``roles_of``) and, unless they are an admin, their permissions, their
    own and their roles' (``backends.RoleBackend``), in one statement."""
    names, perms = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk, user.pk])
        for name, app_label, codename in cursor.fetchall():
            if name:
                names.add(name)
            if codename:
                perms.add(f"{app_label}.{codename}")
    user._panelist_roles = [role for role, name in GROUP_NAMES.items() if name in names]
    if not user.is_superuser:  # admins have every permission: RoleBackend reads them all
        user._perm_cache = perms


def _access_sql():
    """The user's role names with their permissions, and their own permissions (name '').

    In SQL because it runs on every signed-in request: the same statement through the ORM (a
    union of two values_list querysets) took ~0.95 ms to build and run, ~0.15 ms written
    here (bench database, 5 December), ~10% of the scorecard submit's time."""
    user_model = get_user_model()
    table = {
        name: connection.ops.quote_name(model._meta.db_table) for name, model in (
            ("member", user_model.groups.through), ("group", Group), ("granted", Group.permissions.through),
            ("own", user_model.user_permissions.through), ("perm", Permission), ("type", ContentType),
        )
    }
    return f"""
        SELECT g.name, t.app_label, p.codename
          FROM {table["member"]} m
          JOIN {table["group"]} g ON g.id = m.group_id
          LEFT JOIN {table["granted"]} gp ON gp.group_id = g.id
          LEFT JOIN {table["perm"]} p ON p.id = gp.permission_id
          LEFT JOIN {table["type"]} t ON t.id = p.content_type_id
         WHERE m.user_id = %s
        UNION ALL
        SELECT '', t.app_label, p.codename
          FROM {table["own"]} o
          JOIN {table["perm"]} p ON p.id = o.permission_id
          JOIN {table["type"]} t ON t.id = p.content_type_id
         WHERE o.user_id = %s
    """


def assign_role(user, role):
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
    forget_access(user)


def forget_access(user):
    """Drop what ``load_access`` and Django's ModelBackend read, so the next check reads
    again (after a change of roles or permissions)."""
    for cached in ("_panelist_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)
