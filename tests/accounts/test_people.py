"""The People pages (accounts/people.py, people_views.py): the list, inviting a colleague and
the invitation link, roles, deactivation that ends sessions at once, two-factor required of a
person or a role, a two-factor reset, and the admin's limits on their own account. Every
change is audited with its actor."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, RoleTwoFactor
from accounts.people import INVITATION_SALT, invitation_token
from accounts.roles import GROUP_NAMES, Role, roles_of
from accounts.two_factor import REQUIRED_GROUP, recovery_codes_new
from mail.models import Message
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-fresh-long-password-9"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def invite(client, **fields):
    data = {"name": "Grace Hopper", "email": "grace@example.com", "roles": [Role.INTERVIEWER.value], **fields}
    return client.post("/people/invite/", data)


def link_in(message):
    """The path of the invitation link in the mail's text."""
    return re.search(r"/welcome/[^/\s]+/", message.text).group(0)


def post_form(client, path, data):
    """A form posted as browsers post these pages' forms (not multipart: an anonymous multipart
    request is sent to sign in first, config.middleware.RequestBodyLimitMiddleware)."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


def can_sign_in(username, password):
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and not response["Location"].startswith("/login/")


def last(action):
    return AuditEvent.objects.filter(action=action).order_by("pk").last()


# --- Access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["hiring_manager", "interviewer", "recruiter", "outsider"])
def test_it_refuses_every_role_but_admins(as_user, request, fixture):
    client = as_user(request.getfixturevalue(fixture))
    assert client.get("/people/").status_code == 403
    assert client.get("/people/invite/").status_code == 403
    assert invite(client).status_code == 403
    assert not User.objects.filter(email="grace@example.com").exists()


def test_it_opens_to_someone_given_the_manage_people_permission(as_user, recruiter):
    recruiter.user_permissions.add(Permission.objects.get(codename="manage_people"))
    client = as_user(recruiter)
    assert client.get("/people/").status_code == 200
    assert 'href="/people/"' in client.get("/").content.decode()  # in the menu


def test_a_manager_who_is_not_an_admin_cannot_change_an_admin(as_user, recruiter, admin_user):
    recruiter.user_permissions.add(Permission.objects.get(codename="manage_people"))
    client = as_user(recruiter)
    response = client.post(f"/people/{admin_user.pk}/deactivate/", follow=True)
    assert "Only an admin can change an admin" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    # Nor give themselves the admin role: the choice is not even offered.
    response = client.post(f"/people/{recruiter.pk}/roles/", {"roles": ["recruiter", "admin"]})
    assert response.status_code == 400 and "Choose roles from the list" in response.content.decode()
    recruiter.refresh_from_db()
    assert not recruiter.is_superuser


# --- The list ---------------------------------------------------------------------------------

def test_it_lists_people_with_roles_account_two_factor_and_last_sign_in(admin_client, interviewer, recruiter):
    TOTPDevice.objects.create(user=interviewer, name="phone", confirmed=True)
    interviewer.groups.add(Group.objects.get_or_create(name=REQUIRED_GROUP)[0])
    recruiter.is_active = False
    recruiter.save()
    body = admin_client.get("/people/").content.decode()
    row = body.split(f'href="/people/{interviewer.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "Interviewer" in row and "Active" in row and ">On<" in row and "Required" in row and "Never" in row
    row = body.split(f'href="/people/{recruiter.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "Recruiter" in row and "Deactivated" in row and ">Off<" in row


def test_it_searches_by_name_username_or_email(admin_client):
    make_user("ada", first_name="Ada", last_name="Lovelace", email="ada@example.com")
    make_user("alan", first_name="Alan", email="turing@example.org")
    body = admin_client.get("/people/?q=lovelace").content.decode()
    assert "Ada Lovelace" in body and "Alan" not in body
    body = admin_client.get("/people/?q=example.org").content.decode()
    assert "Alan" in body and "Ada Lovelace" not in body
    assert "Nobody’s name" in admin_client.get("/people/?q=nobody-at-all").content.decode()


def test_the_list_reads_the_same_number_of_queries_for_few_or_many_people(admin_client, django_assert_num_queries):
    def people(n, start):
        for i in range(start, start + n):
            user = make_user(f"person{i}", Role.INTERVIEWER if i % 2 else Role.RECRUITER, email=f"p{i}@example.com")
            if i % 3 == 0:
                TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    people(3, 0)
    # Session, user, the viewer's roles and permissions (accounts.roles.load_access), the bell's
    # unread count, the count, the page with its two-factor facts, the page's groups.
    with django_assert_num_queries(7):
        assert admin_client.get("/people/").status_code == 200
    people(30, 3)
    with django_assert_num_queries(7):
        response = admin_client.get("/people/?page=2")
    assert response.status_code == 200 and "Page 2 of 2" in response.content.decode()


# --- Invitations ------------------------------------------------------------------------------

def test_it_invites_a_colleague_who_chooses_a_password_and_is_signed_in(admin_client, admin_user, settings):
    response = invite(admin_client, roles=[Role.INTERVIEWER.value, Role.RECRUITER.value])
    grace = User.objects.get(email="grace@example.com")
    assert response.status_code == 302 and response["Location"] == f"/people/{grace.pk}/"
    assert grace.username == "grace@example.com" and grace.get_full_name() == "Grace Hopper"
    assert not grace.has_usable_password() and grace.is_active
    assert set(roles_of(grace)) == {Role.INTERVIEWER, Role.RECRUITER}
    assert last("people.invited").actor == admin_user
    message = Message.objects.get(recipient=grace, reason="people_invitation")
    assert message.to == "grace@example.com" and "invited you to Panelist" in message.subject
    assert "grace@example.com" in message.text and "single sign-on" not in message.text
    path = link_in(message)
    assert path in message.html

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Welcome, Grace Hopper" in page.content.decode()
    response = post_form(visitor, path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert visitor.get("/").status_code == 200  # signed in
    grace.refresh_from_db()
    assert grace.check_password(NEW_PASSWORD)
    assert last("people.invitation_accepted").actor == grace

    # The link dies on use.
    again = Client().get(path)
    assert again.status_code == 400 and "already been used" in again.content.decode()
    assert can_sign_in("grace@example.com", NEW_PASSWORD)


def test_a_weak_password_is_refused_with_what_was_wrong(admin_client):
    invite(admin_client)
    path = link_in(Message.objects.get(reason="people_invitation"))
    response = post_form(Client(), path, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 400 and "too short" in response.content.decode()
    assert not User.objects.get(email="grace@example.com").has_usable_password()


def test_the_mail_mentions_single_sign_on_when_it_is_set_up(admin_client, settings):
    settings.PANELIST_SSO_ENABLED = True
    invite(admin_client)
    message = Message.objects.get(reason="people_invitation")
    assert "single sign-on" in message.text and "/login/" in message.text and "single sign-on" in message.html


def test_an_expired_or_tampered_link_says_so(admin_client, settings):
    invite(admin_client)
    path = link_in(Message.objects.get(reason="people_invitation"))
    assert "not valid" in Client().get(path[:-3] + "xx/").content.decode()
    settings.PANELIST_INVITATION_DAYS = -1
    response = Client().get(path)
    assert response.status_code == 400 and "has expired" in response.content.decode()


def test_a_token_for_another_purpose_is_refused(admin_client):
    invite(admin_client)
    grace = User.objects.get(email="grace@example.com")
    forged = signing.dumps({"u": grace.pk, "p": "x"}, salt=INVITATION_SALT, compress=True)
    assert Client().get(f"/welcome/{forged}/").status_code == 400
    other_salt = signing.dumps({"u": grace.pk}, salt="something-else")
    assert Client().get(f"/welcome/{other_salt}/").status_code == 400


def test_inviting_again_kills_the_earlier_link(admin_client, admin_user):
    invite(admin_client)
    grace = User.objects.get(email="grace@example.com")
    first = link_in(Message.objects.get(reason="people_invitation"))
    response = admin_client.post(f"/people/{grace.pk}/invite-again/", follow=True)
    assert "Sent a new invitation" in response.content.decode()
    second = link_in(Message.objects.filter(reason="people_invitation").order_by("pk").last())
    assert first != second
    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 200
    assert last("people.invited_again").actor == admin_user


def test_it_refuses_to_invite_an_address_that_has_an_account(admin_client, interviewer):
    interviewer.email = "Ivan@Example.com"
    interviewer.save()
    response = invite(admin_client, email="ivan@example.com", name="Ivan again")
    assert response.status_code == 400 and "already has an account" in response.content.decode()
    assert "Ivan again" in response.content.decode()  # what was typed stays


def test_it_names_each_missing_field(admin_client):
    response = admin_client.post("/people/invite/", {"name": " ", "email": "not an address"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the person" in body and "Enter a whole e-mail address" in body


def test_a_deactivated_persons_invitation_does_not_work(admin_client):
    invite(admin_client)
    grace = User.objects.get(email="grace@example.com")
    path = link_in(Message.objects.get(reason="people_invitation"))
    admin_client.post(f"/people/{grace.pk}/deactivate/")
    response = Client().get(path)
    assert response.status_code == 400 and "deactivated" in response.content.decode()


# --- Roles ------------------------------------------------------------------------------------

def test_it_gives_and_takes_roles_audited_with_the_admin(admin_client, admin_user, interviewer):
    response = admin_client.post(f"/people/{interviewer.pk}/roles/", {"roles": ["recruiter"]}, follow=True)
    assert "gave Recruiter and took Interviewer" in response.content.decode()
    assert roles_of(User.objects.get(pk=interviewer.pk)) == [Role.RECRUITER]
    event = last("people.roles_changed")
    assert event.actor == admin_user and event.detail == {"added": ["recruiter"], "removed": ["interviewer"]}
    # Django's role-change audit names the admin too.
    assert AuditEvent.objects.filter(action="roles.add", actor=admin_user, target=f"user {interviewer.pk}").exists()


def test_an_admin_makes_another_admin_but_cannot_unmake_themselves(admin_client, admin_user, interviewer):
    admin_client.post(f"/people/{interviewer.pk}/roles/", {"roles": ["interviewer", "admin"]})
    interviewer.refresh_from_db()
    assert interviewer.is_superuser and interviewer.is_staff
    response = admin_client.post(f"/people/{admin_user.pk}/roles/", {"roles": []}, follow=True)
    assert "You cannot remove the admin role from yourself" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser


# --- Deactivation -----------------------------------------------------------------------------

def test_deactivating_ends_the_persons_sessions_at_once(admin_client, admin_user, interviewer):
    theirs = Client()
    theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD})
    assert theirs.get("/").status_code == 200
    sessions_before = Session.objects.count()
    response = admin_client.post(f"/people/{interviewer.pk}/deactivate/", follow=True)
    assert "signed out everywhere" in response.content.decode()
    assert Session.objects.count() == sessions_before - 1  # theirs only; the admin's stays
    assert theirs.get("/")["Location"].startswith("/login/")
    assert not can_sign_in(interviewer.username, PASSWORD)
    event = last("people.deactivated")
    assert event.actor == admin_user and event.detail == {"sessions_ended": 1}

    response = admin_client.post(f"/people/{interviewer.pk}/reactivate/", follow=True)
    assert "can sign in again" in response.content.decode()
    assert can_sign_in(interviewer.username, PASSWORD)
    assert last("people.reactivated").actor == admin_user


def test_an_admin_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(f"/people/{admin_user.pk}/deactivate/", follow=True)
    assert "You cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and not AuditEvent.objects.filter(action="people.deactivated").exists()


# --- Two-factor -------------------------------------------------------------------------------

def test_requiring_two_factor_sends_their_open_session_to_set_up(admin_client, admin_user, interviewer):
    theirs = Client()
    theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD})
    assert theirs.get("/").status_code == 200
    admin_client.post(f"/people/{interviewer.pk}/two-factor/required/", {"required": "1"})
    assert interviewer.groups.filter(name=REQUIRED_GROUP).exists()
    assert theirs.get("/")["Location"] == "/account/two-factor/"
    assert last("people.two_factor_required").actor == admin_user
    admin_client.post(f"/people/{interviewer.pk}/two-factor/required/", {"required": "0"})
    assert theirs.get("/").status_code == 200
    assert last("people.two_factor_not_required").actor == admin_user


def test_a_role_can_require_two_factor_of_all_its_members(admin_client, admin_user, interviewer, recruiter):
    response = admin_client.post("/people/two-factor/", {"roles": ["interviewer"]}, follow=True)
    assert "Saved" in response.content.decode()
    assert RoleTwoFactor.objects.get().group.name == GROUP_NAMES[Role.INTERVIEWER]
    event = last("people.role_two_factor_changed")
    assert event.actor == admin_user and event.detail["added"] == ["interviewer"]
    theirs = Client()
    theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD}, follow=True)
    assert theirs.get("/")["Location"] == "/account/two-factor/"
    rec = Client()
    rec.post("/login/", {"username": recruiter.username, "password": PASSWORD})
    assert rec.get("/").status_code == 200
    # The person's page and the list say it is required by the role.
    assert "Required by role" in admin_client.get(f"/people/{interviewer.pk}/").content.decode()
    admin_client.post("/people/two-factor/", {})
    assert not RoleTwoFactor.objects.exists()
    assert theirs.get("/").status_code == 200


def test_resetting_two_factor_removes_the_app_and_the_recovery_codes(admin_client, admin_user, interviewer):
    TOTPDevice.objects.create(user=interviewer, name="phone", confirmed=True)
    recovery_codes_new(user=interviewer)
    assert "10 unused recovery codes" in admin_client.get(f"/people/{interviewer.pk}/").content.decode()
    response = admin_client.post(f"/people/{interviewer.pk}/two-factor/reset/", follow=True)
    assert "Reset two-factor sign-in" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=interviewer).exists()
    assert not StaticDevice.objects.filter(user=interviewer).exists()
    assert last("people.two_factor_reset").actor == admin_user
    # They sign in with the password alone.
    theirs = Client()
    theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD})
    assert theirs.get("/").status_code == 200


def test_the_persons_page_shows_their_recent_changes(admin_client, interviewer):
    admin_client.post(f"/people/{interviewer.pk}/two-factor/required/", {"required": "1"})
    body = admin_client.get(f"/people/{interviewer.pk}/").content.decode()
    assert "people.two_factor_required" in body and "boss" in body


def test_an_unknown_person_is_not_found(admin_client):
    assert admin_client.get("/people/999999/").status_code == 404
    assert admin_client.post("/people/999999/deactivate/").status_code == 404


def test_the_invitation_token_names_one_user(db):
    one, two = make_user("one"), make_user("two")
    assert invitation_token(one) != invitation_token(two)


def test_the_persons_page_reads_the_same_number_of_queries_however_long_their_history(
        admin_client, interviewer, django_assert_num_queries):
    # Session, user, the viewer's roles and permissions, the bell's unread count, the person
    # with their two-factor facts, their groups, their recent audit events with actors, their
    # own weekly interview limit and the roles' limits.
    with django_assert_num_queries(9):
        assert admin_client.get(f"/people/{interviewer.pk}/").status_code == 200
    for required in ("1", "0") * 10:
        admin_client.post(f"/people/{interviewer.pk}/two-factor/required/", {"required": required})
    with django_assert_num_queries(9):
        body = admin_client.get(f"/people/{interviewer.pk}/").content.decode()
    assert body.split('id="person-history"', 1)[1].count("<tr><td") == 15  # the last 15 changes
