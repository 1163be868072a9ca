"""The live page's server side of skipping, the collapsed reference solution and tests (no model answer), the
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


def test_a_coding_question_shows_its_reference_solution_and_tests_collapsed_and_no_question_its_model_answer(
        live_client, interview):
    body = live_client.get(f"/interviews/{interview.pk}/live/").content.decode()
    revisions = [q.revision for q in interview.questions.order_by("order")]
    coding = revisions[2]
    assert all(r.model_answer for r in revisions) and coding.reference_solution
    # The model answer stays off the live page: not its text, not a fold for it.
    assert "Model answer" not in body and "model-answer" not in body
    for revision in revisions:
        assert escape(revision.model_answer[:60]) not in body
        assert escape(revision.model_answer[-60:]) not in body
    # One collapsed block, under the coding question only, closed until clicked.
    assert body.count('class="mt-3 live-reference"') == 1
    section = body.split('id="question-3"')[1]
    # A <details> element: it opens and closes with no script at all.
    assert ('<details class="mt-3 live-reference" id="reference-3">\n'
            '  <summary class="btn btn-sm btn-outline-secondary">Reference solution and tests</summary>') in section
    assert escape(coding.reference_solution.strip().split("\n")[0]) in section
    assert "Test cases (9)" in section
    assert escape('bigrams(["I like tea", "Tea is hot"])') in section
    assert escape('[["i", "like"], ["like", "tea"], ["tea", "is"], ["is", "hot"]]') in section
    assert not re.search(r"<details[^>]*\bopen\b|collapse show", body.split('class="live-question')[1])


def test_an_sql_question_shows_its_schema_data_reference_query_and_expected_rows(live_client, interview):
    from questionbank.models import QuestionRevision

    question = interview.questions.order_by("order")[1]
    QuestionRevision.objects.filter(pk=question.revision_id).update(
        reference_solution="SELECT team, count(*) AS n FROM hires GROUP BY team ORDER BY n DESC;",
        coding_tests={"language": "sql", "schema": "CREATE TABLE hires (team text, hired_on date);",
                      "data": "INSERT INTO hires VALUES ('ml', '2026-01-02'), ('ml', '2026-02-03'), ('data', NULL);",
                      "expected_rows": [["ml", 2], ["data", 1.5], [None, "2026-01-02"]], "ordered": False})
    body = live_client.get(f"/interviews/{interview.pk}/live/").content.decode()
    section = body.split('id="question-2"')[1].split('id="question-3"')[0]
    assert '<details class="mt-3 live-reference" id="reference-2">' in section
    assert "<h3 class=\"h6\">Schema</h3>" in section and "CREATE TABLE hires (team text, hired_on date);" in section
    assert escape("INSERT INTO hires VALUES ('ml', '2026-01-02')") in section
    assert "SELECT team, count(*) AS n FROM hires GROUP BY team ORDER BY n DESC;" in section
    assert "Expected rows (3, in any order)" in section
    assert escape('<tr><td><code>"ml"</code></td><td><code>2</code></td></tr>') not in section  # escaped once, not twice
    assert '<tr><td><code>&quot;ml&quot;</code></td><td><code>2</code></td></tr>' in section
    assert '<tr><td><code>null</code></td><td><code>&quot;2026-01-02&quot;</code></td></tr>' in section
    assert "Test cases" not in section


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
