"""Single sign-on end to end, in Chromium, against the real test provider on loopback
(tests/sso/conftest.py): sign in with the provider, consent, land signed in with the role the
provider's groups map to; sign out, and out of the provider too; roles that follow the groups
at the next sign-in; and the refusals on our own page: an id token for another client, an
expired one, and an email domain Panelist does not accept."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import AuditEvent
from accounts.roles import Role, ensure_role_groups, roles_of
from accounts.two_factor import REQUIRED_GROUP
from tests.browser.test_accessibility import check_page, new_page, visit
from tests.sso.conftest import PROVIDER_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def role_groups(transactional_db):
    ensure_role_groups()


def sign_in_at_provider(session, email):
    """From Panelist's sign-in page, through the provider's sign-in (and consent) pages."""
    session.goto("/login/")
    page = session.page
    page.get_by_role("link", name="Sign in with Acme ID").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/accounts/login/"))
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to Acme ID").click()
    expect(page.get_by_text("Authorize Panelist?")).to_be_visible()  # the provider asks every time
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_with_the_provider_gets_the_mapped_role_and_sign_out_ends_both(
        open_session, live_server, sso_on, role_groups):
    session = open_session("sso-alice")
    page = session.page
    sign_in_at_provider(session, "alice@acme.test")
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Welcome, Alice")).to_be_visible()
    expect(page.locator(".navbar .dropdown-toggle")).to_contain_text("Hiring manager")
    expect(page.get_by_role("link", name="Write a question")).to_be_visible()
    session.shot("signed-in")
    alice = get_user_model().objects.get(email="alice@acme.test")
    assert roles_of(alice) == [Role.HIRING_MANAGER] and not alice.has_usable_password()
    assert AuditEvent.objects.filter(action="sso.user_created", target=f"user {alice.pk}").exists()
    assert AuditEvent.objects.filter(action="auth.sign_in", actor=alice).exists()

    # Panelist's own two-factor is not asked for: the provider is where the second factor lives.
    session.goto("/questions/")
    expect(page.get_by_role("heading", name="Question bank")).to_be_visible()

    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/sso/signed-out/")
    expect(page.get_by_role("heading", name="You are signed out of Panelist")).to_be_visible()
    session.shot("signed-out")
    session.goto("/")
    page.wait_for_url(re.compile(r"/login/"))  # our session is over

    session.goto("/sso/signed-out/")
    page.get_by_role("link", name="Sign out of Acme ID too").click()
    page.get_by_role("button", name="Logout").click()  # the provider's confirmation
    page.wait_for_url(live_server.url + "/login/")
    # The provider forgot her too: signing in again asks for her password there.
    page.get_by_role("link", name="Sign in with Acme ID").click()
    expect(page.get_by_role("button", name="Sign in to Acme ID")).to_be_visible()


def test_roles_follow_the_provider_groups_at_every_sign_in(open_session, live_server, sso_on, role_groups,
                                                            oidc_provider):
    session = open_session("sso-ivan")
    sign_in_at_provider(session, "ivan@acme.test")
    session.page.wait_for_url(live_server.url + "/")
    ivan = get_user_model().objects.get(email="ivan@acme.test")
    assert roles_of(ivan) == [Role.INTERVIEWER]

    # Panelist's own two-factor is for password sign-ins: a device and the requirement do not
    # stop a sign-in through the provider (the provider asks for its own second factor).
    TOTPDevice.objects.create(user=ivan, name="Authenticator app", confirmed=True)
    ivan.groups.add(Group.objects.get_or_create(name=REQUIRED_GROUP)[0])
    oidc_provider.set_groups("ivan@acme.test", ["talent"], panelist_url=live_server.url)
    try:
        other = open_session("sso-ivan-again")
        sign_in_at_provider(other, "ivan@acme.test")  # a new browser: the provider asks again
        other.page.wait_for_url(live_server.url + "/")
        expect(other.page.locator(".navbar .dropdown-toggle")).to_contain_text("Recruiter")
        other.goto("/interviews/")
        expect(other.page.get_by_role("heading", name="Interviews")).to_be_visible()  # no code page in between
        ivan = get_user_model().objects.get(pk=ivan.pk)
        assert roles_of(ivan) == [Role.RECRUITER]
        assert ivan.groups.filter(name=REQUIRED_GROUP).exists()  # not a role group: left alone
        synced = AuditEvent.objects.filter(action="sso.roles_synced", target=f"user {ivan.pk}").latest("pk")
        assert synced.detail["added"] == ["Recruiters"] and synced.detail["removed"] == ["Interviewers"]
    finally:
        oidc_provider.set_groups("ivan@acme.test", ["ml-panel"], panelist_url=live_server.url)


@pytest.mark.parametrize(("email", "heading", "reason"), [
    ("other-audience@acme.test", "The sign-in was meant for another application", "audience"),
    ("expired@acme.test", "The sign-in had expired", "expired"),
    ("olga@elsewhere.test", "Your email address is not one Panelist accepts", "domain"),
])
def test_a_refused_sign_in_lands_on_a_clear_page_and_signs_no_one_in(open_session, live_server, sso_on,
                                                                      role_groups, email, heading, reason):
    session = open_session(f"sso-refused-{reason}")
    page = session.page
    sign_in_at_provider(session, email)
    page.wait_for_url(live_server.url + "/sso/failed/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    if reason == "domain":
        expect(page.get_by_role("alert")).to_contain_text("someone at elsewhere.test")
        expect(page.get_by_role("alert")).to_contain_text("ends in @acme.test")
    session.shot("refused")
    assert not get_user_model().objects.filter(email=email).exists()
    assert AuditEvent.objects.filter(action="sso.refused").get().detail["reason"] == reason
    page.get_by_role("link", name="Back to the sign-in page").click()
    expect(page.get_by_role("heading", name="Sign in to Panelist")).to_be_visible()
    session.goto("/")
    page.wait_for_url(re.compile(r"/login/"))


def test_the_single_sign_on_pages_have_no_serious_accessibility_violation(browser, live_server, sso_down, role_groups):
    page = new_page(browser, live_server)
    problems = []
    assert visit(page, live_server.url + "/login/") == 200
    expect(page.get_by_role("link", name="Sign in with Acme ID")).to_be_visible()
    problems += check_page(page, "/login/ with single sign-on")
    assert visit(page, live_server.url + "/sso/start/") == 502  # the provider is down: our page says so
    expect(page.get_by_role("heading", name="Acme ID could not be reached")).to_be_visible()
    problems += check_page(page, "/sso/failed/ (provider down)")
    assert visit(page, live_server.url + "/sso/signed-out/") == 200
    problems += check_page(page, "/sso/signed-out/")
    sso_down.PANELIST_LOCAL_PASSWORDS, sso_down.PANELIST_BREAK_GLASS_USERS = False, ["root"]
    assert visit(page, live_server.url + "/login/") == 200
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("whatever-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Panelist does not take passwords any more")
    problems += check_page(page, "/login/ with passwords off, refused")
    assert not problems, "\n".join(problems)
