"""Managing people in the app (the People pages, /people/): invitations, roles, deactivation,
two-factor requirements and resets. Every change is audited with the admin who made it
(docs/security.md, People).

An invitation is a signed link (django.core.signing, salted for this purpose) that names the
user and a digest of their password hash: it expires after PANELIST_INVITATION_DAYS, and dies
once used (setting the password changes the hash) or when a newer invitation replaces the
unusable password it was made for.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from mail.services import message_queue

from .models import RoleTwoFactor, audit, profile_of, zone_of
from .roles import GROUP_NAMES, Role, forget_access
from .two_factor import REQUIRED_GROUP, STATE, two_factor_remove

INVITATION_SALT = "accounts.people.invitation"
ADMIN = "admin"  # the admin "role" on the People pages: a superuser (and staff, for the Django admin)


class PeopleError(Exception):
    """A change the People pages refuse, with the words to show."""


# --- Invitations ------------------------------------------------------------------------------

def _password_digest(user):
    return salted_hmac(INVITATION_SALT, user.password).hexdigest()[:20]


def invitation_token(user):
    """The signed token of ``user``'s invitation link."""
    return signing.dumps({"u": user.pk, "p": _password_digest(user)}, salt=INVITATION_SALT, compress=True)


def invitation_url(user):
    return settings.PANELIST_BASE_URL + reverse("invitation_accept", args=[invitation_token(user)])


