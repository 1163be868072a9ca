"""The exposure page as a hiring manager uses it on the demo data: from calibration to the
exposure page, the worn question flagged in words, then only the flagged questions of one
position. Chromium."""

import pytest
from playwright.sync_api import expect

from interviews.models import Position
from scoring.demo_exposure import TITLE
from tests.browser.demo_data import demo, sign_in  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def test_a_hiring_manager_finds_the_worn_question_of_a_position(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(context, live_server, demo.users["hannah"])
    page = context.new_page()
    page.goto(live_server.url + "/calibration/")
    page.get_by_role("link", name="Question exposure and wear").click()
    expect(page.get_by_role("heading", name="Question exposure")).to_be_visible()
    expect(page.locator(".exposure-table")).to_contain_text("it may have leaked.")

    ads = Position.objects.get(title=TITLE)
    page.get_by_label("Position", exact=True).select_option(label=str(ads))
    page.get_by_label("Flagged only").check()
    page.get_by_role("button", name="Filter").click()
    rows = page.locator(".exposure-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("May have leaked")
    expect(rows.first).to_contain_text("Over the cap of 12")
    expect(page.locator("main, body").first).to_contain_text("caps a question at 12 uses in 90 days")
    expect(page.get_by_label("Flagged only")).to_be_checked()  # what was chosen stays chosen
    expect(rows.first.locator("svg.exposure-strip rect")).to_have_count(12)
    context.close()
