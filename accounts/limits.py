"""Weekly interview limits: how many interviews a week a person may sit on before scheduling
warns (interviews/load.py counts them). A person's own limit, set on their People page, comes
first; otherwise the largest limit of their roles (an admin sets a role's on
/people/interview-limits/, else the built-in figure below). Interviewers tire, and a tired
interviewer scores worse: the limit is a warning, never a refusal, as a recruiter may have no
one else that week."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Profile, RoleInterviewLimit, audit
from .roles import GROUP_NAMES, Role

# Interviews a week until an admin changes a role's figure. Interviewers sit on most panels; a
# hiring manager and a recruiter also run the rest of the hiring. Someone with no role (an
# admin only) gets the interviewer's.
DEFAULT_WEEKLY_LIMITS = {Role.INTERVIEWER: 5, Role.HIRING_MANAGER: 4, Role.RECRUITER: 3}


def role_weekly_limits():
    """Each role's weekly limit: the admin's figure where set, else the built-in one. One query."""
    changed = dict(RoleInterviewLimit.objects.values_list("group__name", "weekly_limit"))
    return {role: changed.get(GROUP_NAMES[role], DEFAULT_WEEKLY_LIMITS[role]) for role in Role}


def limit_of(*, own, roles, by_role):
    """A person's weekly limit: ``own`` (their profile's) when set, else the largest of their
    ``roles``' (Role values; others, such as admin, are ignored) in ``by_role``
    (``role_weekly_limits``), else the interviewer's."""
    return own or max((by_role[Role(role)] for role in roles if role in Role.values),
                      default=by_role[Role.INTERVIEWER])


def weekly_limits(user_ids):
    """{user id: weekly limit} for ``user_ids`` (``limit_of``), in three queries whatever their
    number."""
    by_role = role_weekly_limits()
    role_of_group = {name: role for role, name in GROUP_NAMES.items()}
    roles = {user_id: [] for user_id in user_ids}
    memberships = (get_user_model().groups.through.objects
                   .filter(user_id__in=roles, group__name__in=role_of_group).values_list("user_id", "group__name"))
    for user_id, group in memberships:
        roles[user_id].append(role_of_group[group])
    own = dict(Profile.objects.filter(user_id__in=roles, weekly_interview_limit__isnull=False)
               .values_list("user_id", "weekly_interview_limit"))
    return {user_id: limit_of(own=own.get(user_id), roles=held, by_role=by_role) for user_id, held in roles.items()}


@transaction.atomic
def role_weekly_limits_set(*, by, limits):
    """Set the roles' weekly limits ({Role value: limit}); a figure equal to the built-in one
    removes the admin's row, so later changes of the built-in figure reach that role. Returns
    the roles whose limit changed."""
    before = role_weekly_limits()
    changed = sorted(role for role, limit in limits.items() if before[Role(role)] != limit)
    for role in changed:
        group = Group.objects.get(name=GROUP_NAMES[role])
        if limits[role] == DEFAULT_WEEKLY_LIMITS[Role(role)]:
            RoleInterviewLimit.objects.filter(group=group).delete()
        else:
            RoleInterviewLimit.objects.update_or_create(group=group, defaults={"weekly_limit": limits[role], "set_by": by})
    if changed:
        audit(actor=by, action="people.interview_limits_changed", target="roles",
              limits={role: limits[role] for role in changed})
    return changed


def person_set_weekly_limit(*, by, user, limit):
    """Set one person's own weekly limit, or with ``None`` go back to their roles'. Returns
    whether it changed."""
    profile, _ = Profile.objects.get_or_create(user=user)
    if profile.weekly_interview_limit == limit:
        return False
    profile.weekly_interview_limit = limit
    profile.full_clean(exclude=["calendar_token", "time_zone", "user"])
    profile.save(update_fields=["weekly_interview_limit"])
    audit(actor=by, action="people.interview_limit_changed", target=f"user {user.pk}", limit=limit)
    return True
