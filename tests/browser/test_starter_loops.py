"""Starter loops in a browser: a hiring manager picks a track and a level, reads the loop's five
interviews (the page checked by axe, as tests/browser/test_accessibility.py checks the others),
copies the whole loop to their position, and finds its five plans in the list."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from interviews.models import LoopStage
from tests.browser.test_accessibility import check_page, new_page, visit
from tests.factories import make_position
from tests.interviews.test_starter_loops import fixture_loops, write

pytestmark = pytest.mark.browser


def test_a_hiring_manager_picks_a_loop_and_copies_it_to_their_position(open_session, people, tmp_path, browser,
                                                                       live_server):
    call_command("load_starter_plans", loops_file=str(write(tmp_path, fixture_loops())), verbosity=0)
    position = make_position(hiring_manager=people["hm"], title="Vision team")
    hm = open_session("starter-loops")
    hm.login("hannah")
    hm.goto("/plans/")
    page = hm.page
    page.get_by_role("link", name="Starter loops by track and level").click()
    page.get_by_label("Track").select_option(label="Computer-vision engineer")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_role("button", name="Show the loop").click()

    expect(page.get_by_role("heading", name="Computer-vision engineer, senior")).to_be_visible()
    plans = page.locator(".loop-plan")
    expect(plans).to_have_count(5)
    for n, (_, label) in enumerate(LoopStage.choices):
        expect(plans.nth(n).get_by_role("heading", level=3)).to_have_text(f"{n + 1}. {label}")
    expect(plans.nth(3)).to_contain_text("10 of 60 min")
    hm.shot("loop")
    checked = new_page(browser, live_server, people["hm"])  # axe needs the policy bypassed
    assert visit(checked, f"{live_server.url}/plans/loops/?track=cv&level=senior") == 200
    assert check_page(checked, "a starter loop") == []  # in the light and the dark mode
    checked.context.close()

    page.get_by_role("button", name="Use this loop for Vision team").click()
    page.wait_for_url("**/plans/#position-plans-title")
    expect(page.get_by_role("status").first).to_contain_text(
        "Copied the starter loop “Computer-vision engineer, senior” to Vision team: 5 plans")
    rows = page.locator("#position-plans-title + * tbody tr, section[aria-labelledby=position-plans-title] tbody tr")
    expect(rows.filter(has_text="— Vision team")).to_have_count(5)
    hm.shot("copied")
    assert sorted(position.plans.values_list("cloned_from__loop_stage", flat=True)) == sorted(LoopStage.values)
