"""The live page's server side of skipping, the folded model answer and reference solution, the
review page's script for changes still waiting, and the limits the page's script states."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from scoring.models import QuestionScore
from scoring.services import MAX_NOTES
from scoring.views.live import MAX_BODY

pytestmark = pytest.mark.django_db


def first_row(interviewer):
    return QuestionScore.objects.filter(scorecard__interviewer=interviewer).order_by("question__order").first()


def form_post(client, interview, row, **fields):
    data = {"question": row.question_id, "version": row.version, "position": 1, "go": "stay", "notes": "", **fields}
    return client.post(f"/interviews/{interview.pk}/live/save/", data)


def test_it_folds_the_model_answer_reference_solution_and_test_cases_under_each_question(live_client, interview):
    body = live_client.get(f"/interviews/{interview.pk}/live/").content.decode()
    revisions = [q.revision for q in interview.questions.order_by("order")]
    coding = revisions[2]
    assert all(r.model_answer for r in revisions) and coding.reference_solution
    # Each in its own closed <details>, under its question.
    assert body.count('<details class="mt-3 model-answer"><summary class="fw-semibold">Model answer</summary>') == 3
    assert all(escape(r.model_answer[:60]) in body for r in revisions)
    assert escape(coding.reference_solution.strip().split("\n")[0]) in body
    assert body.count('<details class="mt-3 reference-solution">') == 1
    assert "Test cases (9)" in body
    assert escape('bigrams(["I like tea", "Tea is hot"])') in body
    assert escape('[["i", "like"], ["like", "tea"], ["tea", "is"], ["is", "hot"]]') in body
    assert not re.search(r"<details[^>]*\bopen\b", body.split('class="live-question')[1])


def test_a_form_post_that_ticks_skipped_drops_the_score_instead_of_refusing(live_client, interview, interviewer):
    row = first_row(interviewer)
    form_post(live_client, interview, row, score="3")
    row.refresh_from_db()
    # Without JavaScript the chosen score cannot be un-chosen, so it is posted with the skip.
    response = form_post(live_client, interview, row, score="3", skipped="on", skip_reason="Ran out of time")
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.score, row.skipped, row.skip_reason) == (None, True, "Ran out of time")


def test_a_skip_posted_without_a_reason_is_refused_and_shown_skipped_without_a_score(live_client, interview, interviewer):
    row = first_row(interviewer)
    response = form_post(live_client, interview, row, score="4", skipped="on", skip_reason="", notes="kept")
    body = response.content.decode()
    assert response.status_code == 400
    assert "say why the question was skipped" in body and "kept" in body
    assert re.search(r'name="skipped" id="skip-1" checked', body)
    assert not re.search(r'name="score" value="\d" id="score-1-\d" checked', body)
    row.refresh_from_db()
    assert (row.score, row.skipped) == (None, False)


def test_the_review_page_loads_the_script_that_sends_changes_still_waiting(live_client, interview, interviewer):
    body = live_client.get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    tag = re.search(r'<script type="module" src="[^"]*js/scorecard\.js"([^>]*)></script>', body)
    assert tag, "the review page loads scorecard.js"
    assert f'data-interview="{interview.pk}"' in tag.group(1) and f'data-user="{interviewer.pk}"' in tag.group(1)
    assert f'data-autosave-url="/interviews/{interview.pk}/autosave/"' in tag.group(1)


def test_the_page_script_states_the_servers_limits():
    source = (Path(settings.BASE_DIR) / "static/js/autosave-queue.js").read_text()
    kilobytes = int(re.search(r"export const MAX_BODY_KB = (\d+);", source).group(1))
    notes = int(re.search(r"export const MAX_NOTES = (\d+);", source).group(1))
    assert (kilobytes * 1024, notes) == (MAX_BODY, MAX_NOTES)
