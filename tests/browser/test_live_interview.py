"""The live interview page in Chromium: scoring by keyboard, losing the network and
reloading without losing a change, and two tabs on one scorecard."""

import re

import pytest
from playwright.sync_api import expect

from scoring.models import QuestionScore, Scorecard
from tests.conftest import PASSWORD
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.browser


@pytest.fixture
def interview(people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    plan = make_plan(position=position)
    return make_interview(candidate=make_candidate(position=position), plan=plan, interviewers=[people["ivan"], people["iris"]])


def scores(interview, username):
    return list(
        QuestionScore.objects.filter(scorecard__interview=interview, scorecard__interviewer__username=username)
        .order_by("question__order").values_list("score", "skipped", "skip_reason", "notes")
    )


AUTOSAVE = re.compile(r".*/autosave/$")


def network_switch(page):
    """Route the autosave URL before the page loads and return a switch that drops its requests.
    A route added to a page already loaded can miss a save sent at once (under load Chromium was
    seen letting one through unpaused: no route call, no "request" event)."""
    network = {"down": False}
    page.route(AUTOSAVE, lambda route: route.abort("internetdisconnected") if network["down"] else route.continue_())
    return network


def wait_saved(page):
    # A locator assertion, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Saved \d\d:\d\d:\d\d$"), timeout=20_000)


def test_an_interviewer_scores_a_whole_interview_by_keyboard_and_submits(open_session, interview):
    s = open_session("keyboard")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    assert page.locator(".live-question:not([hidden]) h2").inner_text().startswith("Bias-variance")
    page.keyboard.press("3")
    page.keyboard.press("/")
    page.keyboard.type("Wrote the decomposition unprompted.")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.keyboard.press("4")
    page.keyboard.press("n")
    page.keyboard.press("s")  # skip asks for a reason: focus goes to the reason box
    page.keyboard.type("Ran out of time")
    page.keyboard.press("Escape")
    page.keyboard.press("p")
    assert "Precision" in page.locator(".live-question:not([hidden]) h2").inner_text()
    wait_saved(page)
    s.shot("live-keyboard")
    assert scores(interview, "ivan") == [
        (3, False, "", "Wrote the decomposition unprompted."), (4, False, "", ""), (None, True, "Ran out of time", ""),
    ]
    page.get_by_role("link", name="Review and submit").first.click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Summary").fill("Solid fundamentals; ran out of time for coding.")
    s.shot("scorecard")
    page.get_by_role("button", name="Submit scorecard").click()
    assert page.get_by_text("Scorecard submitted").is_visible()
    assert Scorecard.objects.get(interview=interview, interviewer__username="ivan").status == "submitted"


def test_changes_made_while_the_network_is_down_survive_a_reload(open_session, interview):
    s = open_session("offline")
    s.login("iris")
    page = s.page
    network = network_switch(page)
    s.goto(f"/interviews/{interview.pk}/live/")
    page.keyboard.press("2")
    wait_saved(page)

    # The network drops: autosave requests fail, the page keeps queueing.
    network["down"] = True
    page.keyboard.press("4")
    page.keyboard.press("/")
    page.keyboard.type("Typed while offline")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.keyboard.press("1")
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Offline: \d+ changes? waiting$"), timeout=20_000)
    s.shot("live-offline")
    assert scores(interview, "iris")[0][0] == 2  # nothing new reached the server

    # The tab is reloaded while still offline: the queued changes are shown, not lost.
    page.reload()
    assert page.locator("#question-1 input[name=score][value='4']").is_checked()
    assert page.locator("#question-1 textarea").input_value() == "Typed while offline"

    # The network returns: everything is sent, in order, exactly once.
    network["down"] = False
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page)
    rows = scores(interview, "iris")
    assert rows[0] == (4, False, "", "Typed while offline")
    assert rows[1][0] == 1
    page.reload()
    assert page.locator("#question-1 input[name=score][value='4']").is_checked()


