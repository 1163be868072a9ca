"""Submitting a scorecard: refused while a required question is open, read-only after,
amendments with a reason that keep the old value; per-competency scores."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.html import escape

from scoring.models import Amendment, QuestionScore, Scorecard, ScorecardIncomplete, ScoreError, Submitted
from scoring.scores import competency_scores
from scoring.services import scorecard_open

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
    return client.post(f"/interviews/{interview.pk}/scorecard/submit/", {"recommendation": "yes", "summary": "Solid.", **data})


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
    assert client.post(f"/interviews/{interview.pk}/scorecard/submit/", {"recommendation": "yes", "summary": "x"}).status_code == 403
    assert not Scorecard.objects.exists()


def test_a_successful_submit_takes_a_fixed_number_of_queries_and_loads_no_page(live_client, interview, interviewer,
                                                                             django_assert_num_queries):
    answer_all(interviewer)
    # Session, user, the user's roles and permissions (1, accounts.roles.load_access), my scorecard
    # with its interview when I am on its panel (opened on the live page, so its score rows
    # exist and are not checked again); then
    # Scorecard.submit inside a savepoint and its release (the test runs in a transaction): the
    # scorecard locked with its interview, its score rows' versions bumped, its required
    # questions not answered (none), the scorecard saved, the webhook subscriptions that want
    # scorecard.submitted (none here: nothing more). The scores the page would show are
    # not loaded: a successful submit redirects.
    with django_assert_num_queries(11):
        response = submit(live_client, interview)
    assert response.status_code == 302
    assert Scorecard.objects.get(interviewer=interviewer).status == "submitted"


def test_a_scorecard_never_opened_is_opened_then_submitted_once_when_nothing_is_required(as_user, interview, interviewer,
                                                                                         django_assert_num_queries):
    interview.questions.update(required=False)
    client = as_user(interviewer)  # straight to the submit, without the live page first
    # As above (the look for my scorecard finds none, so the interview on my panel is read
    # alone), plus opening it (scorecard_open): its
    # get-or-create (the read, a savepoint, the insert and its release), its questions without
    # a score row, their rows (one insert) and recording when it was started: one submit.
    with django_assert_num_queries(19):
        assert submit(client, interview).status_code == 302
    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.status == "submitted" and card.scores.count() == interview.questions.count()
    assert set(card.scores.values_list("version", flat=True)) == {1}  # bumped by one submit


def test_the_page_and_the_submit_are_separate_views(live_client, interview):
    assert live_client.post(f"/interviews/{interview.pk}/scorecard/", {"recommendation": "yes"}).status_code == 405
    assert live_client.get(f"/interviews/{interview.pk}/scorecard/submit/").status_code == 405
    body = live_client.get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    assert f'action="/interviews/{interview.pk}/scorecard/submit/" data-submit-form' in body


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


def test_submit_refuses_an_incomplete_scorecard_naming_the_questions_and_changes_nothing(interview, interviewer):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    rows = answer_all(interviewer)
    # A reason of spaces is no reason (QuestionScore.is_answered and answered_q agree on it).
    QuestionScore.objects.filter(pk=rows[1].pk).update(score=None, skipped=True, skip_reason="   ")
    with pytest.raises(ScorecardIncomplete) as refused:
        card.submit(recommendation="yes", summary="Solid.", by=interviewer)
    assert refused.value.missing == [rows[1].question]
    card.refresh_from_db()
    assert (card.status, card.summary) == ("draft", "")
    assert set(card.scores.values_list("version", flat=True)) == {0}


def test_submit_states_the_models_rule_for_recommendation_and_summary(interview, interviewer):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    answer_all(interviewer)
    with pytest.raises(ValidationError) as refused:
        card.submit(recommendation="", summary="  ", by=interviewer)
    assert refused.value.message_dict == {"recommendation": ["Choose a recommendation: there is no neutral option."],
                                          "summary": ["Write a summary: the debrief reads it first."]}
    assert Scorecard.objects.get(pk=card.pk).status == "draft"


def test_submit_twice_or_by_someone_else_is_refused(interview, interviewer, interviewer2):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    answer_all(interviewer)
    with pytest.raises(ScoreError):
        card.submit(recommendation="yes", summary="Not mine.", by=interviewer2)
    card.submit(recommendation="yes", summary="First.", by=interviewer)
    assert card.is_submitted and card.summary == "First."
    stale = Scorecard.objects.get(pk=card.pk)
    with pytest.raises(Submitted):
        card.submit(recommendation="no", summary="Second.", by=interviewer)
    assert Scorecard.objects.get(pk=card.pk).summary == stale.summary == "First."


@pytest.mark.parametrize("score,skipped,reason,answered", [
    (3, False, "", True), (None, False, "", False), (None, True, "Ran out of time", True), (None, True, " \t", False),
])
def test_answered_is_one_rule_in_python_and_in_sql(interview, interviewer, score, skipped, reason, answered):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    row = card.scores.first()
    QuestionScore.objects.filter(pk=row.pk).update(score=score, skipped=skipped, skip_reason=reason)
    row.refresh_from_db()
    assert row.is_answered is answered
    assert QuestionScore.objects.filter(QuestionScore.answered_q(), pk=row.pk).exists() is answered


def test_the_models_clean_states_the_cross_field_rules():
    with pytest.raises(ValidationError, match="cannot also have a score"):
        QuestionScore(score=2, skipped=True, skip_reason="Ran out of time").clean()
    with pytest.raises(ValidationError, match="Say why the question was skipped"):
        QuestionScore(skipped=True, skip_reason=" ").clean()
    QuestionScore(skipped=True, skip_reason="Ran out of time").clean()
    Scorecard(status="draft").clean()  # a draft needs neither
    with pytest.raises(ValidationError, match="Write a summary"):
        Scorecard(status="submitted", recommendation="yes", summary="").clean()


# --- Races (real concurrent transactions) ----------------------------------------------------

def _blocked_on_a_lock():
    """Whether another connection of this database waits on a row lock now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def _race(first_submit, second):
    """Run ``first_submit`` in a transaction held open until ``second`` (started once the
    first has submitted, in another thread) waits on a lock; then commit the first and return
    what ``second`` returned."""
    submitted, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                first_submit()
                submitted.set()
                release.wait(10)
        finally:
            connection.close()

    def then():
        submitted.wait(10)
        try:
            outcome["second"] = second()
        except Exception as exc:  # noqa: BLE001 (the outcome under test)
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=then)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while not _blocked_on_a_lock():
        assert time.monotonic() < deadline, "the second request never waited for the first"
        time.sleep(0.02)
    release.set()
    for t in threads:
        t.join(10)
    return outcome["second"]


