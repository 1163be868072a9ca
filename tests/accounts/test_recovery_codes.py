"""Two-factor recovery codes (accounts/two_factor.py, views.py): ten shown once when two-factor
is set up, stored as digests, each accepted once at the code step instead of the app's code and
audited, renewed (the old ones die) with a current code, and counted on the two-factor page."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from accounts.two_factor import recovery_code_use, recovery_codes_new
from tests.conftest import PASSWORD
from tests.test_two_factor import code_for, make_device

pytestmark = pytest.mark.django_db
VERIFY = "/login/verify/"
STATUS = "/account/two-factor/"
RENEW = "/account/two-factor/recovery-codes/"


@pytest.fixture(autouse=True)
def no_throttle_delay(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def codes_on(response):
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())


def signed_in_with_password(user):
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_setting_up_two_factor_shows_ten_codes_once_and_stores_only_digests(client, interviewer):
    client.post("/login/", {"username": interviewer.username, "password": PASSWORD})
    client.post("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=interviewer)
    response = client.post("/account/two-factor/confirm/", {"code": code_for(device)})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    codes = codes_on(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "the only time Panelist shows them" in response.content.decode()
    stored = set(StaticToken.objects.filter(device__user=interviewer).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c for c in codes} and not stored & {c.replace("-", "") for c in codes}
    # The page does not show them again.
    status = client.get(STATUS).content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}", status))
    assert "You have <strong>10</strong> unused recovery codes" in status


def test_a_code_signs_in_once_and_is_refused_the_second_time(interviewer):
    make_device(interviewer)
    codes = recovery_codes_new(user=interviewer)
    client = signed_in_with_password(interviewer)
    assert client.get("/")["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"recovery_code": codes[3].upper(), "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "You signed in with a recovery code" in response.content.decode() and "You have 9 left" in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.recovery_code_used").get()
    assert event.actor == interviewer and event.detail["codes_left"] == 9

    again = signed_in_with_password(interviewer)
    response = again.post(VERIFY, {"recovery_code": codes[3], "next": "/"})
    assert response.status_code == 200 and "used before" in response.content.decode()
    assert again.get("/")["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action="auth.2fa_failed").count() == 1
    # Another code still works, typed without dashes.
    response = again.post(VERIFY, {"recovery_code": codes[4].replace("-", ""), "next": "/"})
    assert response.status_code == 302 and again.get("/").status_code == 200


def test_a_malformed_code_is_explained_and_not_counted(interviewer):
    make_device(interviewer)
    recovery_codes_new(user=interviewer)
    client = signed_in_with_password(interviewer)
    response = client.post(VERIFY, {"recovery_code": "not-a-code!", "next": "/"})
    body = response.content.decode()
    assert "12 letters and digits" in body and "not-a-code!" in body  # what was typed stays
    assert "<details class=\"mt-3\" open>" in body
    assert not AuditEvent.objects.filter(action="auth.2fa_failed").exists()


def test_two_racing_uses_of_one_code_let_only_one_through(interviewer):
    make_device(interviewer)
    code = recovery_codes_new(user=interviewer)[0]
    assert recovery_code_use(user=interviewer, code=code) is not None
    assert recovery_code_use(user=interviewer, code=code) is None


def test_renewing_needs_a_current_code_and_kills_the_old_codes(interviewer):
    device = make_device(interviewer)
    old = recovery_codes_new(user=interviewer)
    client = signed_in_with_password(interviewer)
    client.post(VERIFY, {"code": code_for(device), "next": "/"})
    response = client.post(RENEW, {"renew-code": code_for(device, wrong=True)})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert StaticToken.objects.filter(device__user=interviewer).count() == 10
    response = client.post(RENEW, {"renew-code": code_for(device)})
    new = codes_on(response)
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(action="auth.recovery_codes_renewed", actor=interviewer).exists()
    assert recovery_code_use(user=interviewer, code=old[0]) is None
    assert recovery_code_use(user=interviewer, code=new[0]) is not None


def test_renewing_without_two_factor_says_to_set_it_up(as_user, interviewer):
    response = as_user(interviewer).post(RENEW, {"renew-code": "123456"}, follow=True)
    assert "Set it up first" in response.content.decode()
    assert not StaticDevice.objects.exists()


def test_turning_two_factor_off_removes_the_codes(interviewer):
    device = make_device(interviewer)
    recovery_codes_new(user=interviewer)
    client = signed_in_with_password(interviewer)
    client.post(VERIFY, {"code": code_for(device), "next": "/"})
    client.post("/account/two-factor/disable/", {"code": code_for(device)})
    assert not StaticDevice.objects.filter(user=interviewer).exists()


def test_the_page_says_when_no_code_is_left(interviewer):
    device = make_device(interviewer)
    codes = recovery_codes_new(user=interviewer)
    for code in codes:
        recovery_code_use(user=interviewer, code=code)
    client = signed_in_with_password(interviewer)
    client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert "You have no unused recovery code" in client.get(STATUS).content.decode()
