"""The debrief is never stale: every change to what the page shows is on the next view, and
each viewer gets only what they may see. These tests commit (a page view is a transaction of
its own, as in production)."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from interviews.services import interview_reschedule
from scoring.services import scorecard_amend
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(bank):
    hm = make_user("hm", Role.HIRING_MANAGER, first_name="Hana")
    ivan, jo = make_user("ivan", Role.INTERVIEWER, first_name="Ivan"), make_user("jo", Role.INTERVIEWER, first_name="Jo")
    position = make_position(hiring_manager=hm)
    candidate = make_candidate(position=position)
    plan = make_plan(position=position)
    started = timezone.now() - timezone.timedelta(days=3)
    first = make_interview(candidate=candidate, plan=plan, interviewers=[ivan, jo], starts_at=started)
    second = make_interview(candidate=candidate, plan=plan, interviewers=[ivan],
                            starts_at=started + timezone.timedelta(days=1))
    card = make_scorecard(interview=first, interviewer=ivan, scores=[3, 3, 3], summary="Ivan's summary", notes="ivan notes")
    make_scorecard(interview=second, interviewer=ivan, scores=[2, 2, 2], summary="Second round", notes="ivan notes")
    return {"hm": hm, "ivan": ivan, "jo": jo, "candidate": candidate, "first": first, "second": second, "card": card}


def page(user, candidate):
    client = Client()
    client.force_login(user)
    response = client.get(f"/candidates/{candidate.pk}/debrief/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_change_shows_on_the_next_view(cast):
    hm, candidate = cast["hm"], cast["candidate"]
    body = page(hm, candidate)
    assert "Ivan&#x27;s summary" in body and "Second round" in body
    assert "Missing scorecards" in body  # Jo has not submitted

    question = cast["first"].questions.order_by("order").first()
    scorecard_amend(scorecard=cast["card"], by=cast["ivan"], reason="Misread",
                    changes={f"notes:{question.pk}": "Amended note"})
    assert "Amended note" in page(hm, candidate)

    make_scorecard(interview=cast["first"], interviewer=cast["jo"], scores=[1, 1, 1], summary="Jo's late summary", notes="jo notes")
    body = page(hm, candidate)
    assert "late summary" in body and "Missing scorecards" not in body

    cast["jo"].first_name = "Joanna"
    cast["jo"].save(update_fields=["first_name"])
    assert "Joanna" in page(hm, candidate)

    newcomer = make_user("kim", Role.INTERVIEWER, first_name="Kim")
    interview_reschedule(interview=cast["second"], starts_at=cast["second"].starts_at, duration_minutes=45,
                         interviewers=[cast["ivan"], newcomer])
    body = page(hm, candidate)
    assert "Missing scorecards" in body and "Kim" in body

    cast["second"].cancel(reason="Rescheduled")
    body = page(hm, candidate)
    assert "Second round" not in body and "Kim" not in body  # no section, nobody missing

    client = Client()
    client.force_login(hm)
    client.post(f"/candidates/{candidate.pk}/decision/", {"decision": "hire", "rationale": "Strong panel"})
    assert "Strong panel" in page(hm, candidate)


def test_each_viewer_sees_only_what_they_may_see(cast):
    candidate = cast["candidate"]
    assert "Ivan&#x27;s summary" in page(cast["hm"], candidate)
    # Jo has not submitted: what the hiring manager sees is not what Jo sees.
    assert "Ivan&#x27;s summary" not in page(cast["jo"], candidate)
    make_scorecard(interview=cast["first"], interviewer=cast["jo"], scores=[2, 2, 2], summary="Jo's summary", notes="jo notes")
    assert "Ivan&#x27;s summary" in page(cast["jo"], candidate)
