"""Independent scoring has no side door: a cancelled interview grants nothing and scores
nothing, its scorecards do not count, decisions wait until you have scored, and a user removed
from the Interviewers role loses what the role gave."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from interviews.models import Candidate, InterviewQuestion, Position
from accounts.roles import GROUP_NAMES, Role
from scoring.comparison import compare
from scoring.models import Decision, QuestionScore, Scorecard
from scoring.selectors import debrief
from scoring.services import InterviewCancelled, scorecard_open
from tests.conftest import make_user
from tests.factories import make_interview, make_plan, make_scorecard

pytestmark = pytest.mark.django_db

STATE = {"score": 1, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [], "notes": "", "seconds": 0}


@pytest.fixture
def carl(interview):
    """An interviewer whose only panel for the candidate is an interview that was cancelled,
    while the candidate's other interview has two submitted scorecards and a decision."""
    carl = make_user("carl", Role.INTERVIEWER, first_name="Carl")
    make_scorecard(interview=interview, interviewer=interview.interviewers.get(username="int1"), scores=[4, 4, 4], summary="Int1 evidence")
    make_scorecard(interview=interview, interviewer=interview.interviewers.get(username="int2"), scores=[3, 3, 3], summary="Int2 evidence")
    candidate = interview.candidate
    cancelled = make_interview(candidate=candidate, plan=make_plan(position=candidate.position, name="Onsite"),
                               interviewers=[carl])
    cancelled.cancel(reason="Rescheduled")
    Decision.objects.create(candidate=candidate, decision="no_hire", rationale="Carl must not read this", by=candidate.position.hiring_manager)
    candidate.cv_file.save("ada.pdf", ContentFile(b"%PDF-1.4\n% a tiny test file\n"), save=True)
    carl.cancelled = cancelled
    return carl


def test_it_grants_nothing_to_an_interviewer_whose_only_panel_was_cancelled(as_user, carl, interview):
    candidate = interview.candidate
    assert not Scorecard.objects.visible_to(carl).exists()
    assert not Candidate.objects.visible_to(carl).exists()
    assert not Position.objects.visible_to(carl).exists()
    client = as_user(carl)
    assert client.get(f"/candidates/{candidate.pk}/debrief/").status_code == 404
    assert client.get(f"/candidates/{candidate.pk}/debrief/", {"format": "pdf"}).status_code == 404
    assert client.get(reverse("interviews:candidate_cv", args=[candidate.pk])).status_code == 404


def test_a_panel_that_is_not_cancelled_still_grants_the_candidate(carl, interview):
    make_interview(candidate=interview.candidate, plan=make_plan(position=interview.candidate.position, name="Again"),
                   interviewers=[carl])
    assert list(Candidate.objects.visible_to(carl)) == [interview.candidate]
    assert list(Position.objects.visible_to(carl)) == [interview.candidate.position]
    # On a live panel, with nothing submitted: still not a peer.
    assert not Scorecard.objects.visible_to(carl).exists()


@pytest.fixture
def cancelled_draft(interview, interviewer):
    """int1's open draft (one score saved) on the interview, which is then cancelled."""
    card = scorecard_open(interview=interview, interviewer=interviewer)
    row = card.scores.order_by("question__order").first()
    QuestionScore.objects.filter(pk=row.pk).update(score=2)
    interview.cancel(reason="Candidate ill")
    interview.refresh_from_db()
    row.refresh_from_db()
    return card, row


