"""The live page in Chromium with a change the server refuses as hostile: a lone surrogate in
the notes (a string JavaScript holds and JSON.stringify escapes, but UTF-8 cannot encode). It
used to be a 500 that the page retried, holding up every later change; now it is a 400 whose
message is shown beside the question, and the next changes are saved."""

import re

import pytest
from playwright.sync_api import expect

from scoring.models import QuestionScore
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.browser

AUTOSAVE = re.compile(r".*/autosave/$")


@pytest.fixture
def interview(people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    return make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                          interviewers=[people["ivan"], people["iris"]])


def saved(interview):
    return list(QuestionScore.objects.filter(scorecard__interview=interview, scorecard__interviewer__username="ivan")
                .order_by("question__order").values_list("score", "notes"))


def test_a_refused_change_is_shown_beside_its_question_and_the_next_changes_are_saved(open_session, interview):
    s = open_session("hostile-notes")
    s.login("ivan")
    s.goto(f"/interviews/{interview.pk}/live/")
    page = s.page
    notes = page.locator("#question-1 textarea")
    with page.expect_response(AUTOSAVE) as refused:
        # Typed text cannot hold a lone surrogate; a script (or a broken paste) can.
        notes.evaluate("el => { el.value = 'before \\ud800 after'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert refused.value.status == 400
    notice = page.locator("#question-1 [data-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("lone surrogate")
    s.shot("refused-notes")

    # Another question's change goes through at once, not after the refused one.
    page.keyboard.press("n")
    with page.expect_response(AUTOSAVE) as accepted:
        page.keyboard.press("3")
    assert accepted.value.status == 200
    assert saved(interview)[1] == (3, "")

    # Retyping the notes saves them and clears the notice.
    page.keyboard.press("p")
    with page.expect_response(lambda r: AUTOSAVE.match(r.url) and r.status == 200):
        notes.fill("before after")
    expect(notice).to_be_hidden()
    assert saved(interview)[0] == (None, "before after")
