"""Reminders of missing scorecards, with the clock driven by the test: the first an hour after
the interview ends, then at 9:00 in the panelist's own zone each day, the escalation to the
recruiter and hiring manager after the position's hours; each once; none once submitted or
cancelled; a bounded number of queries however many interviews; the command's dry run."""

import json
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.core.management import call_command

from accounts.models import profile_of
from accounts.roles import Role
from mail.models import Message
from notifications.models import Notification
from scoring.models import Scorecard
from scoring.reminders import reminder_send_now, reminders_due, reminders_send
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db
UTC = dt_timezone.utc
START = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)  # Monday 14:00 UTC; ends 15:00 (60 minutes)


@pytest.fixture
def people():
    ivan = make_user("ivan", Role.INTERVIEWER, email="ivan@example.com")
    zone = profile_of(ivan)
    zone.time_zone = "America/New_York"  # 9:00 there is 14:00 UTC in December
    zone.save()
    return {
        "ivan": ivan, "olga": make_user("olga", Role.INTERVIEWER, email="olga@example.com"),
        "hm": make_user("hm", Role.HIRING_MANAGER, email="hm@example.com"),
        "rita": make_user("rita", Role.RECRUITER, email="rita@example.com"),
    }


@pytest.fixture
def interview(people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    candidate = make_candidate(position=position, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=position),
                          interviewers=[people["ivan"], people["olga"]], starts_at=START, minutes=60)


def sent(now):
    return sorted((r.kind, r.to.username, r.panelist.username) for r in reminders_send(now=now))


def test_nothing_is_due_before_an_hour_after_the_end(interview):
    assert reminders_due(now=START + timedelta(minutes=119)) == []


def test_the_first_reminder_goes_an_hour_after_the_end_once(interview):
    at = START + timedelta(hours=2)
    assert sent(at) == [("first", "ivan", "ivan"), ("first", "olga", "olga")]
    assert sent(at + timedelta(minutes=10)) == []  # the next sweep: already sent
    message = Message.objects.get(to="ivan@example.com", reason="scorecard_reminder")
    assert message.reason == "scorecard_reminder" and "Ada Lovelace" in message.subject
    assert f"/interviews/{interview.pk}/scorecard/" in message.text


def test_then_every_morning_at_nine_in_the_panelists_own_zone(interview):
    sent(START + timedelta(hours=2))
    # Tuesday 13:59 UTC is 8:59 in New York: nothing for ivan yet; olga (UTC) had hers at 9:00.
    assert sent(datetime(2026, 12, 15, 13, 59, tzinfo=UTC)) == [("daily", "olga", "olga")]
    assert sent(datetime(2026, 12, 15, 14, 0, tzinfo=UTC)) == [("daily", "ivan", "ivan")]
    assert sent(datetime(2026, 12, 15, 20, 0, tzinfo=UTC)) == []  # once a day
    ivan = Message.objects.get(key__endswith="day-2026-12-15", to="ivan@example.com")
    assert "America/New_York" in ivan.text and "still missing" in ivan.text


def test_after_the_positions_hours_the_recruiter_and_hiring_manager_are_told_once(interview):
    ends = START + timedelta(hours=1)
    sent(ends + timedelta(hours=1))
    escalations = [r for r in sent(ends + timedelta(hours=48)) if r[0] == "escalation"]
    assert escalations == [("escalation", "hm", "ivan"), ("escalation", "hm", "olga"),
                           ("escalation", "rita", "ivan"), ("escalation", "rita", "olga")]
    assert [r for r in sent(ends + timedelta(hours=49)) if r[0] == "escalation"] == []
    message = Message.objects.filter(reason="scorecard_escalation", to="rita@example.com").first()
    assert "has not submitted" in message.text and f"/candidates/{interview.candidate_id}/debrief/" in message.text


def test_the_escalation_waits_for_the_positions_own_setting(interview):
    position = interview.candidate.position
    position.escalation_hours = 72
    position.save()
    ends = START + timedelta(hours=1)
    assert not [r for r in reminders_due(now=ends + timedelta(hours=71)) if r.kind == "escalation"]
    assert [r for r in reminders_due(now=ends + timedelta(hours=72)) if r.kind == "escalation"]


def test_a_submitted_scorecard_or_a_cancelled_interview_stops_them(interview, people):
    make_scorecard(interview=interview, interviewer=people["olga"], scores=[3, 3, 3])
    assert sent(START + timedelta(hours=2)) == [("first", "ivan", "ivan")]
    interview.cancel(reason="The candidate withdrew")
    assert reminders_due(now=START + timedelta(days=3)) == []


def test_a_worker_down_for_a_night_sends_one_reminder_not_two(interview):
    # No sweep ran until Tuesday 15:00 UTC: the first reminder now; the day's only next morning.
    assert sent(datetime(2026, 12, 15, 15, 0, tzinfo=UTC)) == [("first", "ivan", "ivan"), ("first", "olga", "olga")]


