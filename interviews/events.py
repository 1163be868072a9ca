"""What Panelist tells subscribed systems (an ATS) about interviews, through signed webhooks
(webhooks.services.event_publish; payloads in docs/webhooks.md). Ids and a few fields only:
never a candidate's name, e-mail or anything written about them."""

from webhooks.services import event_publish


def candidate_ref(candidate):
    """How an event names a candidate: Panelist's id, the ATS's id when the candidate has one
    (``external_id``, set through the API), and the position's id."""
    return {"id": candidate.pk, "external_id": candidate.external_id or None,
            "position_id": candidate.position_id}


def person_ref(user):
    """An interviewer or a decider, as an ATS matches its users: id and work e-mail."""
    return {"id": user.pk, "email": user.email}


def interview_publish(*, interview, type):
    """Publish ``type`` (webhooks.models.EventType: interview.scheduled, .rescheduled or
    .cancelled) about ``interview`` as it is now, in the caller's transaction."""

    def payload():
        return {
            "interview": {
                "id": interview.pk, "status": interview.status, "starts_at": interview.starts_at,
                "ends_at": interview.ends_at, "duration_minutes": interview.duration_minutes,
                "plan_name": interview.plan_name, "sequence": interview.sequence,
                "interviewers": [person_ref(p) for p in interview.interviewers.order_by("pk")],
            },
            "candidate": candidate_ref(interview.candidate),
        }

    return event_publish(type=type, payload=payload)