@pytest.mark.django_db(transaction=True)
def test_the_same_submit_from_two_tabs_at_once_submits_once(bank, interview, interviewer):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    answer_all(interviewer)
    second = _race(
        lambda: Scorecard.objects.get(pk=card.pk).submit(recommendation="yes", summary="First tab.", by=interviewer),
        lambda: Scorecard.objects.get(pk=card.pk).submit(recommendation="no", summary="Second tab.", by=interviewer),
    )
    assert isinstance(second, Submitted)
    card.refresh_from_db()
    assert (card.status, card.recommendation, card.summary) == ("submitted", "yes", "First tab.")
    assert set(card.scores.values_list("version", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_an_autosave_arriving_during_the_submit_is_refused_once_it_commits(bank, as_user, interview, interviewer):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    row = answer_all(interviewer)[0]
    client = as_user(interviewer)
    body = {"key": "during-submit-1", "question": row.question_id, "version": 0,
            "state": {"score": 1, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [], "notes": "late",
                      "seconds": 0}}
    response = _race(
        lambda: Scorecard.objects.get(pk=card.pk).submit(recommendation="yes", summary="Done.", by=interviewer),
        lambda: client.post(f"/interviews/{interview.pk}/autosave/", body, content_type="application/json"),
    )
    assert response.status_code == 409 and response.json()["error"] == "submitted"
    row.refresh_from_db()
    assert (row.score, row.notes, row.version) == (2, "", 1)
