"""Roles (accounts/roles.py) on Django's ModelBackend (accounts.backends.RoleBackend): each role
reaches its pages and no other, a role change applies from the next request, and a page reads
the user's permissions and roles once however many checks it makes."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse

from accounts.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role, roles_of

from ..conftest import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

CALIBRATION = reverse("scoring:calibration")
POSITIONS = reverse("interviews:position_list")
NEW_POSITION = reverse("interviews:position_create")


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_it_grants_each_role_exactly_its_listed_permissions(role):
    user = fresh(make_user("someone", role))
    assert user.get_all_permissions() == set(ROLE_PERMISSIONS[role])
    assert roles_of(user) == [role]


@pytest.mark.parametrize(("role", "calibration", "positions", "new_position"), [
    (Role.HIRING_MANAGER, 200, 200, 403),
    (Role.INTERVIEWER, 403, 403, 403),
    (Role.RECRUITER, 403, 200, 200),
])
def test_it_opens_each_role_its_pages_and_refuses_the_others(client, role, calibration, positions, new_position):
    client.force_login(make_user("someone", role))
    assert client.get(CALIBRATION).status_code == calibration
    assert client.get(POSITIONS).status_code == positions
    assert client.get(NEW_POSITION).status_code == new_position


def test_it_shows_the_role_in_the_header(client, recruiter):
    client.force_login(recruiter)
    assert '<span class="badge text-bg-secondary">Recruiter</span>' in client.get(POSITIONS).content.decode()


def test_a_removed_role_takes_effect_on_the_next_request(client, recruiter):
    client.force_login(recruiter)
    assert client.get(POSITIONS).status_code == 200
    recruiter.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.RECRUITER]))
    assert client.get(POSITIONS).status_code == 403
    assert "Recruiter" not in client.get(reverse("home")).content.decode()


def test_an_added_role_takes_effect_on_the_next_request(client, outsider):
    client.force_login(outsider)
    assert client.get(CALIBRATION).status_code == 403
    outsider.groups.add(Group.objects.get(name=GROUP_NAMES[Role.HIRING_MANAGER]))
    assert client.get(CALIBRATION).status_code == 200


def test_a_direct_permission_counts_as_well_as_a_role(client, interviewer):
    interviewer.user_permissions.add(Permission.objects.get(content_type__app_label="scoring", codename="view_calibration"))
    client.force_login(interviewer)
    assert client.get(CALIBRATION).status_code == 200
    user = fresh(interviewer)
    assert user.get_all_permissions() == {*ROLE_PERMISSIONS[Role.INTERVIEWER], "scoring.view_calibration"}
    assert roles_of(user) == [Role.INTERVIEWER]


def test_a_direct_permission_alone_gives_no_role(outsider):
    outsider.user_permissions.add(Permission.objects.get(content_type__app_label="scoring", codename="view_calibration"))
    user = fresh(outsider)
    assert roles_of(user) == [] and user.get_all_permissions() == {"scoring.view_calibration"}


def test_a_role_given_in_the_request_applies_to_the_next_check(outsider):
    from accounts.roles import assign_role
    user = fresh(outsider)
    assert not user.has_perm("scoring.view_calibration") and roles_of(user) == []
    assign_role(user, Role.HIRING_MANAGER)
    assert user.has_perm("scoring.view_calibration") and roles_of(user) == [Role.HIRING_MANAGER]


def test_a_user_without_groups_or_an_inactive_user_holds_nothing():
    assert fresh(make_user("nobody")).get_all_permissions() == set()
    assert roles_of(fresh(make_user("nobody2"))) == []
    inactive = make_user("gone", Role.HIRING_MANAGER, is_active=False)
    assert not fresh(inactive).has_perm("scoring.view_calibration")


def test_a_superuser_holds_every_permission_and_no_role(admin_user):
    admin = fresh(admin_user)
    assert admin.has_perm("questionbank.delete_question") and admin.has_perm("accounts.view_auditevent")
    assert roles_of(admin) == []


def _access_queries(queries):
    return [q["sql"] for q in queries if '"auth_permission"' in q["sql"] or '"auth_group"' in q["sql"]]


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.RECRUITER])
def test_a_page_reads_permissions_and_roles_once_however_many_checks_it_makes(client, role):
    # The positions page checks several permissions (view, menu entries, the "new" button) and
    # shows the role badge: the user's roles and permissions (their own and their roles') are
    # read in one query (accounts.roles.load_access), once per request, where Django's
    # ModelBackend and roles_of used to take three.
    client.force_login(make_user("someone", role))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(POSITIONS).status_code == 200
    assert len(_access_queries(queries)) == 1, _access_queries(queries)
