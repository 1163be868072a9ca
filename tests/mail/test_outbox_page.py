"""The outbox page: admins read every recorded message, its two parts and its attachment."""

import pytest

from mail.models import Message, MessageStatus

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    return client


def make_message(n=1, **fields):
    return Message.objects.create(**{
        "key": f"page:{n}", "reason": "invitation", "to": f"person{n}@example.com", "subject": f"Interview {n}",
        "text": f"Hello <person {n}>", "html": f"<p>Hello <b>person {n}</b></p>", **fields,
    })


def test_it_lists_the_messages_newest_first_and_says_no_server_is_set(admin_client, settings):
    settings.MAIL_DELIVERY = "outbox"
    make_message(1, status=MessageStatus.KEPT)
    make_message(2, status=MessageStatus.FAILED, last_error="SMTPRecipientsRefused: 550 no such user")
    body = admin_client.get("/outbox/").content.decode()
    assert body.index("Interview 2") < body.index("Interview 1")
    assert "No SMTP server is set" in body and "550 no such user" in body
    assert ">Kept<" in body and ">Failed<" in body


def test_it_filters_by_status_and_says_when_nothing_matches(admin_client):
    make_message(1, status=MessageStatus.SENT)
    body = admin_client.get("/outbox/", {"status": "failed"}).content.decode()
    assert "No message with this status" in body and "Interview 1" not in body
    assert "Interview 1" in admin_client.get("/outbox/", {"status": "nonsense"}).content.decode()  # ignored


def test_a_message_shows_its_text_escaped_its_html_sandboxed_and_its_attachment(admin_client):
    message = make_message(1, attachment_name="interview-1.ics", attachment_type="text/calendar; charset=utf-8",
                           attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    body = admin_client.get(f"/outbox/{message.pk}/").content.decode()
    assert "Hello &lt;person 1&gt;" in body and "<b>person 1</b>" not in body
    assert f'src="/outbox/{message.pk}/html/"' in body and "sandbox" in body
    html = admin_client.get(f"/outbox/{message.pk}/html/")
    assert html.content.decode() == "<p>Hello <b>person 1</b></p>" and html["Content-Security-Policy"].startswith("sandbox")
    ics = admin_client.get(f"/outbox/{message.pk}/attachment/")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VCALENDAR" in ics.content
    assert 'filename="interview-1.ics"' in ics["Content-Disposition"]


def test_an_unknown_message_or_a_missing_attachment_is_not_found(admin_client):
    message = make_message(1)
    assert admin_client.get("/outbox/999999/").status_code == 404
    assert admin_client.get(f"/outbox/{message.pk}/attachment/").status_code == 404


def test_the_navbar_shows_the_outbox_to_admins_only(admin_client, client):
    assert 'href="/outbox/"' in admin_client.get("/").content.decode()
    client.force_login(make_user("ivan"))
    assert 'href="/outbox/"' not in client.get("/").content.decode()
