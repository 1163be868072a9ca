"""The live page's queue of changes in Chromium when the server refuses or fails a change, when a
tab closes with changes still queued, and the review page sending what is still waiting."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import GROUP_NAMES, Role
from scoring.models import QuestionScore
from tests.browser.test_live_interview import AUTOSAVE, interview, scores, wait_saved  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


# The tests route the autosave URL before the page loads, not after: on a loaded page, a save
# sent at once after page.route() returned was seen under load to slip past the route unseen
# (no route call, not even a "request" event, as Chromium never paused it) and reach the server.
def offline(page):
    page.route(AUTOSAVE, lambda route: route.abort("internetdisconnected"))


def back_online(page):
    page.unroute(AUTOSAVE)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def eventually(check, page, timeout_ms=20_000):
    """Poll the database while the page works (the page's requests need the test thread idle)."""
    for _ in range(timeout_ms // 250):
        if check():
            return
        page.wait_for_timeout(250)
    assert check()


def test_a_refused_change_is_explained_beside_its_question_and_later_changes_still_save(open_session, interview):
    s = open_session("refused")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    page.keyboard.press("2")
    wait_saved(page)

    # Notes over the server's 20,000 characters are refused with 400.
    page.locator("#question-1 textarea").fill("x" * 20_001)
    notice = page.locator("#question-1 [data-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Not saved: notes must be text of at most 20000 characters.")
    expect(notice).to_contain_text("What was not saved: notes “xxx")
    expect(page.locator("#save-state")).to_have_text("Not saved: question 1")
    expect(page.locator("#conflict")).to_contain_text("Question 1: Bias-variance")
    # The quoted notes (one 400-character word here) wrap instead of widening the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    s.shot("live-refused")

    # The refused change does not hold back the next one, and the pill still does not say "Saved".
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.keyboard.press("3")
    eventually(lambda: scores(interview, "ivan")[1][0] == 3, page)
    expect(page.locator("#save-state")).to_have_text("Not saved: question 1")
    assert scores(interview, "ivan")[0] == (2, False, "", "")

    # A save of that question clears its message.
    page.keyboard.press("p")
    page.locator("#question-1 textarea").fill("Short again")
    wait_saved(page)
    expect(notice).to_be_hidden()
    expect(page.locator("#conflict")).to_be_hidden()
    assert scores(interview, "ivan")[0] == (2, False, "", "Short again")


def test_a_change_over_64_kb_says_so_and_the_message_clears_after_the_next_save(open_session, interview):
    s = open_session("too-large")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    # 17,000 four-byte characters: within the notes limit in characters, over 64 KB in bytes.
    page.locator("#question-1 textarea").fill("\U0001F600" * 17_000)
    notice = page.locator("#question-1 [data-notice]")
    expect(notice).to_contain_text("this change is over 64 KB, the most one save can carry")
    expect(page.locator("#save-state")).to_have_text("Not saved: question 1")
    page.locator("#question-1 textarea").fill("Shorter notes")
    wait_saved(page)
    expect(notice).to_be_hidden()
    assert scores(interview, "ivan")[0][3] == "Shorter notes"


def test_a_change_the_server_keeps_failing_on_is_set_aside_and_the_next_change_goes_through(open_session, interview):
    s = open_session("server-error")
    s.login("ivan")
    page = s.page
    first = interview.questions.order_by("order").first().pk
    failed = []

    def fail_the_first_question(route):
        if json.loads(route.request.post_data)["question"] == first:
            failed.append(1)
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(AUTOSAVE, fail_the_first_question)
    s.goto(f"/interviews/{interview.pk}/live/")
    page.keyboard.press("4")
    page.keyboard.press("n")
    page.keyboard.press("2")  # queued behind the failing change
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Server error: \d changes? waiting, retrying$"))
    notice = page.locator("#question-1 [data-notice]")
    expect(notice).to_contain_text("the server failed on this change 4 times (error 500)")
    expect(notice).to_contain_text("What was not saved: score 4.")
    eventually(lambda: scores(interview, "ivan")[1][0] == 2, page)
    assert len(failed) == 4 and scores(interview, "ivan")[0][0] is None
    expect(page.locator("#save-state")).to_have_text("Not saved: question 1")


def test_a_tab_opened_after_one_closed_offline_shows_and_sends_its_changes_at_once(open_session, interview):
    s = open_session("closed-tab")
    s.login("iris")
    old = s.page
    offline(old)
    s.goto(f"/interviews/{interview.pk}/live/")
    old.keyboard.press("3")
    old.locator("#question-1 textarea").fill("Typed before the tab was closed")
    old.locator("#question-1 textarea").blur()
    expect(old.locator("#save-state")).to_have_text(re.compile(r"^Offline: \d changes? waiting$"))
    old.close()

    new = s.context.new_page()
    offline(new)  # still nothing gets out: the new tab must show the queued values itself
    new.goto(s.base_url + f"/interviews/{interview.pk}/live/")
    # At once, not after the 20 s a silent tab is given.
    expect(new.locator("#question-1 textarea")).to_have_value("Typed before the tab was closed", timeout=3_000)
    expect(new.locator("#question-1 input[name=score][value='3']")).to_be_checked(timeout=1_000)
    expect(new.locator("#save-state")).to_have_text(re.compile(r"^Offline: \d changes? waiting$"), timeout=3_000)
    # (The closing tab's last-chance request, sent with keepalive, is not routed: it may have
    # delivered the first change, never the notes queued behind it.)
    assert scores(interview, "iris")[0][3] == ""
    back_online(new)
    wait_saved(new)
    assert scores(interview, "iris")[0] == (3, False, "", "Typed before the tab was closed")


def test_the_review_page_sends_the_changes_still_waiting_before_submit(open_session, interview):
    s = open_session("review-waiting")
    s.login("iris")
    page = s.page
    offline(page)
    s.goto(f"/interviews/{interview.pk}/live/")
    page.keyboard.press("4")
    page.locator("#question-1 textarea").fill("Typed offline, then went to review")
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Offline: \d changes? waiting$"))
    page.get_by_role("link", name="Review and submit").first.click()
    page.wait_for_url(re.compile(r"/scorecard/$"))

    waiting = page.locator("#waiting-changes")
    expect(waiting).to_contain_text(re.compile(r"\d changes? still waiting to be saved"))
    expect(waiting).to_contain_text("Bias-variance")
    expect(waiting).to_contain_text("Offline")
    submit = page.get_by_role("button", name="Submit scorecard")
    expect(submit).to_be_disabled()
    s.shot("review-waiting")
    # (The live page's last-chance request on leaving, sent with keepalive, is not routed: it may
    # have delivered the first change, never the notes queued behind it.)
    assert not QuestionScore.objects.filter(scorecard__interviewer__username="iris", notes__startswith="Typed").exists()

    back_online(page)
    # Sent, then the page reloads to show them: the table has the score, nothing is waiting.
    expect(page.locator(".scorecard-table tbody tr").first.locator("td").nth(3)).to_have_text("4", timeout=20_000)
    expect(page.locator(".scorecard-table tbody tr").first).to_contain_text("Typed offline, then went to review")
    expect(waiting).to_be_hidden()
    expect(submit).to_be_enabled()
    assert scores(interview, "iris")[0] == (4, False, "", "Typed offline, then went to review")


def test_a_change_refused_because_the_interviewer_role_was_taken_away_says_so_beside_the_question(
        open_session, interview, people):
    s = open_session("role-removed")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    page.keyboard.press("2")
    wait_saved(page)

    # An admin takes Ivan out of the Interviewers group while the page is open: the server answers
    # the next save with a JSON 403 ("forbidden"), a refusal, not a lost session.
    people["ivan"].groups.remove(Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER]))
    answers = []
    page.on("response", lambda response: answers.append(response.status) if AUTOSAVE.match(response.url) else None)
    page.keyboard.press("4")
    notice = page.locator("#question-1 [data-notice]")
    expect(notice).to_contain_text("Not saved: Your role does not allow this (an administrator may have changed it")
    expect(notice).to_contain_text("What was not saved: score 4.")
    expect(page.locator("#save-state")).to_have_text("Not saved: question 1")
    s.shot("live-role-removed")
    # Set aside, not retried: after the back-off a lost session would have used, nothing more is sent.
    page.wait_for_timeout(2_500)
    assert answers == [403]
    expect(page.locator("#save-state")).not_to_contain_text("Signed out")
    assert scores(interview, "ivan")[0][0] == 2
