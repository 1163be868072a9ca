"""What Panelist tells subscribed systems (an ATS) about scorecards, decisions and erasures,
through signed webhooks (webhooks.services.event_publish; payloads in docs/webhooks.md). Ids,
choices and times only: no summary, note, rationale or anything else written about a
candidate, so nothing sent needs erasing later."""

from interviews.events import candidate_ref, person_ref
from webhooks.models import EventType
from webhooks.services import event_publish


def _scorecard(card):
    return {"id": card.pk, "interview_id": card.interview_id, "interviewer": person_ref(card.interviewer),
            "recommendation": card.recommendation, "submitted_at": card.submitted_at}


def scorecard_submitted_publish(*, scorecard):
    """scorecard.submitted, in the submit's transaction."""
    return event_publish(type=EventType.SCORECARD_SUBMITTED, payload=lambda: {
        "scorecard": _scorecard(scorecard), "candidate": candidate_ref(scorecard.interview.candidate)})


def scorecard_amended_publish(*, scorecard, amendments, by):
    """scorecard.amended: which fields changed and who changed them (the values are on the
    scorecard, through the API; a changed text may hold personal data)."""
    return event_publish(type=EventType.SCORECARD_AMENDED, payload=lambda: {
        "scorecard": _scorecard(scorecard), "candidate": candidate_ref(scorecard.interview.candidate),
        "amended_by": person_ref(by), "fields": [a.field for a in amendments]})


def decision_recorded_publish(*, decision, candidate):
    """decision.recorded: the decision and the candidate's stage after it (not its rationale),
    the decision rule's verdict then (null without a rule) and whether it went against it (not
    the override reason: a text about the candidate)."""
    return event_publish(type=EventType.DECISION_RECORDED, payload=lambda: {
        "decision": {"id": decision.pk, "decision": decision.decision, "at": decision.at, "by": person_ref(decision.by),
                     "rule_verdict": decision.rule_verdict or None, "override": decision.is_override},
        "candidate": {**candidate_ref(candidate), "stage": candidate.stage}})


def candidate_erased_publish(*, candidate_id, external_id, position_id):
    """candidate.erased: ids only, so the ATS can erase its copy too."""
    return event_publish(type=EventType.CANDIDATE_ERASED, payload={
        "candidate": {"id": candidate_id, "external_id": external_id or None, "position_id": position_id}})
