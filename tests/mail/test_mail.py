"""Mail: recorded once per key in the caller's transaction, sent by a job to a real SMTP server
on loopback, kept in the outbox when no server is set, retried after a server outage without
a second copy, failed after the last attempt and retried by an admin."""

import zoneinfo
from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from mail.models import Message, MessageStatus
from mail.services import MessageNotSent, message_queue, message_retry, message_send
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def queue(user, key="test:1", **overrides):
    """A message of the test template (templates/mail/test_note*.txt/html: a time and a name)."""
    return message_queue(**{
        "key": key, "reason": "test", "recipient": user, "time_zone": PARIS, "template": "test_note",
        "context": {"when": datetime(2026, 12, 7, 9, 30, tzinfo=dt_timezone.utc), "name": "<Ada & co>"},
        "attachment": ("note.ics", "text/calendar; charset=utf-8", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        **overrides,
    })


def jobs_for(message):
    return ProcrastinateJob.objects.filter(task_name="mail.tasks.message_send_job", args__message_id=message.pk)


def test_it_records_a_message_once_per_key_with_its_job(settings):
    ivan = make_user("ivan", email="ivan@example.com")
    first = queue(ivan)
    again = queue(ivan)
    assert first.pk == again.pk and Message.objects.count() == 1
    assert jobs_for(first).count() == 1
    assert first.to == "ivan@example.com" and first.status == MessageStatus.QUEUED


def test_it_renders_the_parts_in_the_recipients_time_zone_and_escapes_the_html():
    message = queue(make_user("ivan", email="ivan@example.com"))
    assert "10:30" in message.text and "10:30" in message.html  # 09:30 UTC in Paris, in December
    assert "Europe/Paris" in message.text
    assert "&lt;Ada &amp; co&gt;" in message.html and "<Ada & co>" in message.text
    assert message.subject == "A note for ivan at 10:30"


def test_a_rolled_back_transaction_records_and_queues_nothing():
    ivan = make_user("ivan", email="ivan@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(ivan)
        raise RuntimeError("the change that would have sent it failed")
    assert not Message.objects.exists()
    assert not ProcrastinateJob.objects.filter(task_name="mail.tasks.message_send_job").exists()


def test_nobody_without_an_address_is_written_to():
    assert queue(make_user("nomail", email="")) is None and not Message.objects.exists()


def test_without_an_smtp_server_the_message_is_kept_in_the_outbox(settings, mailoutbox):
    settings.MAIL_DELIVERY = "outbox"
    message = queue(make_user("ivan", email="ivan@example.com"))
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.KEPT and message.sent_at and message.attempts == 1
    assert mailoutbox == []  # nothing sent


def test_it_sends_both_parts_and_the_attachment_to_a_real_smtp_server_once(smtp_server):
    message = queue(make_user("ivan", email="ivan@example.com"))
    message_send(message_id=message.pk)
    message_send(message_id=message.pk)  # a job run twice: already sent, not sent again
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["To"] == "ivan@example.com" and received["Subject"] == "A note for ivan at 10:30"
    assert received["Message-ID"] == message.message_id
    assert received.get_body(("plain",)).get_content().strip().startswith("Hello ivan")
    assert "&lt;Ada &amp; co&gt;" in received.get_body(("html",)).get_content()
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_filename() == "note.ics" and "BEGIN:VCALENDAR" in attachment.get_content()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_a_server_down_then_back_gets_each_message_exactly_once(smtp_server):
    ivan = make_user("ivan", email="ivan@example.com")
    messages = [queue(ivan, key=f"test:{n}") for n in range(3)]
    smtp_server.stop()
    for message in messages:
        with pytest.raises(MessageNotSent):
            message_send(message_id=message.pk)
    message = Message.objects.get(pk=messages[0].pk)
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    smtp_server.start()  # back, on the same port: the jobs' retries send them
    for message in messages + messages:
        message_send(message_id=message.pk)
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(m.message_id for m in messages)
    assert set(Message.objects.values_list("status", "attempts", "last_error")) == {(MessageStatus.SENT, 2, "")}


def test_the_last_failed_attempt_fails_the_message_and_an_admin_can_send_it_again(smtp_server):
    message = queue(make_user("ivan", email="ivan@example.com"))
    smtp_server.stop()
    with pytest.raises(MessageNotSent):
        message_send(message_id=message.pk, last_attempt=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    jobs_for(message).delete()
    assert message_retry(message=message) and jobs_for(message).count() == 1
    assert not message_retry(message=message)  # queued now: nothing to retry
    smtp_server.start()
    message_send(message_id=message.pk)
    assert len(smtp_server.messages) == 1