def test_a_manual_reminder_is_sent_at_most_once_an_hour(interview, people):
    now = START + timedelta(hours=3)
    assert reminder_send_now(interview=interview, panelist=people["ivan"], now=now) is not None
    assert reminder_send_now(interview=interview, panelist=people["ivan"], now=now + timedelta(minutes=30)) is None
    assert reminder_send_now(interview=interview, panelist=people["ivan"], now=now + timedelta(hours=1)) is not None
    assert "The recruiter asks for your scorecard" in Message.objects.filter(key__contains="manual").first().text


@pytest.mark.parametrize("extra", [0, 12])
def test_the_sweep_reads_in_a_fixed_number_of_queries(interview, people, extra, django_assert_num_queries):
    position = interview.candidate.position
    for n in range(extra):
        make_interview(candidate=make_candidate(position=position, name=f"Other {n}", email=f"o{n}@example.com"),
                       plan=make_plan(position=position), interviewers=[people["ivan"], people["olga"]],
                       starts_at=START - timedelta(days=1, hours=n), minutes=45)
    with django_assert_num_queries(3):
        due = reminders_due(now=START + timedelta(hours=50))
    assert len(due) >= 2 + 4


def test_the_command_says_what_it_would_send_and_sends_nothing(interview, capsys):
    from django.utils import timezone
    from unittest import mock

    with mock.patch.object(timezone, "now", return_value=START + timedelta(hours=2)):
        call_command("remind_scorecards", "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {"reminders": [
        {"to": "ivan", "interview": interview.pk, "reason": "first", "panelist": "ivan"},
        {"to": "olga", "interview": interview.pk, "reason": "first", "panelist": "olga"},
    ]}
    assert not Message.objects.filter(reason="scorecard_reminder").exists()


@pytest.fixture
def ended(people):
    """An interview that ended two hours ago, both scorecards missing."""
    from django.utils import timezone

    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    candidate = make_candidate(position=position, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=position),
                          interviewers=[people["ivan"], people["olga"]], starts_at=timezone.now() - timedelta(hours=3),
                          minutes=60)


def remind(client, interview, panelist):
    return client.post(f"/candidates/{interview.candidate_id}/remind/",
                       {"interview": interview.pk, "panelist": panelist.pk}, follow=True)


def test_the_recruiter_reminds_a_missing_scorecard_from_the_debrief_once_an_hour(client, ended, people):
    interview = ended
    client.force_login(people["rita"])
    page = client.get(f"/candidates/{interview.candidate_id}/debrief/").content.decode()
    assert page.count(">Remind</button>") == 2
    assert "Reminder sent to ivan." in remind(client, interview, people["ivan"]).content.decode()
    assert "already reminded in the last hour" in remind(client, interview, people["ivan"]).content.decode()
    assert Message.objects.filter(reason="scorecard_reminder", to="ivan@example.com").count() == 1


def test_no_reminder_for_a_scorecard_submitted_meanwhile_or_a_panelist_without_an_address(client, ended, people):
    interview = ended
    client.force_login(people["hm"])
    make_scorecard(interview=interview, interviewer=people["olga"], scores=[3, 3, 3])
    assert "no longer missing" in remind(client, interview, people["olga"]).content.decode()
    assert not Message.objects.filter(reason="scorecard_reminder").exists()
    people["ivan"].email = ""
    people["ivan"].save()
    assert "in the app only" in remind(client, interview, people["ivan"]).content.decode()
    assert not Message.objects.filter(reason="scorecard_reminder").exists()
    assert Notification.objects.get(recipient=people["ivan"], kind="scorecard_reminder").url == \
        f"/interviews/{interview.pk}/scorecard/"


def test_no_reminder_before_the_interview_has_ended(client, people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    candidate = make_candidate(position=position, name="Grace Hopper")
    from django.utils import timezone
    later = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[people["ivan"]],
                           starts_at=timezone.now() + timedelta(days=2), minutes=60)
    client.force_login(people["rita"])
    assert ">Remind</button>" not in client.get(f"/candidates/{candidate.pk}/debrief/").content.decode()
    assert "has not ended yet" in remind(client, later, people["ivan"]).content.decode()
    assert not Message.objects.filter(reason="scorecard_reminder").exists()


def test_an_interviewer_sees_no_remind_button_and_may_not_remind(client, interview, people):
    client.force_login(people["ivan"])
    assert ">Remind</button>" not in client.get(f"/candidates/{interview.candidate_id}/debrief/").content.decode()
    assert client.post(f"/candidates/{interview.candidate_id}/remind/",
                       {"interview": interview.pk, "panelist": people["olga"].pk}).status_code == 403
