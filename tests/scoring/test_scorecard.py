"""Submitting a scorecard: refused while a required question is open, read-only after,
amendments with a reason that keep the old value; per-competency scores."""

import pytest
from django.utils.html import escape

from scoring.models import Amendment, QuestionScore, Scorecard
from scoring.scores import competency_scores

pytestmark = pytest.mark.django_db


def answer_all(interviewer, *, skip_last=False):
    rows = list(QuestionScore.objects.filter(scorecard__interviewer=interviewer).order_by("question__order"))
    for n, row in enumerate(rows, 1):
        if skip_last and n == len(rows):
            row.skipped, row.skip_reason = True, "Ran out of time"
        else:
            row.score = n + 1
        row.save()
    return rows


def submit(client, interview, **data):
    return client.post(f"/interviews/{interview.pk}/scorecard/", {"recommendation": "yes", "summary": "Solid.", **data})


def test_submission_is_refused_with_the_list_of_missing_questions(live_client, interview, interviewer):
    response = submit(live_client, interview)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Still to do before you can submit" in body
    for q in interview.questions.all():
        assert escape(q.title) in body
    assert Scorecard.objects.get(interviewer=interviewer).status == "draft"


def test_a_recommendation_and_a_summary_are_required(live_client, interview, interviewer):
    answer_all(interviewer)
    response = submit(live_client, interview, recommendation="", summary="  ")
    body = response.content.decode()
    assert "Choose a recommendation: there is no neutral option." in body
    assert "Write a summary" in body
    assert submit(live_client, interview, recommendation="neutral").status_code == 400


def test_it_submits_when_every_required_question_is_scored_or_skipped_with_a_reason(live_client, interview, interviewer):
    answer_all(interviewer, skip_last=True)
    response = submit(live_client, interview, recommendation="strong_yes", summary="Knows the trade-offs.")
    assert response.status_code == 302
    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.status == "submitted" and card.recommendation == "strong_yes" and card.submitted_at
    page = live_client.get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    assert "Submitted" in page and "Save amendment" in page


def test_the_page_shows_per_competency_scores(live_client, interview, interviewer):
    answer_all(interviewer)  # scores 2, 3, 4 on three competencies of weight 1
    response = live_client.get(f"/interviews/{interview.pk}/scorecard/")
    assert response.context["per_competency"] == {"Coding": 4.0, "Evaluation": 3.0, "ML fundamentals": 2.0}
    assert response.context["overall"] == 3.0


def test_competency_scores_are_weight_averaged_and_skip_unscored():
    per, overall = competency_scores([("A", 2, 4), ("A", 1, 1), ("B", 1, 2), ("B", 3, None)])
    assert per == {"A": 3.0, "B": 2.0}
    assert overall == pytest.approx((2 * 4 + 1 + 2) / 4, abs=0.01)
    assert competency_scores([("A", 1, None)]) == ({}, None)


def test_an_amendment_needs_a_reason_and_keeps_the_old_value(live_client, interview, interviewer):
    rows = answer_all(interviewer)
    submit(live_client, interview)
    amend = f"/interviews/{interview.pk}/scorecard/amend/"
    refused = live_client.post(amend, {"field": f"score:{rows[0].question_id}", "score": "4", "reason": ""})
    assert refused.status_code == 400 and "Say why you are amending" in refused.content.decode()
    assert live_client.post(amend, {"field": f"score:{rows[0].question_id}", "score": "4", "reason": "Misclicked 2"}).status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].score == 4
    amendment = Amendment.objects.get()
    assert (amendment.old_value, amendment.new_value, amendment.reason, amendment.by) == (2, 4, "Misclicked 2", interviewer)
    page = live_client.get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    assert "Misclicked 2" in page