def test_it_refuses_every_score_write_on_a_cancelled_interview(as_user, interview, interviewer, cancelled_draft):
    card, row = cancelled_draft
    client = as_user(interviewer)
    save = client.post(f"/interviews/{interview.pk}/live/save/",
                       {"question": row.question_id, "version": row.version, "score": "4", "notes": "Typed in the room"})
    assert save.status_code == 302 and save["Location"] == interview.get_absolute_url()
    shown = client.get(save["Location"]).content.decode()
    assert "This interview was cancelled, so it is not scored" in shown and "Typed in the room" in shown

    added = client.post(f"/interviews/{interview.pk}/live/adhoc/", {"free_text": "Tell me about drift"})
    assert added.status_code == 302
    assert not InterviewQuestion.objects.filter(added_by__isnull=False).exists()

    body = {"key": "cancelled-write-1", "question": row.question_id, "version": row.version, "state": STATE}
    autosave = client.post(f"/interviews/{interview.pk}/autosave/", json.dumps(body), content_type="application/json")
    assert autosave.status_code == 409 and autosave.json()["error"] == "cancelled"
    assert "cancelled" in autosave.json()["message"]

    submit = client.post(f"/interviews/{interview.pk}/scorecard/submit/", {"recommendation": "strong_no", "summary": "My view"})
    assert submit.status_code == 302 and "My view" in client.get(submit["Location"]).content.decode()

    row.refresh_from_db()
    card.refresh_from_db()
    assert (row.score, row.notes, card.status) == (2, "", "draft")


def test_it_refuses_an_amendment_on_a_cancelled_interview(as_user, interview, interviewer):
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], recommendation="yes")
    interview.cancel(reason="Wrong candidate")
    client = as_user(interviewer)
    response = client.post(f"/interviews/{interview.pk}/scorecard/amend/",
                           {"field": "recommendation", "recommendation": "strong_no", "reason": "Read the others"})
    assert response.status_code == 302
    assert "Read the others" in client.get(response["Location"]).content.decode()
    card.refresh_from_db()
    assert card.recommendation == "yes" and not card.amendments.exists()
    # The card is still shown, read-only, with no form to amend it.
    page = client.get(f"/interviews/{interview.pk}/scorecard/")
    assert page.status_code == 200 and "This interview was cancelled" in page.content.decode()
    assert "Save amendment" not in page.content.decode()


def test_no_scorecard_is_opened_for_a_cancelled_interview(as_user, interview, interviewer2):
    interview.cancel(reason="Position closed")
    interview.refresh_from_db()
    with pytest.raises(InterviewCancelled):
        scorecard_open(interview=interview, interviewer=interviewer2)
    client = as_user(interviewer2)
    assert client.get(f"/interviews/{interview.pk}/scorecard/").status_code == 302
    assert client.post(f"/interviews/{interview.pk}/scorecard/submit/", {"recommendation": "yes", "summary": "x"}).status_code == 302
    assert not Scorecard.objects.exists()


@pytest.fixture
def with_cancelled_card(interview, interviewer, interviewer2):
    """int1 submitted 4s (yes) on the interview; int2 submitted 1s (strong no) on a second
    interview of the candidate, which was cancelled afterwards."""
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 4, 4], recommendation="yes", summary="Counts")
    candidate = interview.candidate
    other = make_interview(candidate=candidate, plan=make_plan(position=candidate.position, name="Onsite"),
                           interviewers=[interviewer2])
    make_scorecard(interview=other, interviewer=interviewer2, scores=[1, 1, 1], recommendation="strong_no", summary="Does not count")
    other.cancel(reason="Rescheduled")
    return candidate


def test_scorecards_of_a_cancelled_interview_do_not_count_on_the_debrief(as_user, hiring_manager, with_cancelled_card):
    response = as_user(hiring_manager).get(f"/candidates/{with_cancelled_card.pk}/debrief/")
    body = response.content.decode()
    assert [c.summary for c in response.context["cards"]] == ["Counts"]
    assert response.context["overall"] == 4.0
    assert response.context["recommendation_counts"]["strong_no"] == 0
    assert "Does not count" not in body and "1 submitted scorecard" in body


@pytest.mark.parametrize("viewer", ["hiring_manager", "interviewer"])
def test_scorecards_of_a_cancelled_interview_do_not_count_in_the_comparison(request, with_cancelled_card, viewer):
    # The hiring manager's table is summed in SQL (ALL_SUMS_SQL); an interviewer's through
    # Scorecard.objects.visible_to: both leave the cancelled interview out.
    table = compare(position=with_cancelled_card.position, user=request.getfixturevalue(viewer))
    (row,) = table.rows
    assert row.overall == 4.0
    header = table.header
    assert row.texts[header.index("Recommendations: Strong no")] == "0"
    assert row.texts[header.index("Recommendations: Yes")] == "1"


