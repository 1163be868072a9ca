"""The single sign-on pages without the browser: the sign-in page's button, every failure on
our own page with its reason (a state that is not ours, a provider that does not answer or
says no), local passwords switched off, the password page, the signed-out page, and the
routes answering 404 while single sign-on is off."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import AuditEvent
from accounts.oidc import SESSION_KEY
from accounts.roles import Role
from tests import hostile
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def follow_failure(client, response):
    """The failure page the response sends to: (status, page text)."""
    assert response.status_code == 302 and response["Location"] == reverse("sso_failed"), response
    page = client.get(response["Location"])
    return page.status_code, page.content.decode()


@pytest.mark.parametrize("name", ["sso_start", "sso_callback", "sso_failed", "sso_signed_out"])
def test_the_routes_are_not_found_while_single_sign_on_is_off(client, name):
    assert client.get(reverse(name)).status_code == 404


def test_the_sign_in_page_has_no_button_while_single_sign_on_is_off(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page and "/sso/start/" not in page


def test_the_sign_in_page_offers_the_provider_with_where_to_go_after(client, sso_down, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = client.get(reverse("login") + "?next=/questions/%3Fq%3Dbias")
    html = page.content.decode()
    assert page.status_code == 200 and "Sign in with Acme ID" in html
    assert 'href="/sso/start/?next=/questions/%3Fq%3Dbias"' in html
    assert "or with your Panelist username and password" in html


def test_a_provider_that_does_not_answer_is_said_in_plain_words(client, sso_down):
    status, page = follow_failure(client, client.get(reverse("sso_start")))
    assert status == 502 and "Acme ID could not be reached" in page and "Nothing was signed in" in page
    event = AuditEvent.objects.get(action="sso.refused")
    assert event.detail["reason"] == "provider" and event.detail["step"] == "discovery"
    assert USER_SESSION_KEY not in client.session


@pytest.mark.parametrize("query", [
    "?code=abc&state=not-ours",  # a state this browser never started
    "?code=abc",
    "?state=abc",
    "",
])
def test_a_return_this_browser_did_not_start_lands_on_the_failure_page(client, sso_down, query):
    status, page = follow_failure(client, client.get(reverse("sso_callback") + query))
    assert status == 400 and "did not start here, or took too long" in page
    assert AuditEvent.objects.get(action="sso.refused").detail["reason"] == "state"


def start_here(client, settings):
    """A sign-in started in this session, as the start view would record it (the provider is down,
    so the start view itself cannot be used)."""
    settings.PANELIST_OIDC_ENDPOINTS = {"authorization_endpoint": f"{settings.PANELIST_OIDC_ISSUER}/authorize/",
                                        "token_endpoint": f"{settings.PANELIST_OIDC_ISSUER}/token/",
                                        "userinfo_endpoint": f"{settings.PANELIST_OIDC_ISSUER}/userinfo/",
                                        "jwks_uri": f"{settings.PANELIST_OIDC_ISSUER}/jwks/"}
    response = client.get(reverse("sso_start") + "?next=/questions/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["panelist"]
    assert query["redirect_uri"] == ["http://testserver/sso/callback/"]
    assert set(query["scope"][0].split()) >= {"openid", "email"} and query["nonce"][0]
    return query["state"][0]


def test_a_provider_down_at_the_token_exchange_is_said_in_plain_words(client, sso_down, settings):
    state = start_here(client, settings)
    status, page = follow_failure(client, client.get(reverse("sso_callback") + f"?code=abc&state={state}"))
    assert status == 502 and "Acme ID could not be reached" in page
    # The state was used up: the same answer again is not taken.
    status, page = follow_failure(client, client.get(reverse("sso_callback") + f"?code=abc&state={state}"))
    assert status == 400


def test_a_provider_that_says_no_is_said_with_its_reason(client, sso_down, settings):
    state = start_here(client, settings)
    status, page = follow_failure(client, client.get(reverse("sso_callback") + f"?error=access_denied&state={state}"))
    assert status == 403 and "ended the sign-in without signing you in (access_denied)" in page
    assert state not in client.session["oidc_states"]
    status, page = follow_failure(client, client.get(reverse("sso_callback") + "?error=<script>x</script>"))
    assert "(an error)" in page and "<script>x" not in page


def test_the_failure_page_visited_directly_says_so_and_only_once(client, sso_down, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = client.get(reverse("sso_failed"))
    assert page.status_code == 403 and "The sign-in did not complete" in page.content.decode()


# The test client cannot send NUL (the app's middleware answers 400 before any view) or lone surrogates.
SENDABLE = [v for v in hostile.NASTY_TEXTS if "\x00" not in v and not any(0xD800 <= ord(c) <= 0xDFFF for c in v)]


@pytest.mark.parametrize("value", SENDABLE)
def test_hostile_answers_from_the_browser_never_give_a_500(client, sso_down, settings, value):
    state = start_here(client, settings)
    for query in ({"code": value, "state": value}, {"code": "abc", "state": state, "error": value},
                  {"state": [state, value], "code": [value, "x"]}, {"next": value}):
        response = client.get(reverse("sso_callback"), query)
        assert response.status_code == 302 and response["Location"] == reverse("sso_failed")
    response = client.get(reverse("sso_start"), {"next": value})
    assert response.status_code == 302


@pytest.fixture
def passwords_off(sso_down, settings):
    settings.PANELIST_LOCAL_PASSWORDS = False
    settings.PANELIST_BREAK_GLASS_USERS = ["root"]
    return settings


def test_with_passwords_off_only_the_break_glass_admin_signs_in_with_one(client, passwords_off):
    make_user("rita", Role.RECRUITER)
    make_user("root", is_staff=True, is_superuser=True)
    page = client.get(reverse("login")).content.decode()
    assert "Administrators' emergency sign-in" in page and "Sign in with Acme ID" in page
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 200 and USER_SESSION_KEY not in client.session
    assert "Panelist does not take passwords any more: sign in with Acme ID" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.sign_in_failed").exists()  # no password was tried
    response = client.post(reverse("login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and USER_SESSION_KEY in client.session


def test_with_passwords_off_no_other_way_in_takes_a_password(client, passwords_off, rf):
    make_user("staffer", is_staff=True)
    make_user("root", is_staff=True, is_superuser=True)
    # The admin's sign-in page, and any other caller of authenticate(), meet the backend's check.
    assert authenticate(rf.post("/"), username="staffer", password=PASSWORD) is None
    assert authenticate(rf.post("/"), username="root", password=PASSWORD) is not None


def test_with_passwords_off_the_password_page_points_to_the_provider(client, passwords_off):
    user = make_user("rita", Role.RECRUITER)
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Panelist does not use passwords for your account" in page.content.decode()
    assert "You sign in with Acme ID" in page.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "x-long-pass-99",
                                                        "new_password2": "x-long-pass-99"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_account_made_by_single_sign_on_has_no_password_to_change(client, sso_down):
    user = make_user("alice@acme.test")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert "You sign in with Acme ID" in client.get(reverse("password_change")).content.decode()
    client.force_login(make_user("rita"))
    assert 'name="old_password"' in client.get(reverse("password_change")).content.decode()


def test_signing_out_after_a_provider_sign_in_offers_the_provider_sign_out(client, sso_down, settings):
    settings.PANELIST_OIDC_ENDPOINTS = {name: f"https://id.example.com/{name}" for name in settings.PANELIST_OIDC_ENDPOINTS}
    user = make_user("alice@acme.test")
    client.force_login(user, backend="accounts.oidc.ProviderBackend")
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("sso_signed_out")
    assert USER_SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    # Given endpoints without an end-session one: the page says so, with no provider button.
    assert "You are signed out of Panelist" in page and "Sign out of Acme ID too" not in page


def test_a_password_sign_out_goes_to_the_sign_in_page_as_before(client, sso_down):
    client.force_login(make_user("rita"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_with_single_sign_on_on_a_signed_in_person_is_sent_home_from_its_pages(client, sso_down):
    client.force_login(make_user("rita", Role.RECRUITER))
    for name in ("sso_start", "sso_signed_out"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("home"), name
    assert client.post(reverse("sso_start")).status_code == 405
    assert client.post(reverse("sso_callback")).status_code == 405


def test_with_passwords_off_a_reset_mails_only_a_break_glass_account(passwords_off):
    from accounts.password_reset import password_reset_mail

    make_user("rita", Role.RECRUITER, email="rita@example.com")
    make_user("root", is_staff=True, is_superuser=True, email="root@example.com")
    now = timezone.now()
    assert password_reset_mail(email="rita@example.com", requested_at=now) == []
    assert [m.to for m in password_reset_mail(email="root@example.com", requested_at=now)] == ["root@example.com"]


def test_with_passwords_off_a_reset_link_from_before_does_not_work(client, passwords_off):
    rita = make_user("rita", Role.RECRUITER, email="rita@example.com")
    uid = urlsafe_base64_encode(force_bytes(rita.pk))
    link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(rita)})
    page = client.get(link, follow=True)
    assert "set-password" not in page.request["PATH_INFO"]  # Django's valid-link redirect is not taken
    assert 'name="new_password1"' not in page.content.decode()
    assert "Panelist accounts sign in with Acme ID" in client.get(reverse("password_reset")).content.decode()


def test_with_passwords_off_an_invitation_points_to_the_provider_and_sets_no_password(client, passwords_off):
    from accounts.people import invitation_token, people_invite

    admin = make_user("root", is_staff=True, is_superuser=True)
    grace = people_invite(by=admin, name="Grace Hopper", email="grace@example.com", roles=[Role.INTERVIEWER])
    link = reverse("invitation_accept", args=[invitation_token(grace)])
    page = client.get(link)
    assert page.status_code == 200 and "You sign in with Acme ID" in page.content.decode()
    response = client.post(link, "new_password1=a-long-password-77&new_password2=a-long-password-77",
                           content_type="application/x-www-form-urlencoded")  # as a browser sends it
    assert response.status_code == 403
    grace.refresh_from_db()
    assert not grace.has_usable_password() and USER_SESSION_KEY not in client.session
