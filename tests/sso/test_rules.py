"""The rules of single sign-on (accounts/oidc.py), without a provider: the id token checks the
library leaves to us, the group to role mapping applied at every sign-in, who is created, and
that the backend changes nothing about permissions."""


import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import AuditEvent
from accounts.oidc import ProviderBackend, SignInRefused, check_id_token_claims, roles_from_groups, user_roles_sync
from accounts.roles import GROUP_NAMES, Role, assign_role, roles_of
from accounts.two_factor import REQUIRED_GROUP
from tests.conftest import make_user
from tests.sso.conftest import ROLE_MAP, sso_settings

ISSUER = "https://login.example.com/o"
NOW = 1_800_000_000


def token(**changes):
    claims = {"iss": ISSUER, "aud": "panelist", "sub": "42", "iat": NOW - 5, "exp": NOW + 300, "nonce": "n"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def refusal(payload):
    with pytest.raises(SignInRefused) as caught:
        check_id_token_claims(payload, issuer=ISSUER, client_id="panelist", now=NOW)
    return caught.value.reason


def test_a_token_for_us_from_our_issuer_passes():
    check_id_token_claims(token(), issuer=ISSUER, client_id="panelist", now=NOW)
    check_id_token_claims(token(aud=["panelist", "api"], azp="panelist"), issuer=ISSUER, client_id="panelist", now=NOW)
    check_id_token_claims(token(iss=ISSUER + "/"), issuer=ISSUER, client_id="panelist", now=NOW)


@pytest.mark.parametrize(("changes", "reason"), [
    ({"aud": "another-application"}, "audience"),
    ({"aud": ["another-application"]}, "audience"),
    ({"aud": None}, "audience"),
    ({"aud": ["panelist", "api"]}, "audience"),  # several audiences need azp = us
    ({"aud": ["panelist", "api"], "azp": "api"}, "audience"),
    ({"azp": "api"}, "audience"),
    ({"exp": NOW - 1}, "expired"),
    ({"exp": NOW}, "expired"),
    ({"exp": None}, "token"),
    ({"exp": "tomorrow"}, "token"),
    ({"iat": None}, "token"),
    ({"iat": NOW + 3600}, "token"),
    ({"iss": "https://evil.example.com/o"}, "token"),
    ({"iss": None}, "token"),
    ({"sub": ""}, "token"),
])
def test_a_token_not_for_us_or_not_current_is_refused(changes, reason):
    assert refusal(token(**changes)) == reason


@pytest.mark.parametrize(("groups", "roles"), [
    (["ml-hiring", "book-club"], ["hiring_manager"]),
    (["ml-panel", "talent"], ["interviewer", "recruiter"]),
    ("ml-panel", ["interviewer"]),
    ([], []),
    (None, []),
    ({"ml-hiring": True}, []),
    ([["ml-hiring"], 7], []),
    (["ML-HIRING"], []),  # group names are compared exactly, as providers send them
])
def test_groups_map_to_roles(groups, roles):
    assert roles_from_groups(groups, ROLE_MAP) == roles


@pytest.mark.django_db
def test_roles_follow_the_groups_added_and_removed_and_other_groups_stay():
    user = make_user("alice@acme.test", Role.INTERVIEWER)
    required = Group.objects.create(name=REQUIRED_GROUP)
    user.groups.add(required)
    assert roles_of(user) == [Role.INTERVIEWER]
    added, removed = user_roles_sync(user=user, roles=["hiring_manager", "recruiter"], groups=["ml-hiring", "talent"])
    assert added == [GROUP_NAMES[Role.HIRING_MANAGER], GROUP_NAMES[Role.RECRUITER]]
    assert removed == [GROUP_NAMES[Role.INTERVIEWER]]
    assert roles_of(user) == [Role.HIRING_MANAGER, Role.RECRUITER]  # read again: forget_access
    assert user.groups.filter(pk=required.pk).exists()
    event = AuditEvent.objects.filter(action="sso.roles_synced").get()
    assert event.target == f"user {user.pk}" and event.detail["groups"] == ["ml-hiring", "talent"]
    assert user_roles_sync(user=user, roles=["hiring_manager", "recruiter"]) == ([], [])
    assert AuditEvent.objects.filter(action="sso.roles_synced").count() == 1  # nothing changed, nothing audited
    user_roles_sync(user=user, roles=[])
    assert roles_of(user) == []


@pytest.fixture
def backend(settings):
    sso_settings(settings, issuer=ISSUER)
    return ProviderBackend()


def claims(email="alice@acme.test", groups=("ml-hiring",), **extra):
    return {"sub": "42", "email": email, "email_verified": True, "given_name": "Alice", "family_name": "Archer",
            "groups": list(groups), **extra}


@pytest.mark.django_db
def test_a_new_person_of_an_allowed_domain_is_created_with_the_mapped_roles(backend):
    assert backend.verify_claims(claims())
    user = backend.create_user(claims())
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "alice@acme.test", "alice@acme.test", "Alice", "Archer")
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert roles_of(user) == [Role.HIRING_MANAGER]
    assert AuditEvent.objects.filter(action="sso.user_created", target=f"user {user.pk}").exists()


