"""People, end to end in Chromium: an admin invites a colleague, a worker process mails the
invitation to a real SMTP server on loopback, the colleague opens the link, chooses a password
and is signed in, signs in again with it; the admin deactivates them and their open session
ends at its next click. A forgotten password reset with the link from the mail. A recovery
code signs in once and is refused the second time."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.test_team_week import run_worker
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_queue")]
NEW_PASSWORD = "grace-chooses-a-long-one-7"


def mail_to(smtp_server, address):
    (message,) = [m for m in smtp_server.messages if m["To"] == address]
    return message


def link_path(message, pattern):
    """The path of the link in the mail's plain-text part (the worker writes the site's public
    address, PANELIST_BASE_URL; the browser goes to the live test server)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(pattern, text).group(0)


def sign_in(session, username, password):
    session.goto("/login/")
    session.page.get_by_label("Username").fill(username)
    session.page.get_by_label("Password").fill(password)
    session.page.get_by_role("button", name="Sign in").click()


def test_an_admin_invites_a_colleague_who_signs_in_and_is_then_deactivated(open_session, bank, smtp_server):
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD, first_name="Barbara")
    admin = open_session("people-1-admin")
    admin.login("boss")
    admin.page.get_by_role("button", name="Admin", exact=True).click()
    admin.page.get_by_role("link", name="People").click()
    admin.page.get_by_role("link", name="Invite a colleague").click()
    admin.page.get_by_label("Name").fill("Grace Hopper")
    admin.page.get_by_label("E-mail address").fill("grace@example.com")
    admin.page.get_by_label("Interviewer").check()
    admin.shot("invite")
    admin.page.get_by_role("button", name="Send the invitation").click()
    expect(admin.page.get_by_text("Invited Grace Hopper")).to_be_visible()

    run_worker(smtp_server)
    invitation = mail_to(smtp_server, "grace@example.com")
    assert invitation["Subject"] == "Barbara invited you to Panelist"
    path = link_path(invitation, r"/welcome/[^/\s]+/")

    grace = open_session("people-2-colleague")
    grace.goto(path)
    expect(grace.page.get_by_role("heading", name="Welcome, Grace Hopper")).to_be_visible()
    grace.page.locator("#id_new_password1").fill(NEW_PASSWORD)
    grace.page.locator("#id_new_password2").fill(NEW_PASSWORD)
    grace.shot("choose-password")
    grace.page.get_by_role("button", name="Set my password and sign in").click()
    expect(grace.page.get_by_text("Welcome to Panelist, Grace Hopper")).to_be_visible()
    # The link worked once.
    grace.goto(path)
    expect(grace.page.get_by_text("already been used")).to_be_visible()
    # Signing in again with the password chosen.
    grace.page.get_by_role("button", name=re.compile("Grace Hopper")).click()
    grace.page.get_by_role("button", name="Sign out").click()
    sign_in(grace, "grace@example.com", NEW_PASSWORD)
    expect(grace.page.get_by_role("link", name="Interviews", exact=True)).to_be_visible()

    # The admin deactivates her: her open session ends at her next click.
    admin.goto("/people/")
    admin.page.get_by_role("link", name="Grace Hopper").click()
    admin.page.get_by_role("button", name="Deactivate Grace Hopper").click()
    expect(admin.page.get_by_text("signed out everywhere")).to_be_visible()
    admin.shot("deactivated")
    grace.page.get_by_role("link", name="Interviews", exact=True).click()
    grace.page.wait_for_url(re.compile(r"/login/"))
    sign_in(grace, "grace@example.com", NEW_PASSWORD)
    expect(grace.page.get_by_text("don’t match")).to_be_visible()


def test_a_forgotten_password_is_reset_with_the_link_from_the_mail(open_session, bank, smtp_server):
    make_user("ada", email="ada@example.com", first_name="Ada")
    ada = open_session("people-3-reset")
    ada.goto("/login/")
    ada.page.get_by_role("link", name="Forgot your password?").click()
    ada.page.get_by_label("Your e-mail address").fill("ada@example.com")
    ada.page.get_by_role("button", name="Mail me a link").click()
    expect(ada.page.get_by_role("heading", name="Check your mail")).to_be_visible()

    run_worker(smtp_server)  # the reset job writes the mail, whose own job sends it
    path = link_path(mail_to(smtp_server, "ada@example.com"), r"/password/reset/[^/\s]+/[^/\s]+/")
    ada.goto(path)
    ada.page.locator("#id_new_password1").fill(NEW_PASSWORD)
    ada.page.locator("#id_new_password2").fill(NEW_PASSWORD)
    ada.page.get_by_role("button", name="Save my new password").click()
    expect(ada.page.get_by_text("Your password is changed")).to_be_visible()
    sign_in(ada, "ada", NEW_PASSWORD)
    ada.page.wait_for_url(lambda url: "/login/" not in url)
    # The link died on use.
    ada.goto(path)
    expect(ada.page.get_by_role("heading", name="This reset link does not work")).to_be_visible()


def test_a_recovery_code_signs_in_once(open_session, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    ivan = open_session("people-4-recovery")
    ivan.login("ivan")
    ivan.goto("/account/two-factor/")
    ivan.page.get_by_role("button", name="Set up two-factor sign-in").click()
    secret = ivan.page.locator("#two-factor-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    ivan.page.get_by_label("6-digit code").fill(f"{totp(key):06d}")
    ivan.page.get_by_role("button", name="Confirm and turn on").click()
    codes = ivan.page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    ivan.shot("codes")
    ivan.page.get_by_role("link", name="I have saved them").click()
    expect(ivan.page.locator("#recovery-codes-left")).to_contain_text("You have 10 unused recovery codes")

    for attempt in ("first", "second"):
        ivan.page.get_by_role("button", name=re.compile("Ivan")).click()
        ivan.page.get_by_role("button", name="Sign out").click()
        sign_in(ivan, "ivan", PASSWORD)
        ivan.page.wait_for_url(re.compile(r"/login/verify/"))
        ivan.page.get_by_text("Use a recovery code").click()
        ivan.page.get_by_label("Recovery code").fill(codes[0])
        ivan.page.get_by_role("button", name="Sign in with a recovery code").click()
        if attempt == "first":
            expect(ivan.page.get_by_text("You signed in with a recovery code")).to_be_visible()
            expect(ivan.page.get_by_text("You have 9 left")).to_be_visible()
        else:
            expect(ivan.page.get_by_text("was used before")).to_be_visible()
            ivan.shot("code-refused")
