"""Two-factor sign-in (accounts/two_factor.py, middleware.py, views.py): enrolment, the code at sign-in, the group an admin
uses to require it, turning it off, and that users without it pay nothing for it."""

import base64
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

STATUS = "/account/two-factor/"
SETUP = "/account/two-factor/setup/"
CONFIRM = "/account/two-factor/confirm/"
DISABLE = "/account/two-factor/disable/"
VERIFY = "/login/verify/"


@pytest.fixture(autouse=True)
def no_throttle_delay(settings):
    """django-otp makes the next try after a wrong code wait 1, 2, 4… seconds; tests that are not
    about that turn the delay off (test_it_makes_the_next_try_wait_after_a_wrong_code is)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device, wrong=False):
    """The code the user's app shows now. A code is accepted once (django-otp remembers the last
    time step), so the device forgets it has seen one: as if the next 30 seconds had begun."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits)
    if wrong:
        code = (code + 500_000) % 1_000_000
    return f"{code:06d}"


def make_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# --- Access ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [STATUS, CONFIRM, VERIFY])
def test_it_sends_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(f"/login/?next={path}")


@pytest.mark.parametrize("path", [SETUP, DISABLE])
def test_it_sends_anonymous_posts_to_sign_in(client, path, interviewer):
    response = client.post(path, {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("path", [SETUP, DISABLE])
def test_it_refuses_get_on_post_only_views(as_user, interviewer, path):
    assert as_user(interviewer).get(path).status_code == 405


@pytest.mark.parametrize("fixture", ["hiring_manager", "interviewer", "recruiter", "outsider", "admin_user"])
def test_it_lets_every_role_see_their_status(as_user, request, fixture):
    client = as_user(request.getfixturevalue(fixture))
    body = client.get(STATUS).content.decode()
    assert "Two-factor sign-in" in body and "Off" in body and "Set up two-factor sign-in" in body


def test_it_links_the_page_from_the_user_menu(as_user, interviewer):
    assert f'href="{STATUS}"' in as_user(interviewer).get("/").content.decode()


# --- Enrolment --------------------------------------------------------------------------------

def test_it_enrols_with_a_qr_code_and_a_confirming_code(client, interviewer):
    sign_in(client, interviewer)
    response = client.post(SETUP)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    device = TOTPDevice.objects.get(user=interviewer)
    assert not device.confirmed

    page = client.get(CONFIRM)
    body = page.content.decode()
    assert "<svg" in body and "<path" in body  # drawn on the server, inline
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    secret = base64.b32encode(device.bin_key).decode()
    assert re.sub(r"\s", "", re.search(r'id="two-factor-secret">([^<]+)<', body).group(1)) == secret
    assert "no-store" in page["Cache-Control"]

    response = client.post(CONFIRM, {"code": code_for(device)})
    # The answer is the page of recovery codes, shown this once (tests/accounts/test_recovery_codes.py).
    assert response.status_code == 200
    assert "Two-factor sign-in is on" in response.content.decode() and "Save your recovery codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert actions()[-1] == "auth.2fa_enrolled"
    # This session gave the code, so it goes on without asking for another one.
    assert client.get("/questions/").status_code == 200


def test_it_keeps_the_device_unconfirmed_after_a_wrong_code(client, interviewer):
    sign_in(client, interviewer)
    client.post(SETUP)
    device = TOTPDevice.objects.get(user=interviewer)
    response = client.post(CONFIRM, {"code": code_for(device, wrong=True)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "That code is not right" in body and "<svg" in body
    assert code_for(device, wrong=True) in body  # what was typed stays in the field
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert actions()[-1] == "auth.2fa_failed"
    # Still off: the next sign-in asks for no code.
    client.post("/logout/")
    sign_in(client, interviewer)
    assert client.get("/").status_code == 200


def test_it_explains_a_code_that_is_not_six_digits(client, interviewer):
    sign_in(client, interviewer)
    client.post(SETUP)
    body = client.post(CONFIRM, {"code": "12ab"}).content.decode()
    assert "Enter the 6 digits" in body


def test_it_replaces_an_unfinished_setup_with_a_new_key(client, interviewer):
    sign_in(client, interviewer)
    client.post(SETUP)
    first = TOTPDevice.objects.get(user=interviewer)
    assert "Continue setting up" in client.get(STATUS).content.decode()
    client.post(SETUP)
    second = TOTPDevice.objects.get(user=interviewer)
    assert second.pk != first.pk and second.key != first.key


def test_it_does_not_show_one_users_setup_to_another(client, interviewer, interviewer2):
    make_device(interviewer, confirmed=False)
    sign_in(client, interviewer2)
    response = client.get(CONFIRM)
    assert response.status_code == 302 and response["Location"] == STATUS
    assert client.post(DISABLE, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=interviewer).count() == 1


def test_it_does_not_start_a_second_device_when_one_is_on(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(SETUP, follow=True)
    assert "already on" in response.content.decode()
    assert TOTPDevice.objects.filter(user=interviewer).count() == 1


def test_it_draws_no_inline_style_or_script(client, interviewer):
    sign_in(client, interviewer)
    client.post(SETUP)
    response = client.get(CONFIRM)
    body = response.content.decode()
    assert "style=" not in body and "<script>" not in body
    assert "unsafe-inline" not in response["Content-Security-Policy"]


# --- Sign-in -----------------------------------------------------------------------------------

def test_it_asks_for_a_code_after_the_password(client, interviewer):
    device = make_device(interviewer)
    response = sign_in(client, interviewer)
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2F"
    # Every page waits for the code, not only the first one.
    assert client.get("/questions/")["Location"] == f"{VERIFY}?next=%2Fquestions%2F"
    assert client.post("/questions/", {}).status_code == 302

    body = client.get(VERIFY + "?next=/questions/").content.decode()
    assert "6-digit code" in body and 'autocomplete="one-time-code"' in body

    response = client.post(VERIFY, {"code": code_for(device), "next": "/questions/"})
    assert response.status_code == 302 and response["Location"] == "/questions/"
    assert client.get("/questions/").status_code == 200


def test_it_refuses_a_wrong_code_at_sign_in(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    response = client.post(VERIFY, {"code": code_for(device, wrong=True), "next": "/"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.order_by("pk").last()
    assert event.action == "auth.2fa_failed" and event.detail["stage"] == "sign_in" and event.detail["failures"] == 1


def test_it_accepts_each_code_only_once(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    code = code_for(device)
    client.post(VERIFY, {"code": code})
    client.post("/logout/")
    sign_in(client, interviewer)
    assert "That code is not right" in client.post(VERIFY, {"code": code}).content.decode()


def test_it_signs_out_after_five_wrong_codes(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    for _ in range(4):
        assert client.post(VERIFY, {"code": code_for(device, wrong=True)}).status_code == 200
    response = client.post(VERIFY, {"code": code_for(device, wrong=True)}, follow=True)
    assert response.redirect_chain[0][0] == "/login/"
    assert "wrong code too many times" in response.content.decode()
    assert client.get("/").status_code == 302 and client.get("/")["Location"].startswith("/login/")
    assert actions()[-5:] == ["auth.2fa_failed"] * 5
    assert AuditEvent.objects.order_by("pk").last().detail["signed_out"] is True


def test_it_makes_the_next_try_wait_after_a_wrong_code(client, interviewer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    device = make_device(interviewer)
    sign_in(client, interviewer)
    client.post(VERIFY, {"code": code_for(device, wrong=True)})
    body = client.post(VERIFY, {"code": code_for(device)}).content.decode()
    assert "Too many wrong codes in a row. Wait" in body
    assert client.get("/").status_code == 302


def test_it_answers_json_requests_with_401(client, interviewer):
    make_device(interviewer)
    sign_in(client, interviewer)
    response = client.post("/questions/", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "two_factor_required" and response.json()["location"] == VERIFY
    response = client.get("/questions/", headers={"Accept": "application/json"})
    assert response.status_code == 401


def test_it_lets_sign_out_static_files_and_the_health_check_through(client, interviewer):
    make_device(interviewer)
    sign_in(client, interviewer)
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/panelist.css").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/login/")


def test_it_does_not_redirect_to_another_site_after_the_code(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_it_lets_a_user_in_whose_lost_device_an_admin_removed(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    device.delete()
    response = client.get(VERIFY + "?next=/questions/")
    assert response["Location"] == "/questions/"
    assert client.get("/questions/").status_code == 200


def test_it_checks_a_session_signed_in_without_the_two_factor_facts(client, interviewer):
    # e.g. signed in by a process of the previous release during a rolling deploy
    make_device(interviewer)
    client.force_login(interviewer)
    session = client.session
    del session[two_factor.STATE]
    session.save()
    assert client.get("/questions/")["Location"].startswith(VERIFY)


# --- Required by an admin --------------------------------------------------------------------

def test_it_makes_a_required_user_enrol_before_anything_else(client, interviewer):
    group, _ = Group.objects.get_or_create(name=two_factor.REQUIRED_GROUP)
    interviewer.groups.add(group)
    sign_in(client, interviewer)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(STATUS, 302)]
    body = response.content.decode()
    # The middleware's message says why; the page's own note would only repeat it.
    assert "Your account needs two-factor sign-in" in body and "Your administrator requires" not in body
    assert "Your administrator requires two-factor sign-in" in client.get(STATUS).content.decode()
    assert client.get("/questions/")["Location"] == STATUS
    response = client.get("/questions/", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.json()["error"] == "two_factor_setup_required"

    client.post(SETUP)
    device = TOTPDevice.objects.get(user=interviewer)
    assert client.get(CONFIRM).status_code == 200
    client.post(CONFIRM, {"code": code_for(device)})
    assert client.get("/questions/").status_code == 200
    # And from now on the code is asked for at every sign-in.
    client.post("/logout/")
    sign_in(client, interviewer)
    assert client.get("/questions/")["Location"].startswith(VERIFY)


def test_it_lets_admins_remove_a_lost_device_in_the_admin(client, admin_user, interviewer):
    device = make_device(interviewer)
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 200
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_it_creates_the_required_group_when_an_admin_signs_in(client, admin_user):
    Group.objects.filter(name=two_factor.REQUIRED_GROUP).delete()
    sign_in(client, admin_user)
    assert Group.objects.filter(name=two_factor.REQUIRED_GROUP).exists()


def test_it_applies_a_new_requirement_when_the_user_opens_the_page(client, interviewer):
    sign_in(client, interviewer)
    assert client.get("/questions/").status_code == 200
    interviewer.groups.add(Group.objects.get_or_create(name=two_factor.REQUIRED_GROUP)[0])
    client.get(STATUS)
    assert client.get("/questions/")["Location"] == STATUS


# --- Turning it off --------------------------------------------------------------------------

def test_it_turns_off_only_with_a_current_code(client, interviewer):
    device = make_device(interviewer)
    sign_in(client, interviewer)
    client.post(VERIFY, {"code": code_for(device)})

    response = client.post(DISABLE, {"code": code_for(device, wrong=True)})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert TOTPDevice.objects.filter(user=interviewer).exists()
    assert actions()[-1] == "auth.2fa_failed"

    response = client.post(DISABLE, {"code": code_for(device)}, follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=interviewer).exists()
    assert actions()[-1] == "auth.2fa_disabled"

    client.post("/logout/")
    sign_in(client, interviewer)
    assert client.get("/questions/").status_code == 200


def test_it_sends_a_required_user_who_turns_it_off_back_to_setup(client, interviewer):
    interviewer.groups.add(Group.objects.get_or_create(name=two_factor.REQUIRED_GROUP)[0])
    device = make_device(interviewer)
    sign_in(client, interviewer)
    client.post(VERIFY, {"code": code_for(device)})
    client.post(DISABLE, {"code": code_for(device)})
    assert client.get("/questions/")["Location"] == STATUS


# --- Users without two-factor ----------------------------------------------------------------

def test_it_adds_no_step_for_users_without_two_factor(client, interviewer):
    response = sign_in(client, interviewer)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/questions/"])
def test_it_adds_no_query_for_users_without_two_factor(client, settings, hiring_manager, path):
    sign_in(client, hiring_manager)
    client.get(path)  # warm caches (content types, permissions) outside the measurement

    def count():
        # A new client builds its middleware chain from the current settings.
        fresh = Client()
        fresh.cookies = client.cookies
        with CaptureQueriesContext(connection) as queries:
            assert fresh.get(path).status_code == 200
        return len(queries)

    with_two_factor = count()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m not in ("django_otp.middleware.OTPMiddleware", "accounts.middleware.TwoFactorMiddleware")]
    assert count() == with_two_factor


def test_it_records_the_facts_at_sign_in(client, interviewer):
    sign_in(client, interviewer)
    assert client.session[two_factor.STATE] == {"device": False, "required": False}
