"""Amendments are visible to the decider: the debrief marks amended scores and
recommendations, says old -> new in words with who, when and why, and says when a change came
after its author could read colleagues' scorecards; the amendment form keeps what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from scoring.models import Amendment
from scoring.services import scorecard_amend
from tests.factories import make_scorecard

pytestmark = pytest.mark.django_db


def debrief_body(client, interview):
    return client.get(f"/candidates/{interview.candidate.pk}/debrief/").content.decode()


def first_question(interview):
    return interview.questions.order_by("order").first()


@pytest.fixture
def amended_after_reading(interview, interviewer, interviewer2):
    """int1 submitted first; int2 submitted an hour later; then int1 changed a score and the
    recommendation, having read int2's scorecard."""
    start = timezone.now() - timedelta(hours=3)
    mine = make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 3], recommendation="strong_yes", submitted_at=start)
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[1, 2, 2], recommendation="no", submitted_at=start + timedelta(hours=1))
    question = first_question(interview)
    scorecard_amend(scorecard=mine, by=interviewer, reason="Reconsidered the AUC answer",
                    changes={f"score:{question.pk}": 3})
    scorecard_amend(scorecard=mine, by=interviewer, reason="Softer overall", changes={"recommendation": "yes"})
    return question


def test_the_debrief_shows_amendments_in_words_with_who_when_and_why(as_user, hiring_manager, interview,
                                                                    amended_after_reading):
    body = debrief_body(as_user(hiring_manager), interview)
    title = escape(amended_after_reading.title)
    assert f"score on ‘{title}’: 4 (Excellent) → 3 (Good)" in body
    assert "recommendation: Strong yes → Yes" in body
    assert "Reconsidered the AUC answer" in body and "Softer overall" in body
    assert "int1" in body and escape("after reading colleagues’ scorecards") in body
    assert f"score:{amended_after_reading.pk}" not in body and "strong_yes" not in body  # never the stored form
    # The score's cell and the recommendation carry the marker.
    assert "Amended</th>" in body and "score: 4 (Excellent) → 3 (Good)" in body
    assert body.count(">amended</span>") >= 4  # score row, list, and the recommendation twice


def test_an_amendment_before_any_colleague_submitted_is_not_flagged(as_user, hiring_manager, interview, interviewer,
                                                                    interviewer2):
    mine = make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 3], recommendation="yes",
                          submitted_at=timezone.now() - timedelta(hours=2))
    scorecard_amend(scorecard=mine, by=interviewer, reason="Typo", changes={"recommendation": "strong_yes"})
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 3, 3], recommendation="yes")
    body = debrief_body(as_user(hiring_manager), interview)
    assert "recommendation: Yes → Strong yes" in body
    assert escape("after reading colleagues’ scorecards") not in body


def test_the_recruiter_reads_the_amendment_history_too(as_user, recruiter, interview, amended_after_reading):
    assert "Reconsidered the AUC answer" in debrief_body(as_user(recruiter), interview)


def test_the_interviewers_own_scorecard_page_uses_the_same_wording(as_user, interview, interviewer,
                                                                  amended_after_reading):
    body = as_user(interviewer).get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    assert f"score on ‘{escape(amended_after_reading.title)}’: 4 (Excellent) → 3 (Good)" in body
    assert "recommendation: Strong yes → Yes" in body
    assert f"score:{amended_after_reading.pk}" not in body.split("Amendments</h2>")[1]


def test_notes_and_summary_changes_read_as_text(interview, interviewer):
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], summary="First summary", notes="Old note")
    question = first_question(interview)
    made = scorecard_amend(scorecard=card, by=interviewer, reason="Clearer",
                           changes={f"notes:{question.pk}": "New note", "summary": "Second summary"})
    assert [a.in_words(question.title) for a in made] == [
        f"notes on ‘{question.title}’: “Old note” → “New note”", "summary: “First summary” → “Second summary”",
    ]
    assert Amendment(field=f"score:{question.pk}", old_value=None, new_value=2).change_in_words() == "no score → 2 (Weak)"


def test_an_amendment_to_the_value_already_there_keeps_the_typed_reason(as_user, interview, interviewer):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], recommendation="yes")
    response = as_user(interviewer).post(f"/interviews/{interview.pk}/scorecard/amend/", {
        "field": "recommendation", "recommendation": "yes", "reason": "A long reason I do not want to type again",
    })
    body = response.content.decode()
    assert response.status_code == 400
    assert "That is the value already on the scorecard; nothing changed." in body
    assert "A long reason I do not want to type again" in body
    assert not Amendment.objects.exists()


def test_the_amend_form_loads_its_script_and_keeps_every_input_for_pages_without_it(as_user, interview, interviewer):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3])
    body = as_user(interviewer).get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    assert "data-amend-form" in body and "js/amend.js" in body
    for name in ("score", "recommendation", "text", "reason"):
        assert f'name="{name}"' in body
