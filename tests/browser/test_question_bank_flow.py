"""The hiring manager's first session with the bank, clicked through in Chromium."""

import pytest

from questionbank.models import Question

pytestmark = pytest.mark.browser


def test_a_hiring_manager_searches_opens_and_authors_a_question(open_session, people):
    s = open_session("bank")
    s.login("hannah")
    s.page.get_by_role("link", name="Question bank").first.click()
    s.page.get_by_label("Search questions").fill("regularization")
    s.page.get_by_role("button", name="Search").click()
    first = s.page.locator(".question-results li").first
    assert "L1 and L2 regularization" in first.inner_text()
    assert first.locator("mark").first.inner_text().lower() == "regularization"
    s.shot("search")

    first.get_by_role("link").click()
    assert s.page.get_by_role("heading", name="Rubric").is_visible()
    assert s.page.locator(".anchor").count() == 4
    s.shot("question")

    s.page.get_by_role("link", name="Question bank").first.click()
    s.page.get_by_role("link", name="New question", exact=True).click()
    s.page.get_by_label("Title").fill("Calibrating predicted probabilities")
    s.page.get_by_label("Prompt").fill("Your model says 0.9 but half of those cases are negative. What is going on?")
    s.page.get_by_label("Data scientist").check()
    s.page.locator("#id_criteria-0-text").fill("Describes a reliability diagram")
    s.page.get_by_role("button", name="Save").click()
    # Bad input: one criterion and no anchors. The page says what is wrong and keeps the text.
    assert s.page.get_by_text("Write at least 2 rubric criteria (you have 1)").is_visible()
    assert s.page.get_by_label("Prompt").input_value().startswith("Your model says 0.9")
    s.shot("form-errors")

    s.page.locator("#id_criteria-1-text").fill("Fits the calibrator on held-out data")
    for level, text in enumerate(["Confuses calibration with accuracy.", "Names calibration, no method.",
                                  "Platt or isotonic on held-out data.", "Adds drift of calibration and costs."], 1):
        s.page.locator(f"#id_anchor_{level}").fill(text)
    s.page.get_by_role("button", name="Save").click()
    s.page.wait_for_url("**/questions/calibrating-predicted-probabilities/")
    assert s.page.get_by_text("Saved “Calibrating predicted probabilities” as a draft").is_visible()
    s.page.get_by_role("button", name="Publish").click()
    assert s.page.get_by_text("is now published").is_visible()
    assert Question.objects.get(slug="calibrating-predicted-probabilities").status == "published"


def test_an_interviewer_sees_no_authoring_and_gets_a_clear_403(open_session, people):
    s = open_session("interviewer")
    s.login("ivan")
    assert s.page.get_by_role("link", name="Question bank").count() == 1
    assert s.page.get_by_role("link", name="New question").count() == 0
    response = s.goto("/questions/new/")
    assert response.status == 403
    assert s.page.get_by_role("heading", name="You can't do that with your role").is_visible()
