"""Invitations: scheduling records one e-mail per panelist with the interview's calendar file
(METHOD:REQUEST), moving it a new one with a higher SEQUENCE, cancelling it a METHOD:CANCEL;
each in the recipient's time zone; sent through a real SMTP server on loopback."""

from datetime import datetime, timedelta, timezone as dt_timezone

import icalendar
import pytest

from accounts.models import profile_of
from accounts.roles import Role
from interviews.services import interview_reschedule
from mail.models import Message
from mail.services import message_send
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 14, 9, 0, tzinfo=dt_timezone.utc)  # a Monday, 10:00 in Paris


@pytest.fixture
def panel():
    ivan = make_user("ivan", Role.INTERVIEWER, email="ivan@example.com", first_name="Ivan")
    paris = profile_of(ivan)
    paris.time_zone = "Europe/Paris"
    paris.save()
    return [ivan, make_user("olga", Role.INTERVIEWER, email="olga@example.com"), make_user("nomail", Role.INTERVIEWER)]


@pytest.fixture
def interview(panel):
    position = make_position(hiring_manager=make_user("hm", Role.HIRING_MANAGER),
                             recruiter=make_user("rita", Role.RECRUITER, email="rita@example.com"))
    candidate = make_candidate(position=position, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=panel,
                          starts_at=START, minutes=60)


def event_of(message):
    calendar = icalendar.Calendar.from_ical(message.attachment)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_scheduling_invites_each_panelist_with_an_address_once(interview):
    messages = Message.objects.filter(reason="invitation").order_by("to")
    assert [m.to for m in messages] == ["ivan@example.com", "olga@example.com"]  # nomail has no address
    calendar, event = event_of(messages[0])
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert event["UID"].startswith(f"interview-{interview.pk}@")
    assert event.decoded("DTSTART") == START and event.decoded("DTEND") == START + timedelta(hours=1)
    assert messages[0].attachment_name == f"interview-{interview.pk}.ics"


def test_the_bell_writes_the_day_as_the_mail_does(interview):
    """"Mon 14 Dec", and on a single-digit day "Sat 5 Dec", never "05"."""
    from notifications.models import Notification

    assert Notification.objects.get(recipient__username="ivan").text == "interview with Ada Lovelace, Mon 14 Dec 10:00 (Europe/Paris)"
    interview_reschedule(interview=interview, starts_at=datetime(2026, 12, 5, 9, 0, tzinfo=dt_timezone.utc),
                         duration_minutes=60, interviewers=list(interview.interviewers.all()))
    moved = Notification.objects.filter(recipient__username="olga").order_by("-pk").first()
    assert moved.text == "Moved: interview with Ada Lovelace, Sat 5 Dec 09:00 (UTC)"


def test_the_invitation_speaks_the_recipients_time(interview):
    ivan = Message.objects.get(to="ivan@example.com")
    assert "10:00" in ivan.subject and "Europe/Paris" in ivan.text and "Ada Lovelace" in ivan.html
    olga = Message.objects.get(to="olga@example.com")
    assert "09:00" in olga.subject  # the server's zone, UTC, for someone who set none
    assert f"/interviews/{interview.pk}/" in ivan.text


def test_moving_the_interview_sends_a_new_invitation_and_tells_who_left(interview, panel):
    ivan, olga, _ = panel
    interview_reschedule(interview=interview, starts_at=START + timedelta(days=1), duration_minutes=60,
                         interviewers=[ivan])
    moved = Message.objects.get(to="ivan@example.com", key__contains=":seq-1:")
    assert moved.subject.startswith("Moved:")
    calendar, event = event_of(moved)
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART") == START + timedelta(days=1)
    left = Message.objects.get(to="olga@example.com", reason="cancellation")
    assert event_of(left)[0]["METHOD"] == "CANCEL" and "no longer on the panel" in left.text
    # The same values again change nothing: no new sequence, no new message.
    count = Message.objects.count()
    interview_reschedule(interview=interview, starts_at=START + timedelta(days=1), duration_minutes=60,
                         interviewers=[ivan])
    assert Message.objects.count() == count


def test_cancelling_sends_each_panelist_a_cancellation_once(interview):
    interview.cancel(reason="The candidate withdrew")
    interview.cancel(reason="Again")
    cancellations = Message.objects.filter(reason="cancellation").order_by("to")
    assert [m.to for m in cancellations] == ["ivan@example.com", "olga@example.com"]
    calendar, event = event_of(cancellations[0])
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert "The candidate withdrew" in cancellations[0].text


def test_the_invitation_reaches_a_real_smtp_server_with_a_calendar_file_that_parses(smtp_server, interview):
    for message in Message.objects.all():
        message_send(message_id=message.pk)
    assert len(smtp_server.messages) == 2
    received = next(m for m in smtp_server.messages if m["To"] == "ivan@example.com")
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event.decoded("DTSTART") == START
    assert {str(a).lower() for a in event.get("ATTENDEE")} >= {"mailto:ivan@example.com", "mailto:olga@example.com"}
