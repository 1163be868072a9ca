"""Security settings: deploy checks, headers, password hashing and rules, sign-in throttling,
session rotation and timeouts."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts import middleware as sessions
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


def test_production_settings_pass_the_deploy_check():
    # Exactly the production environment: nothing the test session set for itself.
    inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")}
    env = {**inherited, "PANELIST_PRODUCTION": "1", "DEBUG": "0", "ALLOWED_HOSTS": "panelist.example.com",
           "SECRET_KEY": "x" * 20 + "a-real-production-secret-of-some-length-0123456789",
           "EMAIL_HOST": "smtp.example.com"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_the_security_headers(client, hiring_manager):
    client.force_login(hiring_manager)
    for path in ("/", "/questions/", "/login/", "/no-such-page/", "/healthz"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_the_404_page_is_generic(client, hiring_manager):
    client.force_login(hiring_manager)
    response = client.get("/questions/does-not-exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "Traceback" not in body and "does-not-exist" not in body


def test_hsts_and_secure_cookies_in_production(client, settings, hiring_manager):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.post("/login/", {"username": "hm", "password": PASSWORD}, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = get_user_model().objects.create_user("argon", password="a-long-enough-password")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize("password,message", [
    ("short1", "at least 10 characters"),
    ("password123", "too common"),
])
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_repeated_failed_sign_ins_lock_the_username_and_ip_out(client, hiring_manager):
    for _ in range(5):
        client.post("/login/", {"username": "hm", "password": "wrong-password"}, REMOTE_ADDR="10.9.8.7")
    response = client.post("/login/", {"username": "hm", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # The same user from another address, and another user from this address, are not locked.
    assert client.post("/login/", {"username": "hm", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_signing_in_gives_a_new_session_key(client, hiring_manager):
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key-123456"
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key-123456"


def test_an_idle_session_is_signed_out(client, hiring_manager, settings):
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    session = client.session
    session[sessions.SEEN_AT] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/questions/", follow=True)
    assert response.redirect_chain[0][0].startswith("/login/?next=/questions/")
    assert "signed out after a period of inactivity" in response.content.decode()


def test_a_session_past_its_absolute_limit_is_signed_out(client, hiring_manager, settings):
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    session = client.session
    session[sessions.LOGIN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get("/questions/", follow=True)
    assert "maximum length" in response.content.decode()


def test_an_active_session_stays_signed_in(client, hiring_manager):
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    assert client.get("/questions/").status_code == 200


def test_sign_ins_failures_and_role_changes_are_audited(client, hiring_manager):
    from django.contrib.auth.models import Group

    from accounts.models import AuditEvent

    client.post("/login/", {"username": "hm", "password": "wrong"})
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    hiring_manager.groups.add(Group.objects.get(name="Recruiters"))
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["auth.sign_in_failed", "auth.sign_in", "roles.add"]


def test_the_audit_log_is_append_only(hiring_manager):
    from accounts.models import AuditEvent, audit

    event = audit(actor=hiring_manager, action="test", target="x")
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admins_read_the_audit_log_and_cannot_edit_it(client, admin_user):
    from accounts.models import audit

    event = audit(actor=admin_user, action="probe", target="x")
    client.force_login(admin_user)
    assert client.get("/admin/accounts/auditevent/").status_code == 200
    assert "probe" in client.get("/admin/accounts/auditevent/").content.decode()
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_failed_sign_in_is_audited_with_the_account_id_never_the_typed_username(client, hiring_manager):
    from accounts.models import AuditEvent
    from accounts.signals import UNKNOWN_USER

    client.post("/login/", {"username": "hm", "password": "wrong"})
    # Someone typed their password into the username box.
    client.post("/login/", {"username": "correct-horse-battery-staple", "password": "wrong"})
    failures = AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("pk")
    assert [event.target for event in failures] == [f"user {hiring_manager.pk}", UNKNOWN_USER]
    for event in failures:
        assert "correct-horse" not in str(event.detail) and event.actor is None


def test_wrong_current_passwords_on_the_change_password_page_sign_the_session_out(client, hiring_manager):
    from accounts.models import AuditEvent

    client.post("/login/", {"username": "hm", "password": PASSWORD})
    wrong = {"old_password": "a-guess-at-it-0", "new_password1": "a-new-long-password-7",
             "new_password2": "a-new-long-password-7"}
    for attempt in range(1, 5):
        response = client.post("/password/", wrong)
        assert response.status_code == 200 and "_auth_user_id" in client.session, attempt
        assert "Your old password was entered incorrectly" in response.content.decode()
    assert "One more wrong password signs you out." in response.content.decode()
    response = client.post("/password/", wrong, follow=True)
    assert response.redirect_chain[0][0] == "/login/"
    assert "wrong current password too many times, so you were signed out" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/password/").status_code == 302  # signed out: back to the sign-in page
    hiring_manager.refresh_from_db()
    assert hiring_manager.check_password(PASSWORD)
    events = AuditEvent.objects.filter(action="auth.password_change_failed").order_by("pk")
    assert [(e.actor, e.detail["failures"], e.detail["signed_out"]) for e in events] == [
        (hiring_manager, n, n == 5) for n in range(1, 6)]


def test_a_right_current_password_changes_it_and_clears_the_count(client, hiring_manager):
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    new = "a-new-long-password-7"
    for _ in range(4):
        client.post("/password/", {"old_password": "a-guess-at-it-0", "new_password1": new, "new_password2": new})
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == "/password/done/"
    hiring_manager.refresh_from_db()
    assert hiring_manager.check_password(new)
    # The count starts again: one more wrong password does not sign the session out.
    client.post("/password/", {"old_password": "a-guess-at-it-0", "new_password1": "x" * 12, "new_password2": "x" * 12})
    assert client.get("/password/").status_code == 200


def test_a_weak_new_password_is_not_counted_as_a_wrong_current_one(client, hiring_manager):
    client.post("/login/", {"username": "hm", "password": PASSWORD})
    for _ in range(6):
        response = client.post("/password/", {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
        assert response.status_code == 200
    assert "_auth_user_id" in client.session
