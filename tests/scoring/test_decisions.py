"""Decisions move the candidate's stage by one documented rule (hire -> offer, no hire ->
rejected, hold -> unchanged), atomically; and the debrief names people one way, says which
interview each recommendation came from, and drops its banner once you have submitted."""

import pytest
from django.urls import reverse

from interviews.models import Stage
from scoring import services
from accounts.models import AuditEvent
from scoring.models import Decision
from scoring.services import decision_record
from tests.factories import make_interview, make_plan, make_scorecard

pytestmark = pytest.mark.django_db


def decide(client, candidate, decision, rationale="Because of the evidence"):
    return client.post(f"/candidates/{candidate.pk}/decision/", {"decision": decision, "rationale": rationale})


@pytest.mark.parametrize("decision,stage", [("hire", Stage.OFFER), ("no_hire", Stage.REJECTED), ("hold", Stage.INTERVIEWING)])
def test_a_decision_moves_the_stage_by_the_rule(hm_client, interview, decision, stage):
    candidate = interview.candidate
    candidate.stage = Stage.INTERVIEWING
    candidate.save(update_fields=["stage"])
    response = decide(hm_client, candidate, decision)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == stage
    event = AuditEvent.objects.get(action="decision.record")
    assert (event.detail["decision"], event.detail["stage_from"], event.detail["stage_to"]) == (decision, "interviewing", stage)


def test_the_message_and_the_position_pipeline_show_the_new_stage(hm_client, interview):
    candidate = interview.candidate
    followed = hm_client.post(f"/candidates/{candidate.pk}/decision/",
                              {"decision": "hire", "rationale": "Strong everywhere"}, follow=True)
    assert "Decision recorded: Hire. Stage: Applied → Offer." in followed.content.decode()
    page = hm_client.get(reverse("interviews:position_detail", args=[candidate.position_id]))
    assert dict(page.context["stage_counts"]) == {"Offer": 1}
    decide(hm_client, candidate, "no_hire")
    page = hm_client.get(reverse("interviews:position_detail", args=[candidate.position_id]))
    assert dict(page.context["stage_counts"]) == {"Rejected": 1}


def test_a_hired_candidate_stays_hired(interview, hiring_manager):
    candidate = interview.candidate
    candidate.stage = Stage.HIRED
    candidate.save(update_fields=["stage"])
    decision_record(candidate=candidate, decision="hire", rationale="Signed", by=hiring_manager)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HIRED


def test_the_decision_and_the_stage_are_saved_together_or_not_at_all(monkeypatch, interview, hiring_manager):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        decision_record(candidate=interview.candidate, decision="no_hire", rationale="Weak", by=hiring_manager)
    interview.candidate.refresh_from_db()
    assert interview.candidate.stage == Stage.APPLIED and not Decision.objects.exists()


def test_earlier_decisions_name_people_as_the_current_one_does(hm_client, interview, hiring_manager):
    hiring_manager.last_name = "Hiring-Manager"
    hiring_manager.save(update_fields=["last_name"])
    decide(hm_client, interview.candidate, "hold", "Need another round")
    decide(hm_client, interview.candidate, "hire", "The round went well")
    body = hm_client.get(f"/candidates/{interview.candidate.pk}/debrief/").content.decode()
    earlier = body.split("Earlier decisions")[1]
    assert "Hana Hiring-Manager" in earlier and "— hm," not in earlier


def test_each_recommendation_says_which_interview_it_came_from(hm_client, interview, interviewer, interviewer2):
    candidate = interview.candidate
    onsite = make_interview(candidate=candidate, plan=make_plan(position=candidate.position, name="Onsite loop"),
                            interviewers=[interviewer2])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], recommendation="yes")
    make_scorecard(interview=onsite, interviewer=interviewer2, scores=[2, 2, 2], recommendation="no")
    response = hm_client.get(f"/candidates/{candidate.pk}/debrief/")
    came_from = {r["card"].recommendation: r["interview"].plan_name for r in response.context["recommendations"]}
    assert came_from == {"yes": "Screen", "no": "Onsite loop"}
    box = response.content.decode().split("<h2 class=\"h6 text-secondary\">Recommendations</h2>")[1].split("</ul>")[0]
    assert "Screen," in box and "Onsite loop," in box


def test_the_independence_banner_shows_only_before_you_submit(as_user, interview, interviewer):
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], submit=False)
    client = as_user(interviewer)
    url = f"/candidates/{interview.candidate.pk}/debrief/"
    assert "only once you have submitted your own" in client.get(url).content.decode()
    card.status, card.recommendation, card.summary, card.submitted_at = "submitted", "yes", "Done", interview.starts_at
    card.save()
    assert "only once you have submitted your own" not in client.get(url).content.decode()


def test_the_stage_a_decision_gave_is_hidden_with_the_decision(as_user, plain_pdf, interview, interviewer,
                                                               hiring_manager):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], submit=False)
    decision_record(candidate=interview.candidate, decision="no_hire", rationale="Weak", by=hiring_manager)
    client = as_user(interviewer)
    url = f"/candidates/{interview.candidate.pk}/debrief/"
    assert "Rejected" not in client.get(url).content.decode()
    assert b"Rejected" not in client.get(url, {"format": "pdf"}).content
    assert "stage Rejected" in as_user(hiring_manager).get(url).content.decode()
    assert b"stage: Rejected" in as_user(hiring_manager).get(url, {"format": "pdf"}).content
