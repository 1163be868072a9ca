"""The bell and the notifications page: scheduling, decisions and complete debriefs notify the
people concerned, in the app and by e-mail as each chose; opening one marks it read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from mail.models import Message
from notifications.models import Notification, Preference
from scoring.reminders import reminders_send
from scoring.services import decision_record
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "ivan": make_user("ivan", Role.INTERVIEWER, email="ivan@example.com"),
        "nomail": make_user("nomail", Role.INTERVIEWER),
        "hm": make_user("hm", Role.HIRING_MANAGER, email="hm@example.com"),
        "rita": make_user("rita", Role.RECRUITER),
    }


def schedule(people, **kwargs):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    candidate = make_candidate(position=position, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=position),
                          interviewers=[people["ivan"], people["nomail"]], **kwargs)


def test_scheduling_notifies_the_panel_in_the_app_and_by_mail_when_it_has_an_address(people):
    interview = schedule(people)
    assert set(Notification.objects.values_list("recipient__username", "kind", "url")) == {
        ("ivan", "invitation", f"/interviews/{interview.pk}/"), ("nomail", "invitation", f"/interviews/{interview.pk}/")}
    assert list(Message.objects.values_list("to", flat=True)) == ["ivan@example.com"]


def test_the_bell_counts_the_unread_and_the_page_marks_them_read(client, people):
    interview = schedule(people)
    client.force_login(people["ivan"])
    home = client.get("/").content.decode()
    assert '<span class="badge text-bg-danger" id="bell-count">1</span>' in home
    page = client.get("/notifications/").content.decode()
    assert "interview with Ada Lovelace" in page and ">New<" in page
    notification = Notification.objects.get(recipient=people["ivan"])
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/interviews/{interview.pk}/"
    assert 'id="bell-count"' not in client.get("/").content.decode()


def test_mark_all_read_and_someone_elses_notification_is_not_found(client, people):
    schedule(people)
    theirs = Notification.objects.get(recipient=people["nomail"])
    client.force_login(people["ivan"])
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert "Marked 1 notification read." in client.post("/notifications/read/", follow=True).content.decode()
    assert not Notification.objects.filter(recipient=people["ivan"], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_each_kind_reaches_a_person_as_they_chose(client, people):
    client.force_login(people["ivan"])
    form = {"invitation": "in_app", "scorecard_reminder": "off", "scorecard_escalation": "email",
            "debrief_ready": "email", "decision": "email", "digest": "email"}
    assert client.post("/notifications/preferences/", form).status_code == 302
    assert Preference.objects.get(user=people["ivan"], kind="invitation").delivery == "in_app"
    interview = schedule(people, starts_at=timezone.now() - timedelta(hours=3), minutes=60)
    assert Notification.objects.filter(recipient=people["ivan"], kind="invitation").exists()
    assert not Message.objects.filter(to="ivan@example.com").exists()  # in the app only
    reminders_send(now=timezone.now())
    assert not Notification.objects.filter(recipient=people["ivan"], kind="scorecard_reminder").exists()  # off
    assert Notification.objects.filter(recipient=people["nomail"], kind="scorecard_reminder").exists()
    assert interview.pk


def test_a_preferences_form_with_a_missing_or_unknown_choice_saves_nothing(client, people):
    client.force_login(people["ivan"])
    response = client.post("/notifications/preferences/", {"invitation": "carrier-pigeon"})
    assert response.status_code == 400 and "nothing has been saved yet" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_decision_tells_the_panel(people):
    interview = schedule(people)
    decision_record(candidate=interview.candidate, decision="hire", rationale="Strong on every competency",
                    by=people["hm"])
    told = Notification.objects.filter(kind="decision")
    assert set(told.values_list("recipient__username", flat=True)) == {"ivan", "nomail"}
    assert told.first().text == "Decision on Ada Lovelace: Hire"
    message = Message.objects.get(reason="decision")
    assert message.to == "ivan@example.com" and "Strong on every competency" in message.text


def test_the_hiring_manager_hears_once_that_every_scorecard_is_in(people):
    interview = schedule(people, starts_at=timezone.now() - timedelta(hours=2), minutes=60)
    make_scorecard(interview=interview, interviewer=people["ivan"], scores=[3, 3, 3])
    reminders_send(now=timezone.now())
    assert not Notification.objects.filter(kind="debrief_ready").exists()  # one still missing
    make_scorecard(interview=interview, interviewer=people["nomail"], scores=[2, 3, 4])
    reminders_send(now=timezone.now())
    reminders_send(now=timezone.now())
    ready = Notification.objects.get(kind="debrief_ready")
    assert ready.recipient == people["hm"] and ready.url == f"/candidates/{interview.candidate_id}/debrief/"
    assert Message.objects.filter(reason="debrief_ready", to="hm@example.com").count() == 1
