"""The People pages (/people/): the list of accounts, inviting a colleague, one person's page
(roles, deactivation, two-factor, weekly interview limit), the roles that require two-factor
and the roles' weekly interview limits; and the invitation
link's page, where the invited person chooses a password. For admins, or whoever an admin
gives the "Can manage people" permission (accounts.manage_people); the rules are in
accounts/people.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import InviteForm, PersonLimitForm, RoleLimitsForm, RolesForm, RoleTwoFactorForm
from .limits import limit_of, person_set_weekly_limit, role_weekly_limits, role_weekly_limits_set, weekly_limits
from .models import AuditEvent, Profile, RoleTwoFactor
from .oidc import local_password_allowed
from .people import (
    ADMIN,
    PeopleError,
    invitation_accept,
    invitation_user,
    people_invite,
    people_invite_again,
    person_deactivate,
    person_reactivate,
    person_require_two_factor,
    person_reset_two_factor,
    person_set_roles,
    role_two_factor_set,
    roles_held,
)
from .roles import GROUP_NAMES, Role
from .two_factor import REQUIRED_GROUP, recovery_codes_left

PER_PAGE = 25
ROLE_LABELS = {**{role.value: role.label for role in Role}, ADMIN: "Admin"}


def _manager_only(request):
    if not request.user.has_perm("accounts.manage_people"):
        raise PermissionDenied("The People pages are for admins.")


def _people():
    """Accounts with what the pages show of them, in three statements whatever their number
    (the count, the page with its two-factor facts, the page's groups)."""
    return (
        get_user_model().objects
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            required_self=Exists(Group.objects.filter(user=OuterRef("pk"), name=REQUIRED_GROUP)),
            required_by_role=Exists(Group.objects.filter(user=OuterRef("pk"), two_factor_rule__isnull=False)),
        )
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("pk", "name")))
    )


def _labelled(user):
    user.role_values = roles_held(user)
    user.role_labels = [ROLE_LABELS[value] for value in user.role_values]
    user.invited = not user.has_usable_password() and user.last_login is None
    return user


@require_GET
def people_list(request):
    _manager_only(request)
    query = request.GET.get("q", "").strip()[:100]
    people = _people().order_by("-is_active", "first_name", "last_name", "username")
    if query:
        people = people.filter(Q(username__icontains=query) | Q(email__icontains=query)
                               | Q(first_name__icontains=query) | Q(last_name__icontains=query))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    for user in page.object_list:
        _labelled(user)
    return render(request, "accounts/people/list.html", {
        "page": page, "query": query, "querystring": f"q={query}" if query else "",
    })


def people_invite_view(request):
    _manager_only(request)
    form = InviteForm(request.POST if request.method == "POST" else None, with_admin=request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        user = people_invite(by=request.user, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                             roles=[r for r in form.cleaned_data["roles"] if r != ADMIN])
        if ADMIN in form.cleaned_data["roles"]:
            person_set_roles(by=request.user, user=user, roles=form.cleaned_data["roles"])
        messages.success(request, f"Invited {user.get_full_name()}: an invitation is on its way to {user.email}, with "
                                  "a link to choose a password.")
        return redirect("person_detail", pk=user.pk)
    return render(request, "accounts/people/invite.html", {"form": form}, status=400 if form.errors else 200)


def _name(person):
    """How the page's messages name a person: their name, else their username."""
    return person.get_full_name() or person.get_username()


def _person(request, pk):
    _manager_only(request)
    return _labelled(get_object_or_404(_people(), pk=pk))


@require_GET
def person_detail(request, pk):
    person = _person(request, pk)
    return _detail_page(request, person)


def _detail_page(request, person, *, roles_form=None, limit_form=None, status=200):
    events = AuditEvent.objects.filter(target=f"user {person.pk}").select_related("actor")[:15]
    own_limit = Profile.objects.filter(user=person).values_list("weekly_interview_limit", flat=True).first()
    return render(request, "accounts/people/detail.html", {
        "person": person,
        "roles_form": roles_form or RolesForm(initial={"roles": person.role_values},
                                              with_admin=request.user.is_superuser),
        "limit_form": limit_form or PersonLimitForm(initial={"weekly_limit": own_limit}),
        "own_limit": own_limit,
        "weekly_limit": limit_of(own=own_limit, roles=person.role_values, by_role=role_weekly_limits()),
        "codes_left": recovery_codes_left(person) if person.has_device else 0,
        "events": events,
        "is_self": person.pk == request.user.pk,
    }, status=status)


def _back(request, person, action):
    """Run ``action`` (a People service call) and go back to the person's page with its outcome."""
    try:
        done = action()
    except PeopleError as refusal:
        messages.error(request, str(refusal))
    else:
        if done:
            messages.success(request, done)
    return redirect("person_detail", pk=person.pk)


@require_POST
def person_roles(request, pk):
    person = _person(request, pk)
    form = RolesForm(request.POST, with_admin=request.user.is_superuser)
    if not form.is_valid():
        return _detail_page(request, person, roles_form=form, status=400)

    def change():
        added, removed = person_set_roles(by=request.user, user=person, roles=form.cleaned_data["roles"])
        if not (added or removed):
            return f"{_name(person)} already had exactly these roles."
        words = [f"gave {', '.join(ROLE_LABELS[r] for r in added)}" if added else "",
                 f"took {', '.join(ROLE_LABELS[r] for r in removed)}" if removed else ""]
        return f"Saved: {' and '.join(w for w in words if w)}. Their pages change at their next click."

    return _back(request, person, change)


@require_POST
def person_weekly_limit(request, pk):
    person = _person(request, pk)
    form = PersonLimitForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, person, limit_form=form, status=400)
    limit = form.cleaned_data["weekly_limit"]

    def change():
        if not person_set_weekly_limit(by=request.user, user=person, limit=limit):
            return "Nothing changed."
        if limit is None:
            return f"{_name(person)} now has their roles' weekly limit ({weekly_limits([person.pk])[person.pk]} interviews)."
        return f"{_name(person)} may now sit on {limit} interview{'s' if limit != 1 else ''} a week before scheduling warns."

    return _back(request, person, change)


