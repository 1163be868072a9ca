"""The autosave endpoint: idempotent replay, stale versions refused, invalid input refused
with 400 (never 500), only the owner writes (other roles get a JSON 403), and at most 5 queries."""

import json
import uuid

import pytest

from scoring.models import AutosaveReceipt, QuestionScore, Scorecard

pytestmark = pytest.mark.django_db


def post(client, interview, payload):
    return client.post(f"/interviews/{interview.pk}/autosave/", data=json.dumps(payload), content_type="application/json")


def first_row(interview, user):
    return QuestionScore.objects.select_related("question__revision").filter(
        scorecard__interview=interview, scorecard__interviewer=user
    ).order_by("question__order").first()


def state(**overrides):
    return {"score": 3, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [], "notes": "Good split.",
            "seconds": 42, **overrides}


def key():
    return uuid.uuid4().hex


def test_it_saves_a_state_and_bumps_the_version(live_client, interview, interviewer):
    row = first_row(interview, interviewer)
    criterion = row.question.revision.criteria.first()
    response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0,
                                             "state": state(criteria=[criterion.pk], key_points=[0, 2])})
    assert response.status_code == 200 and response.json() == {"ok": True, "version": 1}
    row.refresh_from_db()
    assert (row.score, row.notes, row.seconds_spent, row.version) == (3, "Good split.", 42, 1)
    assert row.criteria_met == [criterion.pk] and row.key_points_hit == [0, 2]


def test_a_replayed_request_applies_once(live_client, interview, interviewer):
    row = first_row(interview, interviewer)
    payload = {"key": key(), "question": row.question_id, "version": 0, "state": state(notes="once")}
    assert post(live_client, interview, payload).json()["version"] == 1
    again = post(live_client, interview, payload)
    assert again.status_code == 200 and again.json() == {"ok": True, "version": 1, "replayed": True}
    row.refresh_from_db()
    assert row.version == 1 and row.notes == "once"
    assert AutosaveReceipt.objects.filter(question_score=row).count() == 1


def test_a_stale_version_is_refused_with_the_newer_value(live_client, interview, interviewer):
    row = first_row(interview, interviewer)
    post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0, "state": state(notes="tab A")})
    response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0, "state": state(notes="tab B", score=1)})
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict" and "changed in another tab" in body["message"]
    assert body["current"]["notes"] == "tab A" and body["current"]["version"] == 1
    row.refresh_from_db()
    assert row.notes == "tab A" and row.score == 3


@pytest.mark.parametrize("bad_state,message", [
    ({"score": 5}, "score must be 1, 2, 3 or 4"),
    ({"score": "3; DROP TABLE"}, "score must be 1, 2, 3 or 4"),
    ({"score": True}, "score must be 1, 2, 3 or 4"),
    ({"score": None, "skipped": True, "skip_reason": ""}, "say why the question was skipped"),
    ({"score": 2, "skipped": True, "skip_reason": "ran out of time"}, "cannot also have a score"),
    ({"criteria": [999999]}, "does not belong to this question's rubric"),
    ({"criteria": ["x"]}, "criteria must be a list of criterion ids"),
    ({"key_points": [50]}, "a key point does not belong"),
    ({"notes": "x" * 20001}, "notes must be text of at most 20000"),
    ({"notes": "nul\x00byte"}, "NUL"),
    ({"seconds": -1}, "seconds must be a whole number"),
])
def test_invalid_states_get_a_400_with_a_message_and_change_nothing(live_client, interview, interviewer, bad_state, message):
    row = first_row(interview, interviewer)
    response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0, "state": state(**bad_state)})
    assert response.status_code == 400
    assert message in response.json()["message"]
    row.refresh_from_db()
    assert row.version == 0 and row.score is None


def test_criteria_of_another_question_are_refused(live_client, interview, interviewer):
    rows = list(QuestionScore.objects.filter(scorecard__interviewer=interviewer).select_related("question__revision").order_by("question__order"))
    other = rows[1].question.revision.criteria.first()
    response = post(live_client, interview, {"key": key(), "question": rows[0].question_id, "version": 0, "state": state(criteria=[other.pk])})
    assert response.status_code == 400


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"key": "short", "question": 1, "version": 0}',
                                  '{"key": "abcdefgh12", "question": "1", "version": 0}', '{"key": "abcdefgh12", "question": 1, "version": null}'])