@pytest.fixture
def decided(interview, hiring_manager, interviewer, interviewer2):
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[2, 2, 2], recommendation="no", summary="Colleague")
    mine = make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], submit=False)
    Decision.objects.create(candidate=interview.candidate, decision="hold", rationale="Secret rationale of the hold",
                            by=hiring_manager)
    return mine


def test_decisions_stay_hidden_from_an_interviewer_until_they_submit(as_user, plain_pdf, interview, interviewer,
                                                                   hiring_manager, decided):
    url = f"/candidates/{interview.candidate.pk}/debrief/"
    client = as_user(interviewer)
    body = client.get(url).content.decode()
    assert "Secret rationale of the hold" not in body and "<strong>Hold</strong>" not in body
    assert "The decision is shown once you have submitted your scorecards" in body
    assert b"Secret rationale" not in client.get(url, {"format": "pdf"}).content
    # Earlier decisions too.
    Decision.objects.create(candidate=interview.candidate, decision="hire", rationale="Newer rationale", by=hiring_manager)
    body = client.get(url).content.decode()
    assert "Newer rationale" not in body and "Earlier decisions" not in body
    Scorecard.objects.filter(pk=decided.pk).update(status="submitted", recommendation="yes", summary="Mine",
                                                   submitted_at=interview.starts_at)
    body = client.get(url).content.decode()
    assert "Newer rationale" in body and "Secret rationale of the hold" in body
    assert b"Newer rationale" in client.get(url, {"format": "pdf"}).content


def test_those_who_run_the_position_see_the_decision(as_user, plain_pdf, interview, hiring_manager, recruiter, decided):
    url = f"/candidates/{interview.candidate.pk}/debrief/"
    for person in (hiring_manager, recruiter):
        assert "Secret rationale of the hold" in as_user(person).get(url).content.decode()
    assert b"Secret rationale of the hold" in as_user(hiring_manager).get(url, {"format": "pdf"}).content


def test_an_interviewer_with_a_second_interview_still_to_score_does_not_see_the_decision(interview, interviewer, decided):
    Scorecard.objects.filter(pk=decided.pk).update(status="submitted", recommendation="yes", summary="Mine",
                                                   submitted_at=interview.starts_at)
    candidate = interview.candidate
    assert debrief(candidate, interviewer)["decisions"]
    make_interview(candidate=candidate, plan=make_plan(position=candidate.position, name="Onsite"), interviewers=[interviewer])
    data = debrief(candidate, interviewer)
    assert data["decisions"] == [] and data["decisions_hidden"] is True


def test_a_user_removed_from_the_interviewers_role_loses_the_debrief_and_autosave(as_user, interview, interviewer):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    row = card.scores.order_by("question__order").first()
    client = as_user(interviewer)
    url = f"/candidates/{interview.candidate.pk}/debrief/"
    body = {"key": "still-mine-01", "question": row.question_id, "version": row.version, "state": STATE}
    assert client.get(url).status_code == 200
    interviewer.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER]))
    assert client.get(url).status_code == 403
    response = client.post(f"/interviews/{interview.pk}/autosave/", json.dumps(body), content_type="application/json")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    row.refresh_from_db()
    assert row.score is None


def test_a_hiring_manager_removed_from_the_role_can_no_longer_decide(as_user, interview, hiring_manager):
    hiring_manager.groups.clear()
    client = as_user(hiring_manager)
    response = client.post(f"/candidates/{interview.candidate.pk}/decision/", {"decision": "hire", "rationale": "x"})
    assert response.status_code == 403
    assert client.get(f"/candidates/{interview.candidate.pk}/debrief/").status_code == 403
    assert not Decision.objects.exists()
