"""Pages fit their screen: the comparison on a 1366 px laptop (with and without the
normalised column), a scroll cue when it cannot fit, calibration on a 390 px phone, and a
300-character search term. Measured in Chromium on the demo data."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo_data import demo, sign_in  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
BOX_WIDTH = "(box) => [box.scrollWidth, box.clientWidth]"


def open_page(browser, live_server, user, path, width, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    sign_in(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + path)
    return page


@pytest.mark.parametrize("query", ["", "?normalise=1"])
def test_the_comparison_table_fits_a_1366_px_screen(browser, live_server, demo, query):
    page = open_page(browser, live_server, demo.users["rita"], f"/positions/{demo.position.pk}/compare/{query}", 1366)
    box = page.locator(".compare-scroll")
    scroll_width, client_width = box.evaluate(BOX_WIDTH)
    assert scroll_width <= client_width, (scroll_width, client_width)
    for heading in ("Decision", "Planned", "Overall"):
        expect(page.locator(".compare-table thead").get_by_role("link", name=heading)).to_be_in_viewport(ratio=1)
    expect(page.locator("#compare-scroll-hint")).to_be_hidden()
    width, viewport = page.evaluate(PAGE_WIDTH)
    assert width <= viewport


def test_a_comparison_too_wide_for_the_screen_shows_the_scroll_cue_and_keeps_names_in_view(browser, live_server, demo):
    page = open_page(browser, live_server, demo.users["rita"], f"/positions/{demo.position.pk}/compare/?normalise=1", 1000)
    box = page.locator(".compare-scroll")
    scroll_width, client_width = box.evaluate(BOX_WIDTH)
    assert scroll_width > client_width
    expect(page.locator("#compare-scroll-hint")).to_be_visible()
    expect(page.locator("#compare-scroll-hint")).to_contain_text("scroll the table sideways")
    assert page.evaluate(PAGE_WIDTH)[0] <= 1000  # the table scrolls in its box, not the page
    name = page.locator(".compare-name").first
    left_before = name.bounding_box()["x"]
    box.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    expect(box).to_have_class(re.compile(r"\bis-scrolled\b"))
    assert abs(name.bounding_box()["x"] - left_before) < 1  # sticky: still where it was
    assert name.evaluate("(cell) => getComputedStyle(cell).boxShadow") != "none"  # the shadow beside it


def test_calibration_fits_a_phone_and_its_tables_scroll_in_their_own_box(browser, live_server, demo):
    page = open_page(browser, live_server, demo.users["hannah"], "/calibration/", 390, 844)
    width, viewport = page.evaluate(PAGE_WIDTH)
    assert width <= viewport, (width, viewport)
    scroll_width, client_width = page.locator("section[aria-labelledby='interviewers-title'] .table-responsive").evaluate(BOX_WIDTH)
    assert scroll_width > client_width  # the table is wider than the phone, and scrolls inside its box


@pytest.mark.parametrize("width", [390, 1366])
def test_a_300_character_search_term_does_not_widen_the_page(browser, live_server, demo, width):
    term = "a" * 300
    page = open_page(browser, live_server, demo.users["hannah"], f"/questions/?q={term}", width)
    expect(page.get_by_role("heading", name="Question bank")).to_be_visible()
    page_width, viewport = page.evaluate(PAGE_WIDTH)
    assert page_width <= viewport, (page_width, viewport)
    expect(page.locator(".search-summary")).to_contain_text("No question matches “aaaa")


@pytest.mark.parametrize("width", [1024, 1200, 1366])
@pytest.mark.parametrize("username", ["admin", "rita", "hannah"])
def test_the_navigation_bar_fits_a_laptop_for_every_role(browser, live_server, demo, username, width):
    """The admin's bar has the most links (Practice, the Admin menu, the bell, the name): it once ran off
    a 1366 px screen and pushed a 1024 px page sideways."""
    page = open_page(browser, live_server, demo.users[username], "/", width)
    page_width, viewport = page.evaluate(PAGE_WIDTH)
    assert page_width <= viewport, (page_width, viewport)
    name = page.locator("#nav-main .dropdown-menu-end").locator("..").locator("a.dropdown-toggle")
    if width >= 1200:  # the whole bar is shown; below, it folds behind the menu button
        box = name.bounding_box()
        assert box["x"] + box["width"] <= viewport, (box, viewport)
    else:
        expect(page.get_by_role("button", name="Toggle navigation")).to_be_visible()
