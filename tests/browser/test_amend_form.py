"""The amendment form in Chromium: only the new-value input that fits the chosen field shows,
and an amendment made through it reaches the hiring manager's debrief, in words."""

import pytest
from playwright.sync_api import expect

from scoring.models import Scorecard
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    interview = make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                               interviewers=[people["ivan"], people["iris"]])
    make_scorecard(interview=interview, interviewer=people["iris"], scores=[1, 2, 2], recommendation="no")
    make_scorecard(interview=interview, interviewer=people["ivan"], scores=[4, 3, 3], recommendation="strong_yes")
    return interview


def test_the_amend_form_shows_only_the_input_that_fits_and_the_debrief_says_the_change(open_session, submitted):
    s = open_session("amend")
    s.login("ivan")
    s.goto(f"/interviews/{submitted.pk}/scorecard/")
    page = s.page
    field = page.get_by_label("What to change")
    new_score, new_recommendation = page.get_by_label("New score"), page.get_by_label("New recommendation")
    new_text = page.get_by_label("New text (summary or notes)")

    field.select_option(label="Overall recommendation")
    expect(new_recommendation).to_be_visible()
    expect(new_score).to_be_hidden()
    expect(new_text).to_be_hidden()

    field.select_option(index=2)  # the first question's score
    expect(new_score).to_be_visible()
    expect(new_recommendation).to_be_hidden()
    expect(new_text).to_be_hidden()

    field.select_option(label="Summary")
    expect(new_text).to_be_visible()
    expect(new_score).to_be_hidden()

    field.select_option(index=2)
    new_score.select_option("3")
    page.get_by_label("Reason").fill("Read the rubric again")
    s.shot("amend-form")
    page.get_by_role("button", name="Save amendment").click()
    expect(page.get_by_text("Amendment saved")).to_be_visible()
    assert Scorecard.objects.get(interviewer__username="ivan").amendments.get().new_value == 3

    hm = open_session("amend-hm")
    hm.login("hannah")
    hm.goto(f"/candidates/{submitted.candidate.pk}/debrief/")
    amendments = hm.page.locator(".debrief-amendments")
    expect(amendments).to_contain_text("4 (Excellent) → 3 (Good)")
    expect(amendments).to_contain_text("after reading colleagues’ scorecards")
    expect(amendments).to_contain_text("Read the rubric again")
    hm.shot("debrief-amended")