def invitation_user(token):
    """The user an invitation link is for, or raises PeopleError saying why it does not work."""
    max_age = settings.PANELIST_INVITATION_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise PeopleError(f"This invitation link has expired (links work for {settings.PANELIST_INVITATION_DAYS} "
                          "days). Ask your administrator to send a new one.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise PeopleError("This invitation link is not valid: check that you copied all of it from the mail.") from None
    user = get_user_model().objects.filter(pk=data.get("u") if isinstance(data, dict) else None).first()
    if user is None or not constant_time_compare(str(data.get("p", "")), _password_digest(user)):
        raise PeopleError("This invitation link has already been used or was replaced by a newer one. Sign in with "
                          "your password, or ask your administrator to send a new invitation.")
    if not user.is_active:
        raise PeopleError("This account has been deactivated. Ask your administrator if you need access.")
    return user


def _send_invitation(*, user, by):
    sso = getattr(settings, "PANELIST_SSO_ENABLED", False)  # set by the single sign-on part when configured
    message_queue(
        key=f"people_invitation:{user.pk}:{uuid.uuid4().hex}", reason="people_invitation", recipient=user,
        time_zone=zone_of(user), template="people_invitation",
        context={"invited_by": by.get_full_name() or by.get_username(), "url": invitation_url(user),
                 "days": settings.PANELIST_INVITATION_DAYS, "sso": sso,
                 "login_url": settings.PANELIST_BASE_URL + reverse("login")},
    )


@transaction.atomic
def people_invite(*, by, name, email, roles):
    """Create an account for ``email`` with ``roles`` and an unusable password, and queue the
    invitation mail with its link to choose a password. Returns the user."""
    first, _, last = name.strip().partition(" ")
    user = get_user_model().objects.create_user(username=email.lower(), email=email, first_name=first[:150],
                                                last_name=last.strip()[:150])  # no password: unusable
    profile_of(user)
    for role in roles:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
    audit(actor=by, action="people.invited", target=f"user {user.pk}", roles=sorted(roles))
    _send_invitation(user=user, by=by)
    return user


@transaction.atomic
def people_invite_again(*, by, user):
    """A new invitation link for someone who has not chosen a password yet; the old one dies."""
    if user.has_usable_password() or user.last_login:
        raise PeopleError(f"{user.get_username()} has already set a password: they can reset it from the sign-in page.")
    if not user.is_active:
        raise PeopleError("Reactivate the account before inviting them again.")
    user.set_unusable_password()  # a new random marker: the earlier link's digest no longer matches
    user.save(update_fields=["password"])
    audit(actor=by, action="people.invited_again", target=f"user {user.pk}")
    _send_invitation(user=user, by=by)


@transaction.atomic
def invitation_accept(*, user, password):
    """Set the invited user's password (the link dies with the old hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=user, action="people.invitation_accepted", target=f"user {user.pk}")


# --- Roles and access -------------------------------------------------------------------------

def roles_held(user):
    """The People page's role values of ``user``: their Role values, and "admin" for a superuser
    (reads ``user.groups.all()``, prefetched by the pages)."""
    names = {group.name for group in user.groups.all()}
    held = [role.value for role, name in GROUP_NAMES.items() if name in names]
    return held + ([ADMIN] if user.is_superuser else [])


def _check_may_change(by, user):
    if user.is_superuser and not by.is_superuser:
        raise PeopleError("Only an admin can change an admin's account.")


@transaction.atomic
def person_set_roles(*, by, user, roles):
    """Give ``user`` exactly ``roles`` (Role values, and "admin"). Refuses to take the admin
    role from oneself, and lets only admins give or take it. Returns (added, removed)."""
    _check_may_change(by, user)
    wanted, held = set(roles), set(roles_held(user))
    added, removed = sorted(wanted - held), sorted(held - wanted)
    if ADMIN in removed and user.pk == by.pk:
        raise PeopleError("You cannot remove the admin role from yourself: ask another admin to do it.")
    if ADMIN in added + removed and not by.is_superuser:
        raise PeopleError("Only an admin can give or take the admin role.")
    groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_NAMES.values())}
    for role in added:
        if role != ADMIN:
            user.groups.add(groups[GROUP_NAMES[Role(role)]])
    for role in removed:
        if role != ADMIN:
            user.groups.remove(groups[GROUP_NAMES[Role(role)]])
    if ADMIN in added + removed:
        user.is_superuser = user.is_staff = ADMIN in wanted
        user.save(update_fields=["is_superuser", "is_staff"])
    forget_access(user)
    if added or removed:
        audit(actor=by, action="people.roles_changed", target=f"user {user.pk}", added=added, removed=removed)
    return added, removed


def _live_sessions(user=None):
    """The unexpired sessions (of ``user``, if given) with their data. The session table is not
    indexed by user, so this reads every live session: a few hundred rows for a team's tool,
    read only when an admin changes someone's access."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if user is None or data.get("_auth_user_id") == str(user.pk):
            yield session, data


def sessions_end(*, user):
    """Sign ``user`` out everywhere at once: delete their sessions. Returns how many ended."""
    keys = [session.session_key for session, _ in _live_sessions(user)]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def sessions_recheck_two_factor(*, user=None):
    """Make the two-factor middleware read the facts again at the next request of ``user``'s
    sessions (or everyone's): it otherwise decides from what it read at sign-in."""
    for session, data in _live_sessions(user):
        if data.pop(STATE, None) is not None:
            session.session_data = Session.objects.encode(data)
            session.save(update_fields=["session_data"])


@transaction.atomic
def person_deactivate(*, by, user):
    """Deactivate ``user``: they cannot sign in, and their open sessions end now (API tokens
    refuse inactive users)."""
    if user.pk == by.pk:
        raise PeopleError("You cannot deactivate your own account: ask another admin to do it.")
    _check_may_change(by, user)
    if not user.is_active:
        raise PeopleError(f"{user.get_username()} is already deactivated.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end(user=user)
    audit(actor=by, action="people.deactivated", target=f"user {user.pk}", sessions_ended=ended)


@transaction.atomic
def person_reactivate(*, by, user):
    _check_may_change(by, user)
    if user.is_active:
        raise PeopleError(f"{user.get_username()} is already active.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit(actor=by, action="people.reactivated", target=f"user {user.pk}")


@transaction.atomic
def person_require_two_factor(*, by, user, required):
    """Require two-factor of ``user`` (the "Two-factor required" group), or stop requiring it
    (their roles may still require it)."""
    _check_may_change(by, user)
    group, _ = Group.objects.get_or_create(name=REQUIRED_GROUP)
    if required:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    sessions_recheck_two_factor(user=user)
    audit(actor=by, action="people.two_factor_required" if required else "people.two_factor_not_required",
          target=f"user {user.pk}")


@transaction.atomic
def person_reset_two_factor(*, by, user):
    """Remove ``user``'s authenticator app and recovery codes (a lost phone): they sign in with
    their password and, if two-factor is required of them, set it up again."""
    _check_may_change(by, user)
    two_factor_remove(user=user)
    sessions_recheck_two_factor(user=user)
    audit(actor=by, action="people.two_factor_reset", target=f"user {user.pk}")


@transaction.atomic
def role_two_factor_set(*, by, roles):
    """Require two-factor of exactly the members of ``roles`` (Role values). Returns (added, removed)."""
    groups = {role: Group.objects.get(name=GROUP_NAMES[role]) for role in Role}
    names = set(RoleTwoFactor.objects.values_list("group__name", flat=True))
    current = {Role(role) for role, name in GROUP_NAMES.items() if name in names}
    wanted = {Role(role) for role in roles}
    for role in wanted - current:
        RoleTwoFactor.objects.create(group=groups[role], set_by=by)
    RoleTwoFactor.objects.filter(group__in=[groups[role] for role in current - wanted]).delete()
    added, removed = sorted(r.value for r in wanted - current), sorted(r.value for r in current - wanted)
    if added or removed:
        sessions_recheck_two_factor()
        audit(actor=by, action="people.role_two_factor_changed", target="roles", required=sorted(r.value for r in wanted),
              added=added, removed=removed)
    return added, removed
