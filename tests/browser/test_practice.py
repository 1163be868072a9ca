"""Practice scoring in a browser: an interviewer scores five sample answers of a question, sees
each reference score only after scoring it, and becomes qualified; the recruiter's dashboard
shows it for the position's plan. The pages are checked by axe, as the others are."""

import pytest
from playwright.sync_api import expect

from questionbank.models import Question
from tests.browser.test_accessibility import check_page, new_page, visit
from tests.factories import make_plan, make_position
from tests.practice_data import make_samples

pytestmark = pytest.mark.browser


def test_an_interviewer_practises_five_samples_and_qualifies(open_session, people, browser, live_server):
    question = Question.objects.get(slug="bias-variance")
    samples = make_samples(question, references=(1, 2, 3, 4, 3))
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Ranking")
    make_plan(position=position, name="Ranking screen", sections=[("Fundamentals", ["bias-variance"])])

    ivan = open_session("practice-ivan")
    ivan.login("ivan")
    page = ivan.page
    page.get_by_role("link", name="Practice").click()
    # The bank ships samples for 44 questions (two pages): narrow the list to the question's area.
    page.get_by_label("Area").select_option(question.area)
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tr", has_text=question.title)
    expect(row).to_contain_text("Not started")
    row.get_by_role("link", name=question.title).click()
    for n, sample in enumerate(samples, 1):
        expect(page.get_by_text(f"Sample {n} of 5.", exact=False)).to_be_visible()
        expect(page.locator(".practice-answer")).to_contain_text(sample.answer)
        # Not on the page before scoring.
        expect(page.locator("body")).not_to_contain_text(sample.rationale)
        page.get_by_label(f"{sample.reference_score} · ").check()
        page.get_by_role("button", name="Score and see the reference").click()
        expect(page.get_by_role("heading", name=f"You scored {sample.reference_score}; the reference is "
                                                f"{sample.reference_score}")).to_be_visible()
        expect(page.locator(".practice-off")).to_have_text("Exactly right: you were 0 off.")
        expect(page.locator(".practice-rationale")).to_have_text(sample.rationale)
        if n == 3:
            ivan.shot("result")
        if n < 5:
            expect(page.locator(".standing")).to_have_text(f"{n} of 5 scored")
            page.get_by_role("link", name="Next sample").click()
    expect(page.locator(".standing")).to_have_text("Qualified")
    page.get_by_role("link", name="See your standing").click()
    expect(page.get_by_role("status")).to_contain_text("You are qualified for it.")
    page.get_by_role("link", name="Other questions").click()
    page.get_by_label("Area").select_option(question.area)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tr", has_text=question.title)).to_contain_text("Qualified")
    ivan.shot("list")

    rita = open_session("practice-rita")
    rita.login("rita")
    rita.goto("/practice/qualifications/")
    table = rita.page.locator(".qualification-table")
    expect(table.locator("tr", has_text="Ivan")).to_contain_text("Qualified")
    expect(table.locator("tr", has_text="Iris")).to_contain_text("Not started")
    rita.shot("dashboard")

    for user, path, label in ((people["ivan"], f"/practice/samples/{samples[0].pk}/", "a practice sample"),
                              (people["ivan"], f"/practice/samples/{samples[0].pk}/result/", "a practice result"),
                              (people["rita"], "/practice/qualifications/", "the qualification dashboard")):
        checked = new_page(browser, live_server, user)
        assert visit(checked, live_server.url + path) == 200
        assert check_page(checked, label) == []
        checked.context.close()
