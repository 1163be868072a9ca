"""Signed webhooks, as an admin sets them up: the admin creates a subscription in the browser
and copies its secret; an interviewer's scorecard is submitted; a worker process delivers the
event to a real receiver on loopback, whose check of the signature with the copied secret
passes; the subscription's delivery log shows the receiver's 200. The pages have no serious
accessibility violation."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scoring.models import QuestionScore
from scoring.services import scorecard_open
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import check_page, new_page
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position
from tests.test_two_processes import database_url
from tests.webhooks.conftest import body_of, verify
from webhooks.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_queue")]
ROOT = Path(__file__).resolve().parents[2]


def shot(page, label):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"webhooks-admin-{label}.png"), full_page=True)


def test_an_admin_subscribes_and_the_delivery_log_shows_the_submitted_scorecard(browser, live_server, people, settings,
                                                                               webhook_receiver):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = ["127.0.0.0/8"]  # the receiver is on loopback
    # A page that lets axe's script in (bypass_csp), signed in as an admin.
    page = new_page(browser, live_server, make_user("ada-admin", is_staff=True, is_superuser=True, first_name="Ada"))
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Admin", exact=True).click()
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
    problems = check_page(page, "admin /webhooks/ (empty)")
    page.get_by_role("link", name="New subscription").click()
    page.get_by_label("Name").fill("Greenhouse sync")
    page.get_by_label("URL").fill("http://10.0.0.5/hook")  # a private address first
    page.get_by_label("Scorecard submitted").check()
    page.get_by_role("button", name="Create subscription").click()
    expect(page.get_by_text("webhooks go to public addresses only")).to_be_visible()
    problems += check_page(page, "admin /webhooks/new/ (refused)")
    expect(page.get_by_label("Name")).to_have_value("Greenhouse sync")  # kept
    page.get_by_label("URL").fill(webhook_receiver.url)
    expect(page.get_by_label("Scorecard submitted")).to_be_checked()
    page.get_by_role("button", name="Create subscription").click()
    expect(page.get_by_text("shown this once")).to_be_visible()
    secret = page.locator("#new-secret").inner_text().strip()
    assert secret == Subscription.objects.get().secret
    shot(page, "created")
    problems += check_page(page, "admin /webhooks/<pk>/ (new secret)")

    # Ivan submits his scorecard (the live page's own browser tests cover the clicks).
    ivan = people["ivan"]
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    interview = make_interview(candidate=make_candidate(position=position, name="Grace Hopper"),
                               plan=make_plan(position=position), interviewers=[ivan])
    card = scorecard_open(interview=interview, interviewer=ivan)
    QuestionScore.objects.filter(scorecard=card).update(score=3)
    card.submit(recommendation="yes", summary="Solid.", by=ivan)

    env = {**os.environ, "DATABASE_URL": database_url(), "PANELIST_WEBHOOKS_ALLOW_PRIVATE": "127.0.0.0/8"}
    done = subprocess.run([sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (request,) = webhook_receiver.requests
    assert verify(request, secret)
    assert body_of(request)["type"] == "scorecard.submitted" and body_of(request)["data"]["scorecard"]["id"] == card.pk

    page.reload()
    log = page.locator("#delivery-log")
    expect(log.get_by_text("scorecard.submitted")).to_be_visible()
    expect(log.locator(".delivery-code")).to_have_text("200")
    expect(log.get_by_text("Delivered")).to_be_visible()
    expect(page.get_by_text(secret)).to_have_count(0)  # shown once only
    shot(page, "delivery-log")
    problems += check_page(page, "admin /webhooks/<pk>/ (delivery log)")
    assert not problems, "\n".join(problems)
