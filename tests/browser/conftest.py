"""Headless Chromium driven by Playwright against Django's live test server.

Chromium is Debian's (installed by `make browser-deps`); Playwright's own browser download
needs internet access that CI does not have. Screenshots of every page a test passes go to
test-artifacts/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD, make_user

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is not installed: run `make browser-deps` (the README's `make test` does).")


def launch_browser():
    """Chromium for the whole test session: the `browser` fixture of tests/conftest.py yields
    from here, so every folder that drives a browser (tests/browser, tests/sso) shares one
    Playwright (a second one refuses to start inside the first one's event loop)."""
    from playwright.sync_api import expect

    # Generous waits: CI shares two cores with PostgreSQL and the live server.
    expect.set_options(timeout=20_000)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def people(bank):
    return {
        "hm": make_user("hannah", Role.HIRING_MANAGER, first_name="Hannah"),
        "ivan": make_user("ivan", Role.INTERVIEWER, first_name="Ivan"),
        "iris": make_user("iris", Role.INTERVIEWER, first_name="Iris"),
        "rita": make_user("rita", Role.RECRUITER, first_name="Rita"),
    }


class Session:
    """One person's browser context, with a helper to sign in and to keep screenshots."""

    def __init__(self, context, base_url, name):
        self.context, self.base_url, self.name = context, base_url, name
        self.page = context.new_page()
        self.page.set_default_timeout(20_000)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def login(self, username):
        self.goto("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: "/login/" not in url)

    def shot(self, label):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{label}.png"), full_page=True)


@pytest.fixture
def open_session(browser, live_server):
    contexts = []

    def open_(name, viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        return Session(context, live_server.url, name)

    yield open_
    for context in contexts:
        context.close()
