"""The team's week, end to end: a recruiter schedules an interview in the browser; a worker
process sends the panelist's invitation to a real SMTP server on loopback, with a calendar
file that parses back; the interviewer does not submit; with the clock driven by the test,
the first reminder, the next morning's at 9:00 in the interviewer's own zone and the
escalation to the recruiter arrive; the interviewer's bell counts them."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import profile_of
from interviews.models import Candidate, Interview
from interviews.selectors import local_times
from scoring.reminders import reminders_send
from tests.factories import make_plan, make_position
from tests.test_two_processes import database_url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_queue")]
ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")


def run_worker(smtp_server):
    """A worker process runs what is queued (sending the recorded mail), then exits."""
    env = {**os.environ, "DATABASE_URL": database_url(), "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp_server.port), "EMAIL_USE_TLS": "0", "EMAIL_USE_SSL": "0"}
    done = subprocess.run([sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def subjects_to(smtp_server, address):
    return [m["Subject"] for m in smtp_server.messages if m["To"] == address]


def test_invitation_reminders_escalation_and_the_bell(open_session, people, smtp_server):
    for name in ("ivan", "rita", "hm"):
        people[name].email = f"{people[name].username}@example.com"
        people[name].save()
    zone = profile_of(people["ivan"])
    zone.time_zone = "Europe/Paris"
    zone.save()
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Senior ML Engineer")
    plan = make_plan(position=position, name="Screen")
    candidate = Candidate.objects.create(position=position, name="Grace Hopper", email="grace@example.com")

    # The recruiter schedules Ivan for tomorrow 09:00 (the recruiter's zone: the server's, UTC).
    rec = open_session("week-1-recruiter")
    rec.login("rita")
    rec.goto(f"/interviews/new/?candidate={candidate.pk}")
    rec.page.get_by_label("Plan").select_option(str(plan.pk))
    start = (datetime.now(ZoneInfo("UTC")) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    rec.page.get_by_label("Starts at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    rec.page.get_by_label("Length (minutes)").fill("60")
    rec.page.locator("input[name=interviewers][data-name=Ivan]").check()
    expect(rec.page.locator("#panel-times li")).to_have_text([f"Ivan: {start.astimezone(PARIS):%H:%M} Europe/Paris"])
    rec.page.get_by_role("button", name="Schedule").click()
    expect(rec.page.get_by_text("Scheduled Grace Hopper")).to_be_visible()
    rec.shot("scheduled")
    interview = Interview.objects.get(candidate=candidate)

    # The worker sends the invitation: Ivan's local time, and a calendar file that parses.
    run_worker(smtp_server)
    (invitation,) = [m for m in smtp_server.messages if m["To"] == "ivan@example.com"]
    assert start.astimezone(PARIS).strftime("%H:%M") in invitation["Subject"]  # 10:00 in winter, 11:00 in summer
    (attachment,) = list(invitation.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event.decoded("DTSTART") == start and event["SEQUENCE"] == 0

    # Ivan does not submit. The clock moves: an hour after the end, the first reminder.
    ends = start + timedelta(hours=1)
    reminders_send(now=ends + timedelta(hours=1))
    run_worker(smtp_server)
    assert [s for s in subjects_to(smtp_server, "ivan@example.com") if s.startswith("Scorecard due")]
    # The next morning at 9:00 in Paris (08:00 UTC), the daily one; not at 8:59.
    nine = datetime.combine(ends.astimezone(PARIS).date() + timedelta(days=1), datetime.min.time(), PARIS).replace(hour=9)
    assert reminders_send(now=nine - timedelta(minutes=1)) == []
    assert [r.kind for r in reminders_send(now=nine)] == ["daily"]
    # Two days after the end, the recruiter and the hiring manager are told (and Ivan has that
    # morning's reminder: the first, and one each morning since).
    reminders_send(now=ends + timedelta(hours=48))
    run_worker(smtp_server)
    assert len([s for s in subjects_to(smtp_server, "ivan@example.com") if s.startswith("Scorecard due")]) == 3
    assert subjects_to(smtp_server, "rita@example.com") == ["Overdue scorecard: Ivan on Grace Hopper"]
    assert subjects_to(smtp_server, "hannah@example.com") == ["Overdue scorecard: Ivan on Grace Hopper"]

    # Ivan's bell: the invitation and three reminders.
    ivan = open_session("week-2-ivan")
    ivan.login("ivan")
    expect(ivan.page.locator("#bell-count")).to_have_text("4")
    ivan.goto("/notifications/")
    expect(ivan.page.get_by_text("Scorecard due: Grace Hopper (Screen)").first).to_be_visible()
    ivan.shot("notifications")
    ivan.page.get_by_role("button", name="Mark all 4 read").click()
    expect(ivan.page.locator("#bell-count")).to_have_count(0)
    assert interview.pk


def test_the_schedule_form_shows_each_panelists_local_time_as_it_is_typed(open_session, people):
    """schedule.js writes the same words as the server (interviews.selectors.local_times), on a
    day the clocks change in one zone and not the other, and across midnight."""
    for name, zone in (("rita", "America/New_York"), ("ivan", "Asia/Tokyo"), ("iris", "Europe/London")):
        profile = profile_of(people[name])
        profile.time_zone = zone
        profile.save()
    new_york = ZoneInfo("America/New_York")
    rec = open_session("week-3-local-times")
    rec.login("rita")
    rec.goto("/interviews/new/")
    times = rec.page.locator("#panel-times li")
    rec.page.get_by_label("Starts at").fill("2027-03-14T09:00")
    expect(rec.page.locator("#panel-times")).to_be_hidden()  # no one chosen yet
    rec.page.locator("input[name=interviewers][data-name=Ivan]").check()
    rec.page.locator("input[name=interviewers][data-name=Iris]").check()
    for typed in ("2027-03-14T09:00", "2027-03-13T21:30", "2027-07-01T17:45"):
        rec.page.get_by_label("Starts at").fill(typed)
        at = datetime.strptime(typed, "%Y-%m-%dT%H:%M").replace(tzinfo=new_york)
        with timezone.override(new_york):  # the reader's zone, as on the page
            expected = [f"{person.first_name}: {when}" for person, when in local_times(at, [people["iris"], people["ivan"]])]
        expect(times).to_have_text(expected)
    assert times.nth(1).inner_text() == "Ivan: 06:45 on Fri 2 Jul Asia/Tokyo"  # 21:45 UTC
    rec.shot("local-times")
    # A time the clocks skip: no list (the server says why when the form is sent).
    rec.page.get_by_label("Starts at").fill("2027-03-14T02:30")
    expect(rec.page.locator("#panel-times")).to_be_hidden()
    rec.page.locator("input[name=interviewers][data-name=Iris]").uncheck()
    rec.page.get_by_label("Starts at").fill("2027-03-14T10:00")
    expect(times).to_have_text(["Ivan: 23:00 Asia/Tokyo"])
