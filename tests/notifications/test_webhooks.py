"""Chat channels: a position's events are posted to its Slack or Teams incoming webhook (a real
HTTP server on loopback here, which these tests allow as an operator allows an internal
network) and to the global one, each once; a refusing or unreachable channel keeps its error
and is tried again, never doubled; a private address is refused when the position is saved and
when a post is sent (config/outbound.py, as for the signed webhooks)."""

import socket

import pytest

from accounts.roles import Role
from interviews.models import Position
from notifications.models import WebhookDelivery, WebhookStatus
from notifications.webhooks import WebhookNotSent, webhook_retry, webhook_send
from scoring.services import decision_record
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = ["127.0.0.0/8"]


def schedule(url, fmt="slack"):
    hm = make_user("hm", Role.HIRING_MANAGER)
    position = make_position(hiring_manager=hm, recruiter=make_user("rita", Role.RECRUITER))
    position.webhook_url, position.webhook_format = url, fmt
    position.save()
    candidate = make_candidate(position=position, name="Ada Lovelace")
    ivan = make_user("ivan", Role.INTERVIEWER, first_name="Ivan", last_name="Petrov")
    return make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[ivan])


def send_all():
    for delivery in WebhookDelivery.objects.order_by("pk"):
        webhook_send(delivery_id=delivery.pk)


def test_scheduling_posts_to_the_positions_slack_channel_once(webhook_receiver):
    interview = schedule(webhook_receiver.url)
    send_all()
    send_all()  # a job run twice: sent already
    (body,) = webhook_receiver.bodies
    assert body["text"].startswith("Interview scheduled: Ada Lovelace") and "Ivan Petrov" in body["text"]
    assert f"/interviews/{interview.pk}/|Open in Panelist>" in body["text"]


def test_teams_gets_a_message_card(webhook_receiver):
    schedule(webhook_receiver.url, fmt="teams")
    send_all()
    (body,) = webhook_receiver.bodies
    assert body["@type"] == "MessageCard" and "Interview scheduled" in body["text"] and "[Open in Panelist](" in body["text"]


def test_a_refusing_channel_keeps_the_error_and_gets_the_post_once_it_answers(webhook_receiver):
    schedule(webhook_receiver.url)
    webhook_receiver.status = 500
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(WebhookNotSent):
        webhook_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.QUEUED and delivery.last_error == "HTTP 500" and delivery.attempts == 1
    webhook_receiver.status = 200
    webhook_send(delivery_id=delivery.pk)
    assert len(webhook_receiver.bodies) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.SENT and delivery.last_error == ""


def test_an_unreachable_channel_fails_after_the_last_attempt_and_an_admin_can_retry(webhook_receiver):
    schedule(f"http://127.0.0.1:{free_port()}/nobody-listens")
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(WebhookNotSent):
        webhook_send(delivery_id=delivery.pk, last_attempt=True)
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.FAILED and "Connection refused" in delivery.last_error
    assert webhook_retry(delivery=delivery) and not webhook_retry(delivery=delivery)


def test_the_global_channel_gets_every_positions_decisions_too(webhook_receiver, settings):
    from tests.webhook_receiver import Receiver

    everything = Receiver()
    try:
        settings.PANELIST_WEBHOOK_URL, settings.PANELIST_WEBHOOK_FORMAT = everything.url, "slack"
        interview = schedule(webhook_receiver.url)
        decision_record(candidate=interview.candidate, decision="no_hire", rationale="Not this time", by=interview.candidate.position.hiring_manager)
        send_all()
        texts = [b["text"] for b in webhook_receiver.bodies]
        assert [t.split(":")[0] for t in texts] == ["Interview scheduled", "Decision on Ada Lovelace (ML Engineer)"]
        assert sorted(b["text"] for b in everything.bodies) == sorted(texts)
    finally:
        everything.close()


def test_the_position_form_refuses_a_webhook_that_is_not_a_url_and_assumes_https(as_user, hiring_manager, recruiter,
                                                                                 monkeypatch):
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real("93.184.215.14" if host == "hooks.slack.com" else host, *a, **k))
    response = as_user(recruiter).post("/positions/new/", {
        "title": "Data Scientist", "team": "", "level": "mid", "hiring_manager": hiring_manager.pk,
        "recruiter": recruiter.pk, "status": "open", "escalation_hours": 48,
        "webhook_url": "the team channel", "webhook_format": "slack"})
    assert response.status_code == 400 and "Enter a valid URL" in response.content.decode()
    as_user(recruiter).post("/positions/new/", {
        "title": "Data Scientist", "team": "", "level": "mid", "hiring_manager": hiring_manager.pk,
        "recruiter": recruiter.pk, "status": "open", "escalation_hours": 48,
        "webhook_url": "hooks.slack.com/services/T0/B0/x", "webhook_format": "slack"})
    assert Position.objects.get().webhook_url == "https://hooks.slack.com/services/T0/B0/x"


def test_a_channel_on_a_private_address_is_refused_when_saved(as_user, hiring_manager, recruiter, settings):
    """A hiring manager or recruiter types the channel's URL and the worker posts to it: an
    address inside the company's network (a cloud's metadata service, here) is refused."""
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = []
    response = as_user(recruiter).post("/positions/new/", {
        "title": "Data Scientist", "team": "", "level": "mid", "hiring_manager": hiring_manager.pk,
        "recruiter": recruiter.pk, "status": "open", "escalation_hours": 48,
        "webhook_url": "http://169.254.169.254/latest/meta-data/", "webhook_format": "slack"})
    assert response.status_code == 400 and "private, loopback, link-local" in response.content.decode()
    assert not Position.objects.exists()


def test_a_channel_on_a_private_address_is_never_posted_to(settings, webhook_receiver):
    """One saved before the check, or the global channel the operator set: refused at send time."""
    schedule(webhook_receiver.url)
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = []
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(WebhookNotSent):
        webhook_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused: 127.0.0.1 is a private") and webhook_receiver.bodies == []
