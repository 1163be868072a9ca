"""Calibration people can act on, in Chromium: a hiring manager filters the figures by position
and drills into an interviewer's scorecards, down to a debrief; an interviewer opens their own
calibration from the menu, and sees nobody else's figures. Each page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.test_accessibility import check_page, new_page, visit
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.browser


def scored_interviews(position, plan, cards, *, times, label):
    for n in range(times):
        candidate = make_candidate(position=position, name=f"{label} candidate {n + 1}", email=f"{label}{n}@example.com")
        interview = make_interview(candidate=candidate, plan=plan, interviewers=[person for person, _ in cards],
                                   starts_at=timezone.now() - timedelta(days=3 + n))
        for person, scores in cards:
            make_scorecard(interview=interview, interviewer=person, scores=scores)


@pytest.fixture
def history(people):
    """Ranking: Ivan a point above Iris, six interviews. Search: Iris and Omar level, four."""
    omar = make_user("omar", Role.INTERVIEWER, first_name="Omar")
    ranking = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Ranking engineer")
    search = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Search engineer")
    scored_interviews(ranking, make_plan(position=ranking), [(people["ivan"], [4, 3, 3]), (people["iris"], [3, 2, 2])],
                      times=6, label="Ranking")
    scored_interviews(search, make_plan(position=search, name="Search screen"),
                      [(people["iris"], [2, 3, 3]), (omar, [2, 3, 3])], times=4, label="Search")
    return {"ranking": ranking, "search": search, "omar": omar}


def axe_problems(browser, live_server, user, urls):
    """axe's serious findings on ``urls``, light and dark, in a context that lets axe in (the
    app's policy forbids its inline script, rightly)."""
    page = new_page(browser, live_server, user)
    problems = []
    for url in urls:
        assert visit(page, url) == 200
        problems += check_page(page, url)
    page.context.close()
    return problems


def test_a_hiring_manager_filters_by_position_and_drills_into_an_interviewer(browser, live_server, open_session, people,
                                                                            history):
    session = open_session("calibration-hm")
    errors = []
    session.page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    session.login("hannah")
    page = session.page
    page.get_by_role("link", name="Calibration").click()
    expect(page.get_by_role("heading", name="Calibration", level=1)).to_be_visible()
    expect(page.locator("#interviewer-" + str(history["omar"].pk))).to_be_visible()  # everyone, unfiltered

    page.get_by_label("Position").select_option(label="Ranking engineer")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#calibration-scope")).to_contain_text("Figures for interviews for Ranking engineer")
    expect(page.locator("#interviewer-" + str(history["omar"].pk))).to_have_count(0)  # never on a Ranking panel
    expect(page.get_by_label("Position")).to_have_value(str(history["ranking"].pk))  # the choice stays
    ivan_row = page.locator(f"#interviewer-{people['ivan'].pk}")
    expect(ivan_row).to_contain_text("Ivan scores about one point higher than the people they interview with "
                                     "(6 shared interviews; 95% interval")
    expect(page.get_by_role("img", name="Leniency per interviewer, with 95% intervals")).to_be_visible()
    session.shot("filtered")
    filtered_url = page.url

    ivan_row.get_by_role("link", name="Ivan").click()
    expect(page.get_by_role("heading", name="Ivan: submitted scorecards")).to_be_visible()
    expect(page.locator("main")).to_contain_text("6 submitted scorecards in interviews for Ranking engineer")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("Ranking candidate 1")
    expect(rows.first).to_contain_text("+1.00")
    session.shot("drill-down")
    drill_url = page.url

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Debrief: Ranking candidate 1")).to_be_visible()
    page.go_back()
    page.get_by_label("breadcrumb").get_by_role("link", name="Calibration").click()  # the filters kept
    expect(page.locator("#calibration-scope")).to_contain_text("Ranking engineer")
    assert [error for error in errors if "Content Security Policy" in error] == []
    assert axe_problems(browser, live_server, people["hm"], [filtered_url, drill_url]) == []


def test_an_interviewer_opens_their_own_calibration_from_the_menu(browser, live_server, open_session, people, history):
    session = open_session("calibration-own")
    session.login("ivan")
    page = session.page
    page.get_by_role("button", name="Ivan").or_(page.get_by_role("link", name="Ivan")).first.click()
    page.get_by_role("link", name="My calibration").click()
    expect(page.get_by_role("heading", name="My calibration", level=1)).to_be_visible()
    expect(page.locator("#my-sentence")).to_contain_text(
        "You score about one point higher than the people you interview with (6 shared interviews; 95% interval")
    body = page.locator("main")
    expect(body).not_to_contain_text("Iris")
    expect(body).not_to_contain_text("Ranking candidate")
    session.shot("own")
    assert axe_problems(browser, live_server, people["ivan"], [page.url]) == []
    # The page has no id in its address: there is no one else's to open.
    assert page.url.endswith("/calibration/me/")

    other = open_session("calibration-own-below")
    other.login("omar")
    other.goto("/calibration/me/")
    expect(other.page.locator("#calibration-not-yet")).to_contain_text(
        "1 more scorecard before your figures mean something")
    expect(other.page.locator("#calibration-not-yet")).to_contain_text("You have submitted 4")