def test_an_amendment_of_the_recommendation(live_client, interview, interviewer):
    answer_all(interviewer)
    submit(live_client, interview)
    live_client.post(f"/interviews/{interview.pk}/scorecard/amend/", {"field": "recommendation", "recommendation": "no", "reason": "Rethought"})
    assert Scorecard.objects.get(interviewer=interviewer).recommendation == "no"
    assert Amendment.objects.get().old_value == "yes"


def test_a_submitted_scorecard_cannot_be_submitted_again_or_edited_by_form(live_client, interview, interviewer):
    rows = answer_all(interviewer)
    submit(live_client, interview, summary="First")
    submit(live_client, interview, summary="Second")
    assert Scorecard.objects.get(interviewer=interviewer).summary == "First"
    rows[0].refresh_from_db()
    response = live_client.post(f"/interviews/{interview.pk}/live/save/", {"question": rows[0].question_id, "version": rows[0].version, "score": "1"})
    assert response.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].score == 2


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "outsider"])
def test_other_roles_cannot_reach_the_scorecard(request, as_user, interview, role):
    client = as_user(request.getfixturevalue(role))
    assert client.get(f"/interviews/{interview.pk}/scorecard/").status_code == 403
    assert client.post(f"/interviews/{interview.pk}/scorecard/", {"recommendation": "yes", "summary": "x"}).status_code == 403
    assert not Scorecard.objects.exists()


def test_a_successful_submit_takes_a_fixed_number_of_queries_and_loads_no_page(live_client, interview, interviewer,
                                                                             django_assert_num_queries):
    answer_all(interviewer)
    # Session, user, the user's permissions (2: its own and its groups', ModelBackend), the
    # interview on my panel, then the
    # submit: my scorecard updated while still a draft, and its score rows' versions bumped and
    # returned with its questions for the completeness check (one statement), inside a
    # savepoint and its release (the test runs in a transaction). The scorecard is not opened
    # nor the scores the page would show loaded: a successful submit redirects.
    with django_assert_num_queries(9):
        response = submit(live_client, interview)
    assert response.status_code == 302
    assert Scorecard.objects.get(interviewer=interviewer).status == "submitted"


def test_a_scorecard_never_opened_is_opened_then_submitted_when_nothing_is_required(as_user, interview, interviewer):
    interview.questions.update(required=False)
    client = as_user(interviewer)  # straight to the submit, without the live page first
    assert submit(client, interview).status_code == 302
    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.status == "submitted" and card.scores.count() == interview.questions.count()


def test_a_refused_submit_changes_nothing(live_client, interview, interviewer):
    rows = answer_all(interviewer)
    QuestionScore.objects.filter(pk=rows[-1].pk).update(score=None)
    versions = sorted(QuestionScore.objects.filter(scorecard__interviewer=interviewer).values_list("pk", "version"))
    response = submit(live_client, interview)
    assert response.status_code == 400 and escape(rows[-1].question.title) in response.content.decode()
    card = Scorecard.objects.get(interviewer=interviewer)
    assert (card.status, card.recommendation, card.summary, card.submitted_at) == ("draft", "", "", None)
    assert sorted(QuestionScore.objects.filter(scorecard=card).values_list("pk", "version")) == versions


def test_a_submit_bumps_every_score_version_so_a_racing_autosave_is_refused(live_client, interview, interviewer):
    rows = answer_all(interviewer)
    before = {r.pk: r.version for r in QuestionScore.objects.filter(scorecard__interviewer=interviewer)}
    assert submit(live_client, interview).status_code == 302
    after = {r.pk: r.version for r in QuestionScore.objects.filter(scorecard__interviewer=interviewer)}
    assert after == {pk: version + 1 for pk, version in before.items()}
    state = {"score": 1, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [], "notes": "", "seconds": 0}
    body = {"key": "racing-autosave-1", "question": rows[0].question_id, "version": before[rows[0].pk], "state": state}
    response = live_client.post(f"/interviews/{interview.pk}/autosave/", body, content_type="application/json")
    assert response.status_code == 409
    rows[0].refresh_from_db()
    assert rows[0].score == 2
