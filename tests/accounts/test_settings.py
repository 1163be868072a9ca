"""The settings page (time zone, calendar feed address and its renewal) and the time zone
every page then shows and reads times in."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.middleware import TIME_ZONE_KEY
from accounts.models import Profile, profile_of
from interviews.models import Interview
from tests.conftest import PASSWORD
from tests.factories import make_candidate, make_interview

pytestmark = pytest.mark.django_db


def _zone(user, name):
    """Set ``user``'s time zone (their profile may exist already: scheduling reads it)."""
    profile = profile_of(user)
    profile.time_zone = name
    profile.save()
    return profile

URL = "/account/settings/"


def test_it_shows_the_zone_and_the_absolute_feed_address(settings, as_user, interviewer):
    settings.PANELIST_BASE_URL = "https://panelist.example.com"
    page = as_user(interviewer).get(URL)
    assert page.status_code == 200
    token = profile_of(interviewer).calendar_token
    html = page.content.decode()
    assert f'value="https://panelist.example.com/calendar/{token}.ics"' in html
    assert 'value="UTC"' in html and "Google Calendar" in html and "Outlook" in html
    assert '<option value="Europe/Paris">' in html


def test_the_user_menu_links_to_it(as_user, interviewer):
    assert f'href="{reverse("account_settings")}"' in as_user(interviewer).get("/").content.decode()


def test_it_saves_a_zone_and_the_next_pages_use_it(as_user, interviewer):
    client = as_user(interviewer)
    response = client.post(URL, {"time_zone": "Europe/Paris"}, follow=True)
    assert Profile.objects.get(user=interviewer).time_zone == "Europe/Paris"
    assert client.session[TIME_ZONE_KEY] == "Europe/Paris"
    assert "Times are now shown in Europe/Paris." in response.content.decode()


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "europe/paris", "x" * 65, ""])
def test_it_refuses_an_unknown_zone_with_a_message_and_keeps_what_was_typed(as_user, interviewer, typed):
    response = as_user(interviewer).post(URL, {"time_zone": typed})
    assert response.status_code == 400
    [error] = response.context["form"].errors["time_zone"]
    assert "Europe/Paris" in error
    if typed:
        assert f'value="{typed}"' in response.content.decode()
    assert Profile.objects.get(user=interviewer).time_zone == "UTC"


def test_a_new_link_ends_the_old_address(client, as_user, interviewer):
    old = profile_of(interviewer).calendar_token
    user_client = as_user(interviewer)
    response = user_client.post(reverse("account_new_calendar_link"), follow=True)
    new = Profile.objects.get(user=interviewer).calendar_token
    assert new != old
    assert "no longer works" in response.content.decode()
    assert f"/calendar/{new}.ics" in response.content.decode()
    user_client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_new_link_is_post_only(as_user, interviewer):
    assert as_user(interviewer).get(reverse("account_new_calendar_link")).status_code == 405


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    assert client.post(reverse("account_new_calendar_link"))["Location"].startswith(reverse("login"))


# --- The zone on pages ------------------------------------------------------------------


@pytest.fixture
def paris_interview(position, recruiter, interviewer):
    return make_interview(candidate=make_candidate(position=position), interviewers=[interviewer], by=recruiter,
                          starts_at=datetime(2031, 7, 1, 8, 0, tzinfo=UTC))


def sign_in(client, user):
    """A real sign-in (the form), so the sign-in receivers run as they do for a person."""
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


def test_sign_in_keeps_the_profiles_zone_in_the_session(client, interviewer):
    _zone(interviewer, "Europe/Paris")
    sign_in(client, interviewer)
    assert client.session[TIME_ZONE_KEY] == "Europe/Paris"


def test_a_person_without_a_profile_sees_the_servers_zone(settings, client, interviewer, paris_interview):
    settings.TIME_ZONE = "America/New_York"
    sign_in(client, interviewer)
    assert TIME_ZONE_KEY not in client.session
    page = client.get(paris_interview.get_absolute_url()).content.decode()
    assert "04:45 (America/New_York)" in page  # 08:00 UTC + 45 minutes, 4 hours behind


def test_a_page_shows_times_in_the_persons_zone(client, interviewer, paris_interview):
    _zone(interviewer, "Europe/Paris")
    sign_in(client, interviewer)
    page = client.get(paris_interview.get_absolute_url()).content.decode()
    assert "10:45 (Europe/Paris)" in page  # 08:00 UTC is 10:00 in Paris in summer


def test_the_schedule_form_reads_and_shows_times_in_the_persons_zone(client, recruiter, interviewer, paris_interview):
    _zone(recruiter, "Europe/Paris")
    sign_in(client, recruiter)
    edit = reverse("interviews:interview_edit", args=[paris_interview.pk])
    page = client.get(edit).content.decode()
    assert 'value="2031-07-01T10:00"' in page and "Times in Europe/Paris." in page
    response = client.post(edit, {"starts_at": "2031-07-01T11:30", "duration_minutes": "45",
                                  "interviewers": [interviewer.pk]})
    assert response.status_code == 302
    moved = Interview.objects.get(pk=paris_interview.pk)
    assert moved.starts_at == datetime(2031, 7, 1, 11, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert 'value="2031-07-01T11:30"' in client.get(edit).content.decode()


def test_a_zone_the_server_no_longer_knows_falls_back_to_the_servers(client, as_user, interviewer, paris_interview):
    client = as_user(interviewer)
    session = client.session
    session[TIME_ZONE_KEY] = "Nowhere/Gone"
    session.save()
    page = client.get(paris_interview.get_absolute_url())
    assert page.status_code == 200 and "08:45 (UTC)" in page.content.decode()


def test_the_interview_page_shows_each_panelists_local_time(client, recruiter, interviewer, interviewer2, paris_interview):
    interviewer.first_name = "Ivan"
    interviewer.save()
    _zone(recruiter, "America/New_York")
    _zone(interviewer, "Europe/Paris")
    paris_interview.interviewers.add(interviewer2)  # no profile: the server's zone (UTC)
    sign_in(client, recruiter)
    page = client.get(paris_interview.get_absolute_url()).content.decode()
    assert "04:45 (America/New_York)" in page
    assert "Ivan: 10:00 Europe/Paris" in page
    assert "int2: 08:00 UTC" in page


def test_a_panelist_on_another_day_has_the_day_said(client, recruiter, interviewer, paris_interview):
    _zone(interviewer, "Pacific/Kiritimati")  # UTC+14: 22:00 the same day
    _zone(recruiter, "Pacific/Pago_Pago")  # UTC-11: 21:00 the day before
    sign_in(client, recruiter)
    page = client.get(paris_interview.get_absolute_url()).content.decode()
    assert "22:00 on Tue 1 Jul Pacific/Kiritimati" in page
