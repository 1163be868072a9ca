"""interviews/auth_backend.py: the same permissions as Django's ModelBackend, in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from interviews.auth_backend import OneQueryModelBackend
from accounts.roles import GROUP_NAMES, Role, assign_role, roles_of

from ..conftest import make_user

User = get_user_model()


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_it_grants_exactly_what_model_backend_grants(db, role):
    user = make_user("someone", role)
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))  # a direct grant too
    ours, django = OneQueryModelBackend(), ModelBackend()
    a, b = fresh(user), fresh(user)
    assert ours.get_all_permissions(a) == django.get_all_permissions(b)
    assert ours.get_user_permissions(a) == django.get_user_permissions(b) == {"scoring.view_auditevent"}
    assert ours.get_group_permissions(a) == django.get_group_permissions(b)
    assert ours.get_group_permissions(a)  # every role holds some permissions


def test_permissions_and_roles_cost_one_query_per_request(db, django_assert_num_queries):
    user = fresh(make_user("hm", Role.HIRING_MANAGER))
    with django_assert_num_queries(1):
        assert user.has_perm("scoring.view_calibration")
        assert not user.has_perm("scoring.add_scorecard")
        assert roles_of(user) == [Role.HIRING_MANAGER]
        assert user.get_all_permissions()


def test_a_user_without_groups_or_an_inactive_user_holds_nothing(db):
    assert fresh(make_user("nobody")).get_all_permissions() == set()
    assert roles_of(fresh(make_user("nobody2"))) == []
    inactive = make_user("gone", Role.HIRING_MANAGER, is_active=False)
    assert not fresh(inactive).has_perm("scoring.view_calibration")


def test_a_superuser_still_holds_every_permission(db):
    admin = fresh(User.objects.create_superuser("root", "root@example.com", "a-long-test-password-1"))
    assert admin.has_perm("questionbank.delete_question")
    assert OneQueryModelBackend().get_all_permissions(admin) == ModelBackend().get_all_permissions(fresh(admin))


def test_assigning_a_role_applies_to_the_same_user_object(db):
    user = fresh(make_user("later"))
    assert roles_of(user) == [] and not user.has_perm("scoring.add_scorecard")
    assign_role(user, Role.INTERVIEWER)
    assert roles_of(user) == [Role.INTERVIEWER]
    assert user.has_perm("scoring.add_scorecard")
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.INTERVIEWER]}