@require_POST
def person_deactivate_view(request, pk):
    person = _person(request, pk)

    def change():
        person_deactivate(by=request.user, user=person)
        return f"Deactivated {_name(person)}: they were signed out everywhere and cannot sign in."

    return _back(request, person, change)


@require_POST
def person_reactivate_view(request, pk):
    person = _person(request, pk)

    def change():
        person_reactivate(by=request.user, user=person)
        return f"Reactivated {_name(person)}: they can sign in again."

    return _back(request, person, change)


@require_POST
def person_two_factor_required(request, pk):
    person = _person(request, pk)
    required = request.POST.get("required")
    if required not in ("1", "0"):
        messages.error(request, "Choose whether two-factor sign-in is required, with the page's buttons.")
        return redirect("person_detail", pk=person.pk)

    def change():
        person_require_two_factor(by=request.user, user=person, required=required == "1")
        if required == "1":
            return (f"{_name(person)} must now use two-factor sign-in: without it set up, their next click "
                    "takes them to set it up.")
        return f"Two-factor sign-in is no longer required of {_name(person)} (their roles may still require it)."

    return _back(request, person, change)


@require_POST
def person_two_factor_reset(request, pk):
    person = _person(request, pk)

    def change():
        person_reset_two_factor(by=request.user, user=person)
        return (f"Reset two-factor sign-in of {_name(person)}: their authenticator app and recovery codes "
                "no longer work. They sign in with their password and set it up again.")

    return _back(request, person, change)


@require_POST
def person_invite_again(request, pk):
    person = _person(request, pk)

    def change():
        people_invite_again(by=request.user, user=person)
        return f"Sent a new invitation to {person.email}. The earlier link no longer works."

    return _back(request, person, change)


def people_two_factor(request):
    """Which roles must use two-factor sign-in."""
    _manager_only(request)
    names = set(RoleTwoFactor.objects.values_list("group__name", flat=True))
    required = [role for role, name in GROUP_NAMES.items() if name in names]
    # Bound on every POST: an empty one (no role ticked) is a valid choice.
    form = RoleTwoFactorForm(request.POST if request.method == "POST" else None,
                             initial={"roles": [r.value for r in required]})
    if request.method == "POST" and form.is_valid():
        added, removed = role_two_factor_set(by=request.user, roles=form.cleaned_data["roles"])
        if added or removed:
            messages.success(request, "Saved. Everyone with a role that requires two-factor sign-in and without it set "
                                      "up is asked to set it up at their next click.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("people_two_factor")
    return render(request, "accounts/people/two_factor.html", {"form": form}, status=400 if form.errors else 200)


def people_interview_limits(request):
    """How many interviews a week each role's members may sit on before scheduling warns."""
    _manager_only(request)
    current = role_weekly_limits()
    form = RoleLimitsForm(request.POST if request.method == "POST" else None,
                          initial={role.value: limit for role, limit in current.items()})
    if request.method == "POST" and form.is_valid():
        if role_weekly_limits_set(by=request.user, limits=form.cleaned_data):
            messages.success(request, "Saved. Scheduling warns from now on when a panelist would pass their "
                                      "role's new limit; people with a limit of their own keep it.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("people_interview_limits")
    return render(request, "accounts/people/interview_limits.html", {"form": form},
                  status=400 if form.errors else 200)


@login_not_required  # the invited person has no password yet; the signed link is the key
@never_cache
def invitation_accept_view(request, token):
    """The invitation link: choose a password, and be signed in."""
    try:
        user = invitation_user(token)
    except PeopleError as refusal:
        return render(request, "accounts/people/invitation_invalid.html", {"reason": str(refusal)}, status=400)
    if not local_password_allowed(user.get_username()):  # single sign-on replaces passwords here
        return render(request, "accounts/people/invitation_accept.html",
                      {"invited": user, "passwords_off": True, "provider": settings.PANELIST_OIDC_PROVIDER_NAME,
                       "show_button": True}, status=403 if request.method == "POST" else 200)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="accounts.backends.RoleBackend")
        messages.success(request, f"Welcome to Panelist, {user.get_full_name() or user.get_username()}. Your password "
                                  f"is set: next time, sign in as {user.get_username()}.")
        return redirect("home")
    return render(request, "accounts/people/invitation_accept.html", {"form": form, "invited": user,
                                                                     "action": reverse("invitation_accept", args=[token])},
                  status=400 if form.errors else 200)