def test_two_tabs_on_one_scorecard_show_a_conflict_instead_of_overwriting(open_session, interview):
    s = open_session("tabs")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    first = s.page
    second = s.context.new_page()
    network = network_switch(second)
    second.goto(s.base_url + f"/interviews/{interview.pk}/live/")

    first.locator("#question-1 textarea").fill("Notes from the first tab")
    wait_saved(first)
    # The second tab scores and writes notes while its requests cannot get out, so all of it
    # reaches the server after the first tab's change, based on the older version.
    network["down"] = True
    second.locator("label[for='score-1-3']").click()
    second.locator("#question-1 textarea").fill("Notes from the second tab")
    expect(second.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    network["down"] = False
    second.evaluate("window.dispatchEvent(new Event('online'))")

    # The refusal is told beside the question, naming the lost score and notes, and the pill
    # says so instead of "Saved".
    notice = second.locator("#question-1 [data-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("changed in another tab")
    expect(notice).to_contain_text("score 3")
    expect(notice).to_contain_text("Notes from the second tab")
    expect(second.locator("#save-state")).to_have_text("Conflict: question 1")
    # The second tab now shows the saved (newer) value, and the server kept it.
    assert second.locator("#question-1 textarea").input_value() == "Notes from the first tab"
    assert not second.locator("#question-1 input[name=score][value='3']").is_checked()
    assert scores(interview, "ivan")[0] == (None, False, "", "Notes from the first tab")
    s.shot("live-conflict")
    s.page = second
    s.shot("live-conflict-second-tab")

    # Re-applying the change deliberately saves it and clears the message.
    second.locator("label[for='score-1-3']").click()
    wait_saved(second)
    expect(notice).to_be_hidden()
    assert scores(interview, "ivan")[0] == (3, False, "", "Notes from the first tab")


def test_a_change_made_after_the_session_ended_waits_for_a_new_sign_in(open_session, interview):
    s = open_session("signed-out")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    # The session ends on the server (idle timeout): the next save is answered 401.
    from django.contrib.sessions.backends.db import SessionStore

    from accounts import middleware as sessions

    key = next(c["value"] for c in s.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[sessions.SEEN_AT] = session[sessions.SEEN_AT] - 10 * 3600
    session.save()
    page.keyboard.press("3")
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Signed out: sign in again in a new tab; 1 change waiting$"),
                                                     timeout=20_000)
    assert scores(interview, "ivan")[0][0] is None
    # Signing in again in another tab lets the queued change through (with the new CSRF token).
    other = s.context.new_page()
    other.goto(s.base_url + "/login/")
    other.get_by_label("Username").fill("ivan")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page)
    assert scores(interview, "ivan")[0][0] == 3


def test_ticking_skipped_with_the_mouse_after_a_score_clears_the_score_and_saves_the_skip(open_session, interview):
    s = open_session("mouse-skip")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    page.locator("label[for='score-1-4']").click()
    wait_saved(page)
    assert scores(interview, "ivan")[0][:2] == (4, False)

    page.locator("label[for='skip-1']").click()
    # The score is cleared at once and the reason asked for; nothing is refused.
    assert not any(page.locator(f"#score-1-{level}").is_checked() for level in range(1, 5))
    expect(page.locator("#skip-reason-1")).to_be_focused()
    page.locator("#skip-reason-1").fill("The candidate asked to move on")
    page.keyboard.press("Escape")  # leaving the box saves at once
    wait_saved(page)
    expect(page.locator("#question-1 [data-notice]")).to_be_hidden()
    assert scores(interview, "ivan")[0] == (None, True, "The candidate asked to move on", "")

    page.reload()
    expect(page.locator("#skip-1")).to_be_checked()
    expect(page.locator("#skip-reason-1")).to_have_value("The candidate asked to move on")
    assert not any(page.locator(f"#score-1-{level}").is_checked() for level in range(1, 5))

    # Unticking it brings no score back: the interviewer picks one again.
    page.locator("#skip-1").click()
    wait_saved(page)
    assert scores(interview, "ivan")[0] == (None, False, "", "")
    page.locator("label[for='score-1-2']").click()
    wait_saved(page)
    assert scores(interview, "ivan")[0] == (2, False, "", "")


def test_the_reference_solution_and_tests_open_under_a_coding_question_and_no_model_answer_is_shown(open_session, interview):
    s = open_session("live-reference")
    s.login("iris")
    s.goto(f"/interviews/{interview.pk}/live/?q=3")
    page = s.page
    coding = page.locator("#question-3")
    toggle = coding.locator("summary", has_text="Reference solution and tests")
    block = coding.locator("#reference-3")
    code = block.locator("pre code")
    expect(block).not_to_have_attribute("open", "")
    expect(code).to_be_hidden()
    toggle.click()
    expect(code).to_contain_text("def bigrams(sentences):")
    expect(block).to_have_attribute("open", "")
    expect(block.locator("h3", has_text="Test cases")).to_have_text("Test cases (9)")
    expect(block.get_by_text('bigrams(["I like tea", "Tea is hot"])')).to_be_visible()
    s.shot("live-coding-reference")
    # It closes again, and clicking it saved nothing and left the question.
    toggle.click()
    expect(code).to_be_hidden()
    expect(page.locator("#question-3")).to_be_visible()
    # The model answer is on no question of the page.
    expect(page.get_by_text("Model answer")).to_have_count(0)
    expect(page.get_by_text("Contract: input is a list of strings")).to_have_count(0)
    # A question with no reference solution shows no block.
    assert page.locator("#question-1 .live-reference").count() == 0
