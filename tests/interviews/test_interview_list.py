"""The list of interviews at /interviews/: every interview the user may see, filtered by
position, status, interviewer and dates, paginated, with a constant number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


def interview(position, panel, *, days=0, minutes=0, name=None, plan=None):
    starts = timezone.now() + timedelta(days=days, minutes=minutes)
    return make_interview(candidate=make_candidate(position=position, name=name), interviewers=panel, plan=plan or make_plan(position=position),
                          starts_at=starts, minutes=60)


def names(response):
    return [i.candidate.name for i in response.context["interviews"]]


# --- Access ---------------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client):
    assert client.get("/interviews/")["Location"].startswith("/login/?next=")


def test_it_refuses_a_user_with_no_role(as_user, outsider):
    assert as_user(outsider).get("/interviews/").status_code == 403


def test_each_role_sees_only_the_interviews_it_may_see(as_user, recruiter, hiring_manager, interviewer, interviewer2,
                                                       admin_user, position, plan, other_position):
    interview(position, [interviewer], days=1, name="Mine Ada", plan=plan)
    interview(position, [interviewer2], days=2, name="Mine Bo", plan=plan)
    interview(other_position, [make_user("int9", Role.INTERVIEWER)], days=1, name="Hidden Person")
    for user, expected in [(recruiter, {"Mine Ada", "Mine Bo"}), (hiring_manager, {"Mine Ada", "Mine Bo"}),
                           (interviewer, {"Mine Ada"}), (admin_user, {"Mine Ada", "Mine Bo", "Hidden Person"})]:
        response = as_user(user).get("/interviews/")
        assert response.status_code == 200
        assert set(names(response)) == expected, user
        if "Hidden Person" not in expected:
            assert "Hidden Person" not in response.content.decode()


def test_the_navbar_links_it_for_every_role_that_may_see_interviews(as_user, recruiter, hiring_manager, interviewer,
                                                                    admin_user, outsider):
    for user in (recruiter, hiring_manager, interviewer, admin_user):
        assert 'href="/interviews/">Interviews</a>' in as_user(user).get("/").content.decode()
    assert 'href="/interviews/"' not in as_user(outsider).get("/").content.decode()


# --- Filters --------------------------------------------------------------------------------


def test_it_filters_by_position(as_user, recruiter, hiring_manager, interviewer, position, plan):
    second = make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Data Scientist, Growth")
    interview(position, [interviewer], days=1, name="Ranking Person", plan=plan)
    interview(second, [interviewer], days=2, name="Growth Person")
    response = as_user(recruiter).get(f"/interviews/?position={second.pk}")
    assert names(response) == ["Growth Person"]
    assert "1 interview matches the filters" in response.content.decode()


def test_it_filters_by_status(as_user, recruiter, interviewer, interviewer2, position, plan):
    interview(position, [interviewer], days=2, name="Later One", plan=plan)
    interview(position, [interviewer], days=1, name="Sooner One", plan=plan)
    interview(position, [interviewer], minutes=-20, name="Running One", plan=plan)
    held = interview(position, [interviewer, interviewer2], days=-1, name="Held One", plan=plan)
    make_scorecard(interview=held, interviewer=interviewer, submit=True)
    done = interview(position, [interviewer], days=-2, name="Done One", plan=plan)
    make_scorecard(interview=done, interviewer=interviewer, submit=True)
    called_off = interview(position, [interviewer], days=3, name="Off One", plan=plan)
    called_off.status = "cancelled"
    called_off.save()
    client = as_user(recruiter)
    assert names(client.get("/interviews/?stage=upcoming")) == ["Sooner One", "Later One"]  # soonest first
    assert names(client.get("/interviews/?stage=in_progress")) == ["Running One"]
    assert names(client.get("/interviews/?stage=held")) == ["Held One"]
    assert names(client.get("/interviews/?stage=completed")) == ["Done One"]
    assert names(client.get("/interviews/?stage=cancelled")) == ["Off One"]
    everything = client.get("/interviews/")
    assert names(everything) == ["Off One", "Later One", "Sooner One", "Running One", "Held One", "Done One"]
    html = everything.content.decode()
    for label in ("Upcoming", "In progress", "Held", "Completed", "Cancelled"):
        assert f">{label}</span>" in html


def test_it_filters_by_interviewer(as_user, recruiter, interviewer, interviewer2, position, plan):
    interview(position, [interviewer], days=1, name="First Panel", plan=plan)
    interview(position, [interviewer, interviewer2], days=2, name="Both Panel", plan=plan)
    response = as_user(recruiter).get(f"/interviews/?interviewer={interviewer2.pk}")
    assert names(response) == ["Both Panel"]


def test_it_filters_by_a_range_of_days_both_ends_included(as_user, recruiter, interviewer, position, plan):
    for days, name in [(1, "Day One"), (3, "Day Three"), (5, "Day Five")]:
        interview(position, [interviewer], days=days, name=name, plan=plan)
    first = (timezone.localtime() + timedelta(days=1)).date()
    third = first + timedelta(days=2)
    client = as_user(recruiter)
    assert names(client.get(f"/interviews/?date_from={first}&date_to={third}")) == ["Day Three", "Day One"]
    assert names(client.get(f"/interviews/?date_from={third}")) == ["Day Five", "Day Three"]
    assert names(client.get(f"/interviews/?date_to={first}")) == ["Day One"]


@pytest.mark.parametrize("query, message", [
    ("position=abc", "That position is not one of yours; showing every position."),
    ("stage=bogus", "Choose a status from the list; showing every status."),
    ("interviewer=99999", "No such interviewer; showing everyone."),
    ("date_from=2026-13-45", "Give a date like 2026-12-31; this one is left out."),
    ("date_from=2030-05-02&date_to=2030-05-01", "“To” is before “From”; showing from “From” on."),
])
def test_it_names_a_filter_that_does_not_fit_and_leaves_it_out(as_user, recruiter, interviewer, position, plan,
                                                               query, message):
    interview(position, [interviewer], days=1, name="Still Listed", plan=plan)
    response = as_user(recruiter).get(f"/interviews/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    if "2030" not in query:
        assert names(response) == ["Still Listed"]


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=9999-12-31", "date_from=0001-01-01",
                                   "date_to=0001-01-01", "date_from=1999-12-31", "date_to=2100-01-01"])
def test_it_names_a_date_outside_the_years_2000_to_2099_and_leaves_it_out(settings, as_user, recruiter, interviewer,
                                                                          position, plan, query):
    settings.TIME_ZONE = "Asia/Tokyo"  # east of UTC: midnight of year 1 is year 0 in UTC
    interview(position, [interviewer], days=1, name="Still Listed", plan=plan)
    response = as_user(recruiter).get(f"/interviews/?{query}")
    assert response.status_code == 200
    assert "Give a date in the years 2000 to 2099; this one is left out." in response.content.decode()
    assert names(response) == ["Still Listed"]


def test_it_filters_on_the_first_and_last_days_of_the_years_2000_to_2099(as_user, recruiter, interviewer, position, plan):
    interview(position, [interviewer], days=1, name="Still Listed", plan=plan)
    response = as_user(recruiter).get("/interviews/?date_from=2000-01-01&date_to=2099-12-31")
    assert "this one is left out" not in response.content.decode()
    assert names(response) == ["Still Listed"]


def test_it_does_not_let_a_filter_reach_another_recruiters_position(as_user, recruiter, interviewer, position, plan,
                                                                     other_position):
    interview(other_position, [interviewer], days=1, name="Hidden Person")
    response = as_user(recruiter).get(f"/interviews/?position={other_position.pk}")
    assert "That position is not one of yours" in response.content.decode()
    assert "Hidden Person" not in response.content.decode()


# --- Pages and empty states -------------------------------------------------------------------


def test_it_pages_twenty_five_at_a_time_and_keeps_the_filters(as_user, recruiter, interviewer, position, plan):
    for day in range(27):
        interview(position, [interviewer], days=day + 1, plan=plan)
    client = as_user(recruiter)
    first = client.get("/interviews/?stage=upcoming")
    assert len(first.context["interviews"]) == 25
    assert "?stage=upcoming&amp;page=2" in first.content.decode()
    assert len(client.get("/interviews/?stage=upcoming&page=2").context["interviews"]) == 2


def test_it_says_when_there_are_no_interviews_yet(as_user, recruiter):
    html = as_user(recruiter).get("/interviews/").content.decode()
    assert "No interviews yet." in html and "Schedule the first one" in html


def test_it_says_when_no_interview_matches(as_user, recruiter, interviewer, position, plan):
    interview(position, [interviewer], days=1, plan=plan)
    html = as_user(recruiter).get("/interviews/?stage=completed").content.decode()
    assert "No interviews match these filters." in html and "Clear the filters" in html


# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1); the chosen interviewer, checked (1); the page
# count (1); the page of interviews with stage, candidate and position (1); their
# interviewers (1); their scorecards (1); the position and interviewer filters'
# options (2).
LIST_QUERIES = 11


@pytest.mark.parametrize("n", [2, 30])
def test_the_list_query_count_does_not_grow_with_interviews(as_user, recruiter, interviewer, interviewer2, position,
                                                            plan, django_assert_num_queries, n):
    for i in range(n):
        made = interview(position, [interviewer, interviewer2], days=i - n // 2, plan=plan)
        make_scorecard(interview=made, interviewer=interviewer, submit=i % 2 == 0)
    client = as_user(recruiter)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/interviews/?interviewer={interviewer.pk}")
    assert len(response.context["interviews"]) == min(n, 25)
