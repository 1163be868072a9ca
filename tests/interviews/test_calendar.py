"""Calendar files: the iCalendar events of interviews (each file parses back to the same
event), the SEQUENCE bumps, the invite.ics download per role and the personal feed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import profile_new_calendar_token, profile_of
from accounts.roles import Role
from interviews import calendar
from interviews.models import Interview
from interviews.services import interview_reschedule
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan

pytestmark = pytest.mark.django_db

START = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def cast(hiring_manager, recruiter, interviewer, interviewer2, position):
    recruiter.first_name, recruiter.last_name, recruiter.email = "Rita", "Cruz", "rita@example.com"
    recruiter.save()
    interviewer.first_name, interviewer.email = "Ivan", "ivan@example.com"
    interviewer.save()
    interviewer2.first_name, interviewer2.email = "Iris", "iris@example.com"
    interviewer2.save()
    return position


@pytest.fixture
def booked(cast, interviewer, interviewer2, recruiter):
    candidate = make_candidate(position=cast, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=cast, name="Onsite"),
                          interviewers=[interviewer, interviewer2], by=recruiter, starts_at=START, minutes=60)


def parse(body):
    """The calendar and its only event."""
    cal = Calendar.from_ical(body)
    events = cal.walk("VEVENT")
    return cal, events


def attendees(event):
    found = event.get("attendee", [])
    found = found if isinstance(found, list) else [found]
    return sorted((str(a), a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"]) for a in found)


# --- Building ---------------------------------------------------------------------------


def test_it_writes_an_invitation_that_parses_back_to_the_same_event(booked, settings):
    settings.PANELIST_BASE_URL = "https://panelist.example.com"
    settings.PANELIST_CALENDAR_DOMAIN = "panelist.example.com"
    body = calendar.interview_calendar([booked], method="REQUEST")
    cal, [event] = parse(body)
    assert cal["method"] == "REQUEST" and cal["version"] == "2.0" and cal["prodid"] == calendar.PRODID
    assert event["uid"] == f"interview-{booked.pk}@panelist.example.com"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == START and event.decoded("dtend") == START + timedelta(minutes=60)
    assert f"DTSTART:20310304T093000Z" in body.decode()
    assert event["summary"] == "Interview: Ada Lovelace — Onsite"
    live = f"https://panelist.example.com/interviews/{booked.pk}/live/"
    assert event["url"] == live and live in event["description"]
    assert event["status"] == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:rita@example.com" and event["organizer"].params["CN"] == "Rita Cruz"
    assert attendees(event) == [
        ("mailto:iris@example.com", "Iris", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE"),
        ("mailto:ivan@example.com", "Ivan", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE"),
    ]
    assert abs(event.decoded("dtstamp") - timezone.now()) < timedelta(minutes=1)


def test_it_writes_times_in_utc_whatever_zone_is_active(booked):
    with timezone.override("Asia/Tokyo"):
        body = calendar.interview_calendar([booked], method="REQUEST").decode()
    assert "DTSTART:20310304T093000Z" in body and "DTEND:20310304T103000Z" in body


def test_it_leaves_out_a_panelist_without_an_email_address(booked, interviewer2):
    interviewer2.email = ""
    interviewer2.save()
    _, [event] = parse(calendar.interview_calendar([booked], method="REQUEST"))
    assert [a[0] for a in attendees(event)] == ["mailto:ivan@example.com"]


def test_the_uid_stays_and_the_sequence_rises_with_each_reschedule(booked, interviewer, interviewer2):
    uid = calendar.interview_uid(booked)
    interview_reschedule(interview=booked, starts_at=START + timedelta(hours=2), duration_minutes=60,
                         interviewers=[interviewer, interviewer2])
    booked.refresh_from_db()
    assert booked.sequence == 1
    interview_reschedule(interview=booked, starts_at=booked.starts_at, duration_minutes=45,
                         interviewers=[interviewer, interviewer2])
    interview_reschedule(interview=Interview.objects.get(pk=booked.pk), starts_at=booked.starts_at,
                         duration_minutes=45, interviewers=[interviewer])
    booked.refresh_from_db()
    assert booked.sequence == 3
    assert list(booked.interviewers.all()) == [interviewer]
    _, [event] = parse(calendar.interview_calendar([booked], method="REQUEST"))
    assert event["uid"] == uid and event["sequence"] == 3
    assert event.decoded("dtstart") == START + timedelta(hours=2)
    assert event.decoded("dtend") == START + timedelta(hours=2, minutes=45)


def test_a_reschedule_that_changes_nothing_keeps_the_sequence(booked, interviewer, interviewer2):
    interview_reschedule(interview=booked, starts_at=START, duration_minutes=60, interviewers=[interviewer2, interviewer])
    booked.refresh_from_db()
    assert booked.sequence == 0


def test_a_stale_copy_does_not_lose_a_bump(booked, interviewer, interviewer2):
    stale = Interview.objects.get(pk=booked.pk)
    interview_reschedule(interview=booked, starts_at=START + timedelta(hours=1), duration_minutes=60,
                         interviewers=[interviewer, interviewer2])
    assert stale.cancel(reason="Candidate withdrew")
    booked.refresh_from_db()
    assert booked.sequence == 2 and booked.is_cancelled


def test_a_cancel_bumps_the_sequence_once_and_writes_a_cancel(booked):
    assert booked.cancel(reason="Candidate withdrew")
    assert not booked.cancel(reason="again")
    booked.refresh_from_db()
    assert booked.sequence == 1
    cal, [event] = parse(calendar.interview_calendar([booked], method=calendar.interview_method(booked)))
    assert cal["method"] == "CANCEL"
    assert event["uid"] == calendar.interview_uid(booked) and event["sequence"] == 1
    assert event["status"] == "CANCELLED"


def test_a_feed_marks_a_cancelled_interview_cancelled_and_others_confirmed(booked, cast, interviewer, recruiter):
    other = make_interview(candidate=make_candidate(position=cast), interviewers=[interviewer], by=recruiter,
                           starts_at=START + timedelta(days=1))
    booked.cancel(reason="Moved")
    cal, events = parse(calendar.interview_calendar([booked, other], method="PUBLISH", name="Panelist — Ivan"))
    assert cal["method"] == "PUBLISH" and cal["x-wr-calname"] == "Panelist — Ivan"
    assert [(e["uid"], e["status"]) for e in events] == [
        (calendar.interview_uid(booked), "CANCELLED"), (calendar.interview_uid(other), "CONFIRMED")]


def test_it_refuses_an_unknown_method(booked):
    with pytest.raises(ValueError):
        calendar.interview_calendar([booked], method="REPLY")


# --- invite.ics -------------------------------------------------------------------------


def invite(client, interview):
    return client.get(reverse("interviews:interview_invite", args=[interview.pk]))


@pytest.mark.parametrize("who", ["interviewer", "interviewer2", "recruiter", "hiring_manager", "admin_user"])
def test_the_panel_recruiter_hiring_manager_and_admins_download_the_invitation(request, as_user, booked, who):
    response = invite(as_user(request.getfixturevalue(who)), booked)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="interview-{booked.pk}.ics"'
    cal, [event] = parse(response.content)
    assert cal["method"] == "REQUEST" and event["uid"] == calendar.interview_uid(booked)


def test_a_cancelled_interviews_download_is_a_cancel(as_user, booked, interviewer):
    booked.cancel(reason="Moved")
    cal, [event] = parse(invite(as_user(interviewer), booked).content)
    assert cal["method"] == "CANCEL" and event["status"] == "CANCELLED"


def test_anyone_else_gets_404(as_user, booked, outsider):
    assert invite(as_user(make_user("int3", Role.INTERVIEWER)), booked).status_code == 404
    assert invite(as_user(outsider), booked).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, booked):
    response = invite(client, booked)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_interview_and_live_pages_link_to_it(as_user, booked, interviewer):
    client = as_user(interviewer)
    link = reverse("interviews:interview_invite", args=[booked.pk])
    assert link in client.get(booked.get_absolute_url()).content.decode()
    assert link in client.get(reverse("scoring:live", args=[booked.pk]), follow=True).content.decode()


# --- The personal feed ------------------------------------------------------------------


def feed(client, user):
    return client.get(reverse("interviews:calendar_feed", args=[profile_of(user).calendar_token]))


def test_the_feed_lists_only_that_persons_interviews_from_30_days_ago(client, cast, booked, interviewer, interviewer2,
                                                                       recruiter):
    candidate = make_candidate(position=cast)
    recent = make_interview(candidate=candidate, interviewers=[interviewer], starts_at=timezone.now() - timedelta(days=29))
    make_interview(candidate=candidate, interviewers=[interviewer], starts_at=timezone.now() - timedelta(days=31))
    not_mine = make_interview(candidate=candidate, interviewers=[interviewer2], starts_at=START)
    response = feed(client, interviewer)  # anonymous: calendar apps do not sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    cal, events = parse(response.content)
    assert cal["method"] == "PUBLISH" and cal["x-wr-calname"] == "Panelist — Ivan"
    assert [e["uid"] for e in events] == [calendar.interview_uid(recent), calendar.interview_uid(booked)]
    assert calendar.interview_uid(not_mine) not in response.content.decode()


def test_an_unknown_token_is_404(client, interviewer):
    profile_of(interviewer)
    assert client.get(reverse("interviews:calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_new_link_ends_the_old_one(client, booked, interviewer):
    old = profile_of(interviewer).calendar_token
    profile_new_calendar_token(profile=profile_of(interviewer))
    assert client.get(reverse("interviews:calendar_feed", args=[old])).status_code == 404
    assert feed(client, interviewer).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_feed_takes_three_queries_however_many_interviews(client, django_assert_num_queries, cast, interviewer,
                                                              recruiter, count):
    token = profile_of(interviewer).calendar_token
    for n in range(count):
        panel = [interviewer, make_user(f"p{n}", Role.INTERVIEWER, email=f"p{n}@example.com")]
        make_interview(candidate=make_candidate(position=cast), interviewers=panel, by=recruiter,
                       starts_at=START + timedelta(days=n))
    # The profile with its user; the interviews with candidate, position and recruiter; the panels.
    with django_assert_num_queries(3):
        response = client.get(reverse("interviews:calendar_feed", args=[token]))
    assert len(parse(response.content)[1]) == count