@pytest.mark.django_db
def test_a_local_username_taken_gets_a_number(backend):
    make_user("alice@acme.test", email="someone-else@acme.test")
    assert backend.create_user(claims()).username == "alice@acme.test-2"


@pytest.mark.django_db
def test_an_existing_person_gets_the_roles_of_this_sign_in(backend):
    user = make_user("alice", Role.RECRUITER, email="Alice@Acme.test")
    [found] = backend.filter_users_by_claims(claims())
    assert found == user
    backend.update_user(found, claims(groups=["ml-panel"]))
    assert roles_of(found) == [Role.INTERVIEWER]


@pytest.mark.parametrize(("claim_changes", "reason"), [
    ({"email": "olga@elsewhere.test"}, "domain"),
    ({"email": "olga@acme.test.elsewhere.test"}, "domain"),
    ({"email": "olga@sub.acme.test"}, "domain"),
    ({"email": None}, "email"),
    ({"email": ["alice@acme.test"]}, "email"),
    ({"email_verified": False}, "unverified"),
])
def test_claims_that_do_not_qualify_are_refused(backend, claim_changes, reason):
    with pytest.raises(SignInRefused) as caught:
        backend.verify_claims(claims(**claim_changes))
    assert caught.value.reason == reason


@pytest.mark.django_db
def test_two_accounts_with_the_address_or_a_deactivated_one_are_refused(backend):
    user = make_user("a1", email="alice@acme.test")
    user.is_active = False
    user.save()
    with pytest.raises(SignInRefused, match="inactive"):
        backend.update_user(user, claims())
    make_user("a2", email="ALICE@acme.test")
    with pytest.raises(SignInRefused, match="ambiguous"):
        backend.filter_users_by_claims(claims())


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_provider(backend, rf):
    request = rf.post("/login/?code=x&state=y")
    assert backend.authenticate(request, username="alice", password="x") is None


@pytest.mark.django_db
def test_the_backend_grants_nothing_and_reads_no_permissions(backend, django_assert_num_queries):
    user = make_user("hm")
    assign_role(user, Role.HIRING_MANAGER)
    with django_assert_num_queries(0):
        assert backend.get_all_permissions(user) == set()
        assert not backend.has_perm(user, "questionbank.add_question")
    user = get_user_model().objects.get(pk=user.pk)
    user.backend = "accounts.oidc.ProviderBackend"
    with django_assert_num_queries(1):  # RoleBackend's one query; none from this backend
        assert user.has_perm("questionbank.add_question")
        assert not user.has_perm("scoring.add_scorecard")


@pytest.mark.django_db
def test_a_session_ends_when_the_user_is_deactivated_or_sso_is_switched_off(backend, settings):
    user = make_user("alice", email="alice@acme.test")
    assert backend.get_user(user.pk) == user
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
    user.is_active = True
    user.save()
    settings.PANELIST_SSO_ENABLED = False
    assert backend.get_user(user.pk) is None


@pytest.mark.django_db
def test_without_a_role_map_sign_ins_leave_the_roles_given_in_panelist(backend, settings):
    settings.PANELIST_OIDC_ROLE_MAP = {}
    user = make_user("alice", Role.RECRUITER, email="alice@acme.test")
    backend.update_user(user, claims(groups=["ml-hiring"]))
    assert roles_of(user) == [Role.RECRUITER]
    assert roles_of(backend.create_user(claims(email="bob@acme.test"))) == []
