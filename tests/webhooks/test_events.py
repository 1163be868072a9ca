"""Each action publishes its event, once, in its own transaction: scheduling, rescheduling and
cancelling an interview, submitting and amending a scorecard, recording a decision, erasing a
candidate. Payloads hold ids, choices and times: never a candidate's name, e-mail or a text
written about them (docs/webhooks.md)."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.services import interview_reschedule
from scoring.erasure import candidate_erase
from scoring.models import QuestionScore
from scoring.services import decision_record, scorecard_amend, scorecard_open
from tests.factories import make_candidate, make_interview
from webhooks.models import Event

from .conftest import iso, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(webhook_receiver):
    return subscribe(webhook_receiver.url)


def submit(interview, interviewer, recommendation="yes"):
    card = scorecard_open(interview=interview, interviewer=interviewer)
    QuestionScore.objects.filter(scorecard=card).update(score=3)
    card.submit(recommendation=recommendation, summary="Clear thinking about bias and variance.", by=interviewer)
    return card


def payloads(kind):
    return [e.payload for e in Event.objects.filter(type=kind).order_by("timestamp")]


def test_the_life_of_an_interview_publishes_each_event_once(subscribed, position, interviewer, interviewer2,
                                                           hiring_manager, admin_user, recruiter):
    interviewer.email, interviewer2.email = "ivan@example.com", "iris@example.com"
    interviewer.save()
    interviewer2.save()
    candidate = make_candidate(position=position, name="Ada Lovelace", email="ada@example.com",
                               notes="Prefers mornings")
    interview = make_interview(candidate=candidate, interviewers=[interviewer], by=recruiter)
    (scheduled,) = payloads("interview.scheduled")
    assert scheduled == {
        "interview": {
            "id": interview.pk, "status": "scheduled", "starts_at": iso(interview.starts_at),
            "ends_at": iso(interview.ends_at), "duration_minutes": 45,
            "plan_name": interview.plan_name, "sequence": 0,
            "interviewers": [{"id": interviewer.pk, "email": "ivan@example.com"}],
        },
        "candidate": {"id": candidate.pk, "external_id": None, "position_id": position.pk},
    }
    # The same time and panel again changes nothing: no event. A new panelist: one.
    interview_reschedule(interview=interview, starts_at=interview.starts_at, duration_minutes=45, interviewers=[interviewer])
    interview_reschedule(interview=interview, starts_at=interview.starts_at, duration_minutes=45,
                         interviewers=[interviewer, interviewer2])
    (moved,) = payloads("interview.rescheduled")
    assert moved["interview"]["sequence"] == 1 and len(moved["interview"]["interviewers"]) == 2

    card = submit(interview, interviewer)
    (submitted,) = payloads("scorecard.submitted")
    assert submitted["scorecard"] == {"id": card.pk, "interview_id": interview.pk, "recommendation": "yes",
                                      "interviewer": {"id": interviewer.pk, "email": "ivan@example.com"},
                                      "submitted_at": iso(card.submitted_at)}
    scorecard_amend(scorecard=card, by=interviewer, reason="Meant strong yes", changes={"recommendation": "strong_yes"})
    scorecard_amend(scorecard=card, by=interviewer, reason="Nothing really", changes={"recommendation": "strong_yes"})
    (amended,) = payloads("scorecard.amended")  # the second changed nothing
    assert amended["fields"] == ["recommendation"] and amended["scorecard"]["recommendation"] == "strong_yes"
    assert amended["amended_by"]["id"] == interviewer.pk

    decision_record(candidate=candidate, decision="hire", rationale="Strong on fundamentals", by=hiring_manager)
    (decided,) = payloads("decision.recorded")
    assert decided["decision"]["decision"] == "hire" and decided["candidate"]["stage"] == "offer"
    assert decided["decision"]["by"] == {"id": hiring_manager.pk, "email": hiring_manager.email}

    assert interview.cancel(reason="Ada withdrew") and not interview.cancel(reason="again")
    (cancelled,) = payloads("interview.cancelled")
    assert cancelled["interview"]["status"] == "cancelled"

    candidate_erase(candidate=candidate, by=admin_user)
    (erased,) = payloads("candidate.erased")
    assert erased == {"candidate": {"id": candidate.pk, "external_id": None, "position_id": position.pk}}

    # Nothing the receivers were told names her or repeats what was written about her.
    told = json.dumps([e.payload for e in Event.objects.all()])
    for personal in ("Ada", "Lovelace", "ada@example.com", "mornings", "bias and variance", "Meant strong",
                     "fundamentals", "withdrew"):
        assert personal not in told
    assert Event.objects.count() == 7 and subscribed.deliveries.count() == 7


def test_an_action_refused_publishes_nothing(subscribed, interview, interviewer):
    interview.cancel(reason="No longer hiring")
    Event.objects.all().delete()
    with pytest.raises(ValidationError):
        interview_reschedule(interview=interview, starts_at=timezone.now() + timedelta(days=1), duration_minutes=45,
                             interviewers=[interviewer])
    assert not Event.objects.exists()


def test_the_ats_id_is_sent_and_erasure_tells_it_once_then_forgets_it(subscribed, position, interviewer, admin_user):
    """Candidate.external_id (set through the API) names the candidate in the events; erasure
    sends it one last time, then clears it from the candidate."""
    candidate = make_candidate(position=position)
    candidate.external_id = "gh-4711"
    candidate.save()
    make_interview(candidate=candidate, interviewers=[interviewer])
    (scheduled,) = payloads("interview.scheduled")
    assert scheduled["candidate"]["external_id"] == "gh-4711"
    candidate_erase(candidate=candidate, by=admin_user)
    (erased,) = payloads("candidate.erased")
    assert erased["candidate"]["external_id"] == "gh-4711"
    candidate.refresh_from_db()
    assert candidate.external_id == ""