def test_malformed_requests_get_400(live_client, interview, body):
    response = live_client.post(f"/interviews/{interview.pk}/autosave/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_another_panelist_cannot_write_my_scorecard(as_user, live_client, interview, interviewer, interviewer2):
    row = first_row(interview, interviewer)
    response = post(as_user(interviewer2), interview, {"key": key(), "question": row.question_id, "version": 0, "state": state()})
    # interviewer2 has no score row for this question on *their* scorecard yet: 404, and mine is untouched.
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.version == 0


def test_a_recruiter_and_an_outsider_cannot_score(as_user, live_client, interview, interviewer, recruiter, outsider):
    row = first_row(interview, interviewer)
    for user in (recruiter, outsider):
        response = post(as_user(user), interview, {"key": key(), "question": row.question_id, "version": 0, "state": state()})
        # Refused by role before anything is looked up, as the live page's other views are; in
        # JSON, so the page's script sets the change aside instead of retrying it as signed out.
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden" and "Your role does not allow this" in response.json()["message"]
    row.refresh_from_db()
    assert row.version == 0


def test_a_page_asking_for_html_still_gets_the_403_page(as_user, interview, recruiter):
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/live/save/", {"question": 1})
    assert response.status_code == 403 and "You can't do that with your role" in response.content.decode()


def test_anonymous_autosave_is_sent_to_login(client, interview):
    response = client.post(f"/interviews/{interview.pk}/autosave/", data="{}", content_type="application/json")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_get_on_autosave_is_405(live_client, interview):
    assert live_client.get(f"/interviews/{interview.pk}/autosave/").status_code == 405


def test_a_submitted_scorecard_refuses_autosave(live_client, interview, interviewer):
    row = first_row(interview, interviewer)
    Scorecard.objects.filter(pk=row.scorecard_id).update(status="submitted", recommendation="yes", summary="s",
                                                         submitted_at="2026-01-01T00:00:00Z")
    response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0, "state": state()})
    assert response.status_code == 409 and response.json()["error"] == "submitted"


def test_autosave_takes_four_queries(live_client, interview, interviewer, django_assert_max_num_queries):
    row = first_row(interview, interviewer)
    # Session, user, one lookup (row + ownership + the role's permission + statuses + rubric ids
    # + key points + receipt), one apply statement.
    with django_assert_max_num_queries(4):
        response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 0, "state": state()})
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        response = post(live_client, interview, {"key": key(), "question": row.question_id, "version": 1, "state": state(notes="more")})
    assert response.json()["version"] == 2


def test_it_saves_an_ad_hoc_free_text_question_and_answers_404_for_ids_out_of_range(live_client, interview, interviewer):
    # The lookup (scoring.services.autosave_lookup) joins the revision: a question without one
    # has no criteria and no key points, and ids PostgreSQL cannot hold are simply not found
    # (never a 500).
    from scoring.services import adhoc_add

    card = Scorecard.objects.get(interview=interview, interviewer=interviewer)
    added = adhoc_add(scorecard=card, free_text="Tell me about a model that failed in production.")
    response = post(live_client, interview, {"key": key(), "question": added.pk, "version": 0,
                                             "state": state(score=2, criteria=[], key_points=[])})
    assert response.status_code == 200 and response.json()["version"] == 1
    response = post(live_client, interview, {"key": key(), "question": added.pk, "version": 1,
                                             "state": state(criteria=[1])})
    assert response.status_code == 400
    assert post(live_client, interview, {"key": key(), "question": 2**70, "version": 0, "state": state()}).status_code == 404
    huge = live_client.post(f"/interviews/{2**70}/autosave/", data=json.dumps(
        {"key": key(), "question": added.pk, "version": 1, "state": state()}), content_type="application/json")
    assert huge.status_code == 404
    assert QuestionScore.objects.get(question=added).version == 1
