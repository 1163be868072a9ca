"""Weekly interview limits (accounts/limits.py) and interview load (interviews/load.py): whose
limit applies, what counts in a week, the warnings scheduling gives, the panel load page and
the People pages that set the limits."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given, settings, strategies as st
from hypothesis.extra.django import TestCase

from accounts.limits import DEFAULT_WEEKLY_LIMITS, person_set_weekly_limit, role_weekly_limits_set, weekly_limits
from accounts.models import AuditEvent, Profile, RoleInterviewLimit
from accounts.roles import GROUP_NAMES, Role, assign_role
from interviews.load import load_table, load_warnings, week_start, weekly_counts
from interviews.models import InterviewStatus
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
MONDAY = datetime.date(2031, 3, 3)  # a Monday, far enough ahead to hold no other interview


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZONE)


def schedule(position, panel, when, plan=None):
    return make_interview(candidate=make_candidate(position=position), interviewers=panel, plan=plan, starts_at=when)


# --- Whose limit ---------------------------------------------------------------------------

def test_a_person_gets_their_roles_largest_limit_and_their_own_comes_first(interviewer, hiring_manager, admin_user):
    assign_role(hiring_manager, Role.INTERVIEWER)
    limits = weekly_limits([interviewer.pk, hiring_manager.pk, admin_user.pk])
    assert limits == {interviewer.pk: 5, hiring_manager.pk: 5, admin_user.pk: 5}  # admin: the interviewer's
    person_set_weekly_limit(by=admin_user, user=hiring_manager, limit=2)
    role_weekly_limits_set(by=admin_user, limits={"interviewer": 7, "hiring_manager": 4, "recruiter": 3})
    assert weekly_limits([interviewer.pk, hiring_manager.pk]) == {interviewer.pk: 7, hiring_manager.pk: 2}


def test_limits_are_read_in_three_queries_whatever_the_number_of_people(django_assert_num_queries):
    people = [make_user(f"p{n}", Role.INTERVIEWER) for n in range(12)]
    for person in people[:6]:
        Profile.objects.update_or_create(user=person, defaults={"weekly_interview_limit": 3})
    with django_assert_num_queries(3):
        limits = weekly_limits([p.pk for p in people])
    assert sorted(limits.values()) == [3] * 6 + [5] * 6


def test_setting_a_role_back_to_the_built_in_figure_removes_its_row_and_both_are_audited(admin_user):
    assert role_weekly_limits_set(by=admin_user, limits={"interviewer": 8, "hiring_manager": 4, "recruiter": 3}) == ["interviewer"]
    assert RoleInterviewLimit.objects.get().weekly_limit == 8
    assert role_weekly_limits_set(by=admin_user, limits={"interviewer": 5, "hiring_manager": 4, "recruiter": 3}) == ["interviewer"]
    assert not RoleInterviewLimit.objects.exists()
    assert list(AuditEvent.objects.filter(action="people.interview_limits_changed").order_by("pk").values_list("detail", flat=True)) == [
        {"limits": {"interviewer": 8}}, {"limits": {"interviewer": 5}}]


def test_the_database_refuses_limits_out_of_range(interviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.update_or_create(user=interviewer, defaults={"weekly_interview_limit": 0})
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleInterviewLimit.objects.create(group=Group.objects.get(name=GROUP_NAMES[Role.RECRUITER]), weekly_limit=41)


# --- What counts in a week -----------------------------------------------------------------

def test_a_week_runs_monday_to_sunday_in_the_site_zone_and_cancelled_interviews_do_not_count(position, interviewer):
    schedule(position, [interviewer], at(MONDAY, 0))  # Monday just after midnight
    schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=6), 23))  # Sunday late
    cancelled = schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=2)))
    cancelled.cancel(reason="Candidate withdrew")
    schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=7), 0))  # next Monday
    counts = weekly_counts(user_ids=[interviewer.pk], first_monday=MONDAY, weeks=2)
    assert counts == {(interviewer.pk, MONDAY): 2, (interviewer.pk, MONDAY + datetime.timedelta(weeks=1)): 1}
    assert Interview_status(cancelled) == InterviewStatus.CANCELLED


def Interview_status(interview):
    interview.refresh_from_db()
    return interview.status


class WeekStart(TestCase):
    @given(st.dates(min_value=datetime.date(2001, 1, 1), max_value=datetime.date(2098, 12, 1)))
    @settings(max_examples=200)
    def test_the_week_start_is_the_monday_on_or_before_the_day(self, day):
        monday = week_start(day)
        assert monday.weekday() == 0 and 0 <= (day - monday).days <= 6


# --- Scheduling's warnings -----------------------------------------------------------------

def test_it_warns_only_for_the_panelists_the_interview_would_put_over_their_limit(position, interviewer, interviewer2,
                                                                                   admin_user):
    interviewer.first_name, interviewer.last_name = "Ivan", "Petrov"
    interviewer.save()
    person_set_weekly_limit(by=admin_user, user=interviewer, limit=2)
    for day in (1, 2):
        schedule(position, [interviewer, interviewer2], at(MONDAY + datetime.timedelta(days=day)))
    when = at(MONDAY + datetime.timedelta(days=4))
    assert load_warnings(interviewers=[interviewer, interviewer2], starts_at=when) == [
        "Ivan Petrov would sit on 3 interviews in the week of 3 Mar (their limit is 2 a week)."]
    # The next week is empty, and five is the interviewer's default: no warning there.
    assert load_warnings(interviewers=[interviewer, interviewer2], starts_at=when + datetime.timedelta(weeks=1)) == []


def test_moving_an_interview_within_its_week_does_not_count_it_twice(position, interviewer, admin_user):
    person_set_weekly_limit(by=admin_user, user=interviewer, limit=2)
    schedule(position, [interviewer], at(MONDAY))
    second = schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=1)))
    assert load_warnings(interviewers=[interviewer], starts_at=at(MONDAY + datetime.timedelta(days=3)), interview=second) == []
    assert len(load_warnings(interviewers=[interviewer], starts_at=at(MONDAY + datetime.timedelta(days=3)))) == 1


def test_the_warnings_take_four_queries_whatever_the_panel(position, django_assert_num_queries):
    panel = [make_user(f"w{n}", Role.INTERVIEWER) for n in range(6)]
    schedule(position, panel, at(MONDAY))
    with django_assert_num_queries(4):
        assert load_warnings(interviewers=panel, starts_at=at(MONDAY)) == []


# --- The panel load page -------------------------------------------------------------------

def test_the_load_page_shows_each_interviewer_per_week_against_their_limit(as_user, recruiter, position, interviewer,
                                                                           interviewer2, admin_user):
    person_set_weekly_limit(by=admin_user, user=interviewer, limit=1)
    for day in (0, 1):
        schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=day)))
    schedule(position, [interviewer2], at(MONDAY + datetime.timedelta(weeks=1)))
    response = as_user(recruiter).get("/interviews/load/", {"week": (MONDAY + datetime.timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    mondays, rows = response.context["mondays"], response.context["rows"]
    assert mondays[0] == MONDAY and len(mondays) == 6
    assert [(row.person, row.limit, [c.count for c in row.cells][:2]) for row in rows] == [
        (interviewer, 1, [2, 0]), (interviewer2, 5, [0, 1])]
    assert rows[0].cells[0].state == "over"
    html = response.content.decode()
    assert "1 week below is over someone" in html and "(over the limit)" in html
    assert '<th scope="col" class="text-end text-nowrap">3 Mar</th>' in html


def test_the_load_page_refuses_a_week_it_cannot_read_with_a_message(as_user, hiring_manager, position):
    client = as_user(hiring_manager)
    for bad in ("soon", "2031-02-30", "1066-10-14", "9" * 400):
        response = client.get("/interviews/load/", {"week": bad})
        assert response.status_code == 200
        assert "not a date Panelist reads" in response.content.decode()
        assert response.context["mondays"][0] == week_start(timezone.localdate())


def test_the_load_page_queries_do_not_grow_with_people_or_interviews(as_user, recruiter, position,
                                                                      django_assert_max_num_queries):
    client = as_user(recruiter)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/interviews/load/", {"week": MONDAY.isoformat()}).status_code == 200
        return len(seen)

    plan = make_plan(position=position)
    schedule(position, [make_user("a0", Role.INTERVIEWER)], at(MONDAY), plan=plan)
    few = queries()
    for n in range(1, 8):
        schedule(position, [make_user(f"a{n}", Role.INTERVIEWER), make_user(f"b{n}")], at(MONDAY + datetime.timedelta(days=n % 7)), plan=plan)
    assert queries() == few


# --- The People pages ------------------------------------------------------------------------

def test_an_admin_sets_the_roles_limits_and_bad_figures_are_named(as_user, admin_user):
    client = as_user(admin_user)
    page = client.get("/people/interview-limits/")
    assert page.status_code == 200 and 'value="5"' in page.content.decode()
    response = client.post("/people/interview-limits/", {"interviewer": "0", "hiring_manager": "many", "recruiter": "3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A weekly limit is 1 to 40 interviews." in html and "Enter a whole number of interviews" in html
    assert 'value="many"' in html  # what was typed stays
    assert not RoleInterviewLimit.objects.exists()
    response = client.post("/people/interview-limits/", {"interviewer": "6", "hiring_manager": "4", "recruiter": "3"}, follow=True)
    assert "Saved." in response.content.decode()
    assert RoleInterviewLimit.objects.get().weekly_limit == 6


def test_an_admin_sets_and_clears_one_persons_limit(as_user, admin_user, interviewer):
    client = as_user(admin_user)
    response = client.post(f"/people/{interviewer.pk}/weekly-limit/", {"weekly_limit": "41"})
    assert response.status_code == 400 and "A weekly limit is 1 to 40 interviews." in response.content.decode()
    response = client.post(f"/people/{interviewer.pk}/weekly-limit/", {"weekly_limit": "3"}, follow=True)
    assert "may now sit on 3 interviews a week" in response.content.decode()
    assert "their own limit" in response.content.decode()
    response = client.post(f"/people/{interviewer.pk}/weekly-limit/", {"weekly_limit": ""}, follow=True)
    assert f"weekly limit ({DEFAULT_WEEKLY_LIMITS[Role.INTERVIEWER]} interviews)" in response.content.decode()
    assert Profile.objects.get(user=interviewer).weekly_interview_limit is None
    assert AuditEvent.objects.filter(action="people.interview_limit_changed", target=f"user {interviewer.pk}").count() == 2


def test_people_without_the_people_permission_cannot_set_limits(as_user, hiring_manager, interviewer):
    client = as_user(hiring_manager)
    assert client.post("/people/interview-limits/", {"interviewer": "9", "hiring_manager": "4", "recruiter": "3"}).status_code == 403
    assert client.post(f"/people/{interviewer.pk}/weekly-limit/", {"weekly_limit": "9"}).status_code == 403
    assert not RoleInterviewLimit.objects.exists() and not Profile.objects.filter(weekly_interview_limit=9).exists()


def test_the_demo_puts_ivan_past_his_limit_next_week_once():
    from django.core.management import call_command

    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores", "seed_demo_scores"):
        call_command(command, verbosity=0)
    next_monday = week_start(timezone.localdate()) + datetime.timedelta(weeks=1)
    mondays, rows = load_table(first_monday=next_monday)
    ivan = next(row for row in rows if row.person.username == "ivan")
    # Three design rounds with Ivan (and other demo interviews of that week, the pools' among them).
    assert ivan.limit == 2 and ivan.cells[0].count >= 3 and ivan.cells[0].state == "over"
    assert rows[0] == ivan  # furthest past the limit first (Iris, as busy, has room: her limit is 5)


def test_the_weeks_count_the_same_whatever_zone_the_viewer_reads_in(position, interviewer):
    # A recruiter in Tokyo (the active zone) once saw every week empty: the week's date was
    # read in their zone, the Sunday before the site's Monday.
    import zoneinfo

    schedule(position, [interviewer], at(MONDAY + datetime.timedelta(days=2)))
    for name in ("Asia/Tokyo", "America/Los_Angeles", "UTC"):
        with timezone.override(zoneinfo.ZoneInfo(name)):
            assert weekly_counts(user_ids=[interviewer.pk], first_monday=MONDAY, weeks=1) == {(interviewer.pk, MONDAY): 1}
            assert len(load_warnings(interviewers=[interviewer], starts_at=at(MONDAY), interview=None)) == 0
