"""A design round scored phase by phase in Chromium: the interviewer moves through the six
phases and the round as a whole, each showing its focus, criteria and anchors, ticks a
criterion and scores each; the hiring manager's debrief shows the score of every phase."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import PlanItem
from scoring.models import QuestionScore
from tests.factories import make_candidate, make_interview, make_plan, make_position
from tests.phased import make_phased_question, phased_content

pytestmark = pytest.mark.browser
TITLE = "Feed ranking round: a phased test design"
PARTS = ("Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring", "Overall")
SCORES = (4, 3, 3, 2, 3, 4, 3)


@pytest.fixture
def interview(people):
    make_phased_question()
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    plan = make_plan(position=position, name="Design onsite", sections=[("Design", ["feed-ranking-phased"])],
                     competencies=["System design"])
    PlanItem.objects.filter(plan=plan).update(minutes=45)
    return make_interview(candidate=make_candidate(position=position, name="Dana Design"), plan=plan,
                          interviewers=[people["ivan"]])


def test_an_interviewer_scores_a_design_round_phase_by_phase_and_the_debrief_shows_each(open_session, interview):
    content = phased_content()
    s = open_session("design-phases")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    current = page.locator(".live-question:not([hidden])")
    for n, (part, score) in enumerate(zip(PARTS, SCORES)):
        expect(current.locator("h2")).to_have_text(f"{TITLE} · {part}")
        if part == "Overall":
            expect(current.locator(".phase-focus")).to_have_count(0)
            criterion = content["criteria"][0]
            anchor = content["anchors"][score]
        else:
            expect(current.locator(".phase-focus")).to_contain_text(content["phases"][n]["focus"])
            criterion = content["phases"][n]["criteria"][0]
            anchor = content["phases"][n]["anchors"][score]
            # Only this phase's criteria are offered.
            expect(current.locator("input[name=criteria]")).to_have_count(2)
        expect(current.get_by_text(anchor)).to_be_visible()
        current.get_by_label(criterion).check()
        page.keyboard.press(str(score))
        if n == 2:
            s.shot("design-phase-modelling")
        if part != "Overall":
            page.keyboard.press("n")
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Saved \d\d:\d\d:\d\d$"), timeout=20_000)
    saved = list(QuestionScore.objects.filter(scorecard__interview=interview).order_by("question__order")
                 .values_list("question__phase", "score"))
    assert saved == list(zip([0, 1, 2, 3, 4, 5, None], SCORES))
    assert all(len(row.criteria_met) == 1 for row in QuestionScore.objects.filter(scorecard__interview=interview))

    page.get_by_role("link", name="Review and submit").first.click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Summary").fill("Clear requirements; thin on evaluation.")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted")).to_be_visible()

    hm = open_session("design-phases-debrief")
    hm.login("hannah")
    hm.goto(f"/candidates/{interview.candidate.pk}/debrief/")
    for part, score in zip(PARTS, SCORES):
        row = hm.page.locator("tr", has=hm.page.get_by_role("rowheader", name=re.compile(re.escape(f"{TITLE} · {part}"))))
        expect(row.locator(".score-pill")).to_have_text(str(score))
    hm.shot("design-phases-debrief")


def test_the_pages_showing_phases_have_no_serious_accessibility_violation(browser, live_server, people, interview):
    from tests.browser.test_accessibility import check_page, new_page, visit

    problems = []
    for user, path in ((people["hm"], "/questions/feed-ranking-phased/"),
                       (people["hm"], "/questions/feed-ranking-phased/edit/"),
                       (people["ivan"], f"/interviews/{interview.pk}/live/?q=2")):
        page = new_page(browser, live_server, user)
        assert visit(page, live_server.url + path) == 200, path
        problems += check_page(page, path)
        page.context.close()
    assert problems == []
