"""Scheduling: a new interview, the interview's page, rescheduling and cancelling."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import profile_of
from interviews.models import Interview
from accounts.roles import Role
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard, published_slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(position):
    return make_candidate(position=position, name="Priya Raman")


@pytest.fixture
def plan(position):
    return make_plan(position=position, sections=[("Fundamentals", published_slugs(3))], name="Ranking onsite", slot=60)


@pytest.fixture
def interview(candidate, plan, interviewer, recruiter):
    return make_interview(candidate=candidate, interviewers=[interviewer], plan=plan, by=recruiter,
                          starts_at=timezone.now() + timedelta(days=1))


@pytest.fixture
def other_interview(db):
    """An interview of someone else's position, with someone else's panel."""
    position = make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER), recruiter=make_user("rec2", Role.RECRUITER))
    return make_interview(candidate=make_candidate(position=position, name="Hidden Person"), interviewers=[make_user("int9", Role.INTERVIEWER)])


def later(days=2, hour=14):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=30, second=0, microsecond=0)


def schedule_data(candidate, plan, interviewers, starts=None, **overrides):
    starts = starts or later()
    data = {"candidate": candidate.pk, "plan": plan.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60", "interviewers": [u.pk for u in interviewers]}
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login_and_changes_nothing(client, interview):
    for url in ["/interviews/new/", f"/interviews/{interview.pk}/", f"/interviews/{interview.pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    assert client.post(f"/interviews/{interview.pk}/cancel/", {"reason": "x"}).status_code == 302
    interview.refresh_from_db()
    assert interview.status == "scheduled"


@pytest.mark.parametrize("role", ["outsider", "interviewer", "hiring_manager"])
def test_it_refuses_scheduling_to_other_roles(request, as_user, role, interview, candidate, plan, interviewer):
    client = as_user(request.getfixturevalue(role))
    assert client.get("/interviews/new/").status_code == 403
    assert client.post("/interviews/new/", schedule_data(candidate, plan, [interviewer])).status_code == 403
    assert client.get(f"/interviews/{interview.pk}/edit/").status_code == 403
    assert client.post(f"/interviews/{interview.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert Interview.objects.count() == 1
    interview.refresh_from_db()
    assert interview.status == "scheduled"


def test_it_refuses_the_interview_page_to_a_user_with_no_role(as_user, outsider, interview):
    assert as_user(outsider).get(f"/interviews/{interview.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["interviewer", "hiring_manager", "recruiter", "admin_user"])
def test_it_shows_the_interview_to_people_involved(request, as_user, role, interview):
    assert as_user(request.getfixturevalue(role)).get(f"/interviews/{interview.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["interviewer", "interviewer2", "hiring_manager", "recruiter"])
def test_it_hides_interviews_the_user_is_not_involved_in(request, as_user, role, other_interview):
    assert as_user(request.getfixturevalue(role)).get(f"/interviews/{other_interview.pk}/").status_code == 404


def test_it_answers_404_to_changes_of_someone_elses_interview_and_changes_nothing(as_user, recruiter, other_interview, interviewer):
    client = as_user(recruiter)
    assert client.get(f"/interviews/{other_interview.pk}/edit/").status_code == 404
    starts = other_interview.starts_at
    data = {"starts_at": later(5).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30, "interviewers": [interviewer.pk]}
    assert client.post(f"/interviews/{other_interview.pk}/edit/", data).status_code == 404
    assert client.post(f"/interviews/{other_interview.pk}/cancel/", {"reason": "mine now"}).status_code == 404
    other_interview.refresh_from_db()
    assert (other_interview.status, other_interview.starts_at) == ("scheduled", starts)


def test_it_answers_get_on_cancel_with_405(as_user, recruiter, interview):
    assert as_user(recruiter).get(f"/interviews/{interview.pk}/cancel/").status_code == 405


# --- Schedule ---------------------------------------------------------------------------


def test_it_preselects_the_candidate_given_in_the_query_string(as_user, recruiter, candidate, other_interview):
    client = as_user(recruiter)
    assert client.get(f"/interviews/new/?candidate={candidate.pk}").context["form"].initial["candidate"] == candidate.pk
    hidden = other_interview.candidate_id
    assert "candidate" not in client.get(f"/interviews/new/?candidate={hidden}").context["form"].initial


def test_it_offers_visible_candidates_the_positions_plans_and_templates_and_interviewers(
    as_user, recruiter, candidate, plan, interviewer, interviewer2, hiring_manager, other_interview
):
    template = make_plan(position=None, name="Generic screen")
    foreign = make_plan(position=other_interview.candidate.position, name="Someone else's plan")
    form = as_user(recruiter).get("/interviews/new/").context["form"]
    assert list(form.fields["candidate"].queryset) == [candidate]
    assert set(form.fields["plan"].queryset) == {plan, template}
    assert foreign not in form.fields["plan"].queryset
    assert set(form.fields["interviewers"].queryset) == {interviewer, interviewer2, other_interview.interviewers.get()}


def test_it_schedules_an_interview_and_pins_the_plans_questions(as_user, recruiter, candidate, plan, interviewer, interviewer2):
    starts = later()
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer, interviewer2], starts))
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/interviews/{interview.pk}/"
    assert interview.starts_at == starts
    assert interview.duration_minutes == 60
    assert set(interview.interviewers.all()) == {interviewer, interviewer2}
    assert (interview.plan, interview.created_by) == (plan, recruiter)
    assert [q.revision_id for q in interview.questions.order_by("order")] == [
        i.revision_id for i in plan.items.order_by("order")
    ]
    assert "Scheduled Priya Raman" in messages_of(response)[0]


def test_it_accepts_a_template_plan(as_user, recruiter, candidate, interviewer):
    template = make_plan(position=None, name="Generic screen")
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, template, [interviewer]))
    assert response.status_code == 302
    assert Interview.objects.get().plan_name == "Generic screen"


def test_it_refuses_a_plan_of_another_position_and_keeps_what_was_typed(as_user, recruiter, hiring_manager, candidate, interviewer):
    growth_plan = make_plan(position=make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Data Scientist, Growth"), name="Growth loop")
    starts = later()
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, growth_plan, [interviewer], starts))
    assert response.status_code == 400
    html = response.content.decode()
    assert "is a plan for Data Scientist, Growth, not for Senior ML Engineer, Ranking" in html
    assert starts.strftime("%Y-%m-%dT%H:%M") in html
    assert Interview.objects.count() == 0


def test_it_refuses_a_plan_with_no_questions(as_user, recruiter, candidate, position, interviewer):
    empty = make_plan(position=position, sections=[("Fundamentals", published_slugs(0))], name="Empty")
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, empty, [interviewer]))
    assert response.status_code == 400
    assert "has no questions yet" in response.content.decode()


def test_it_refuses_a_candidate_the_recruiter_cannot_see(as_user, recruiter, other_interview, interviewer):
    template = make_plan(position=None)
    response = as_user(recruiter).post("/interviews/new/", schedule_data(other_interview.candidate, template, [interviewer]))
    assert response.status_code == 400
    assert response.context["form"].errors["candidate"]
    assert Interview.objects.count() == 1


@pytest.mark.parametrize("minutes", ["4", "481", "abc"])
def test_it_refuses_a_length_out_of_range(as_user, recruiter, candidate, plan, interviewer, minutes):
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], duration_minutes=minutes))
    assert response.status_code == 400
    assert response.context["form"].errors["duration_minutes"]
    assert Interview.objects.count() == 0


def test_it_uses_the_plans_slot_when_no_length_is_given(as_user, recruiter, candidate, plan, interviewer):
    as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], duration_minutes=""))
    assert Interview.objects.get().duration_minutes == 60


def test_it_needs_interviewers_from_the_interviewers_group(as_user, recruiter, candidate, plan, hiring_manager):
    client = as_user(recruiter)
    response = client.post("/interviews/new/", schedule_data(candidate, plan, []))
    assert response.status_code == 400
    assert "Choose at least one interviewer." in response.content.decode()
    response = client.post("/interviews/new/", schedule_data(candidate, plan, [hiring_manager]))
    assert response.status_code == 400
    assert response.context["form"].errors["interviewers"]
    assert Interview.objects.count() == 0


def test_it_refuses_a_missing_or_malformed_start(as_user, recruiter, candidate, plan, interviewer):
    for value in ["", "tomorrow at ten", "2025-02-30T10:00"]:
        response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], starts_at=value))
        assert response.status_code == 400
        assert response.context["form"].errors["starts_at"]


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00", "1999-12-31T23:59", "2100-01-01T00:00"])
def test_it_refuses_a_start_outside_the_years_2000_to_2099_with_a_message(settings, as_user, recruiter, candidate, plan,
                                                                          interviewer, value):
    settings.TIME_ZONE = "Asia/Tokyo"  # east of UTC: year 1 at midnight is year 0 in UTC
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], starts_at=value))
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == ["Choose a start in the years 2000 to 2099."]
    assert f'value="{value}"' in response.content.decode()
    assert Interview.objects.count() == 0


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_it_refuses_to_reschedule_outside_the_years_2000_to_2099_with_a_message(settings, as_user, recruiter, interview,
                                                                                interviewer, value):
    settings.TIME_ZONE = "Asia/Tokyo"
    starts = interview.starts_at
    data = {"starts_at": value, "duration_minutes": "60", "interviewers": [interviewer.pk]}
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == ["Choose a start in the years 2000 to 2099."]
    interview.refresh_from_db()
    assert interview.starts_at == starts


def test_it_schedules_at_the_edges_of_the_years_2000_to_2099(as_user, recruiter, candidate, plan, interviewer):
    client = as_user(recruiter)
    for value in ["2000-01-01T00:00", "2099-12-31T23:59"]:
        response = client.post("/interviews/new/", schedule_data(candidate, plan, [interviewer], starts_at=value))
        assert response.status_code == 302
    assert Interview.objects.count() == 2


def test_it_reads_the_start_in_the_sites_time_zone(settings, as_user, recruiter, candidate, plan, interviewer):
    settings.TIME_ZONE = "America/New_York"
    data = schedule_data(candidate, plan, [interviewer], starts_at="2031-07-01T09:30")
    as_user(recruiter).post("/interviews/new/", data)
    expected = datetime(2031, 7, 1, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    assert Interview.objects.get().starts_at == expected
    page = as_user(recruiter).get(f"/interviews/{Interview.objects.get().pk}/edit/").content.decode()
    assert 'value="2031-07-01T09:30"' in page


@pytest.mark.parametrize("typed", ["2031-03-09T02:30", "2031-11-02T01:30"])  # skipped, then repeated, in New York
def test_it_refuses_a_time_the_clocks_skip_or_repeat_with_a_message(settings, as_user, recruiter, candidate, plan,
                                                                   interviewer, typed):
    settings.TIME_ZONE = "America/New_York"
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], starts_at=typed))
    assert response.status_code == 400 and not Interview.objects.exists()
    assert "be ambiguous or it may not exist" in response.content.decode()


def _in_zone(user, name):
    profile = profile_of(user)
    profile.time_zone = name
    profile.save()


def _checkbox_and_label(page, user):
    """The interviewer's checkbox tag and its label's text, as rendered."""
    match = re.search(rf'(<input type="checkbox"[^>]*name="interviewers" value="{user.pk}"[^>]*>)\s*<label[^>]*>([^<]*)</label>', page)
    return match.group(1), match.group(2).strip()


def test_the_form_names_each_interviewers_zone_when_it_is_not_the_readers(settings, as_user, recruiter, candidate,
                                                                           interviewer, interviewer2):
    settings.TIME_ZONE = "UTC"
    _in_zone(interviewer, "Asia/Tokyo")
    page = as_user(recruiter).get("/interviews/new/").content.decode()
    tokyo, tokyo_label = _checkbox_and_label(page, interviewer)
    assert 'data-zone="Asia/Tokyo"' in tokyo and f'data-name="{interviewer.get_full_name() or interviewer.username}"' in tokyo
    assert tokyo_label.endswith("· Asia/Tokyo")
    same, same_label = _checkbox_and_label(page, interviewer2)
    assert 'data-zone="UTC"' in same and "UTC" not in same_label
    assert 'id="schedule-form"' in page and 'data-zone="UTC">' in page
    assert '<div id="panel-times" aria-live="polite" class="d-none">' in page  # nothing chosen yet


def test_a_form_sent_back_lists_the_panels_local_times(settings, as_user, recruiter, candidate, plan, interviewer,
                                                       interviewer2):
    """Without script too: the page sent back with an error lists each one's start in their zone."""
    settings.TIME_ZONE = "America/New_York"
    _in_zone(interviewer, "Asia/Tokyo")
    data = schedule_data(candidate, plan, [interviewer, interviewer2], starts_at="2031-07-01T21:30", duration_minutes="2")
    response = as_user(recruiter).post("/interviews/new/", data)
    assert response.status_code == 400
    block = response.content.decode().split('<div id="panel-times" aria-live="polite">')[1].split("</ul>")[0]
    times = sorted(re.findall(r"<li>([^<]*)</li>", block))
    name, name2 = interviewer.get_full_name() or interviewer.username, interviewer2.get_full_name() or interviewer2.username
    assert times == sorted([f"{name}: 10:30 on Wed 2 Jul Asia/Tokyo", f"{name2}: 21:30 America/New_York"])


def test_it_warns_but_schedules_when_the_start_is_in_the_past(as_user, recruiter, candidate, plan, interviewer):
    yesterday = timezone.localtime() - timedelta(days=1)
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [interviewer], yesterday))
    assert response.status_code == 302
    assert Interview.objects.count() == 1
    assert any("starts in the past" in m for m in messages_of(response))


# --- The interview page -----------------------------------------------------------------


def test_it_shows_time_panel_questions_status_and_scorecard_states(as_user, recruiter, interview, interviewer, interviewer2):
    interview.interviewers.add(interviewer2)
    make_scorecard(interview=interview, interviewer=interviewer, submit=True, summary="PRIVATE SUMMARY")
    response = as_user(recruiter).get(f"/interviews/{interview.pk}/")
    html = response.content.decode()
    questions = list(interview.questions.select_related("revision"))
    assert len(response.context["questions"]) == 3
    for q in questions:
        assert q.revision.title in html
    assert "ML fundamentals" in html
    assert "Priya Raman" in html and "Ranking onsite" in html and ">Upcoming</span>" in html
    assert {p.username: s for p, s in response.context["interview"].panel} == {"int1": "submitted", "int2": "missing"}
    assert "PRIVATE SUMMARY" not in html
    assert f"/interviews/{interview.pk}/edit/" in html and f"/interviews/{interview.pk}/cancel/" in html
    assert f"/interviews/{interview.pk}/live/" not in html  # the recruiter is not on the panel


def test_it_links_the_live_page_for_panel_interviewers_only(as_user, interview, interviewer, hiring_manager):
    html = as_user(interviewer).get(f"/interviews/{interview.pk}/").content.decode()
    assert f'href="/interviews/{interview.pk}/live/"' in html
    assert f"/interviews/{interview.pk}/edit/" not in html
    assert f"/interviews/{interview.pk}/live/" not in as_user(hiring_manager).get(f"/interviews/{interview.pk}/").content.decode()


def test_it_leaves_out_questions_an_interviewer_added_to_their_own_scorecard(as_user, recruiter, interview, interviewer):
    card = make_scorecard(interview=interview, interviewer=interviewer, submit=False)
    interview.questions.create(order=99, free_text="A private ad-hoc question", competency="x", added_by=card.interviewer)
    html = as_user(recruiter).get(f"/interviews/{interview.pk}/").content.decode()
    assert "A private ad-hoc question" not in html


# --- Reschedule -------------------------------------------------------------------------


def test_it_reschedules_an_interview(as_user, recruiter, interview, interviewer2):
    starts = later(days=4, hour=10)
    data = {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30, "interviewers": [interviewer2.pk]}
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.starts_at, interview.duration_minutes) == (starts, 30)
    assert list(interview.interviewers.all()) == [interviewer2]


def test_it_keeps_an_interviewer_who_started_a_scorecard_and_says_so(as_user, recruiter, interview, interviewer, interviewer2):
    make_scorecard(interview=interview, interviewer=interviewer, submit=False)
    data = {"starts_at": later().strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45, "interviewers": [interviewer2.pk]}
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data)
    assert set(interview.interviewers.all()) == {interviewer, interviewer2}
    assert any("stayed on the panel" in m for m in messages_of(response))


def test_it_shows_reschedule_errors_and_keeps_what_was_typed(as_user, recruiter, interview, interviewer):
    data = {"starts_at": "2031-01-05T10:15", "duration_minutes": 500, "interviewers": [interviewer.pk]}
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2031-01-05T10:15"' in html and 'value="500"' in html
    assert "less than or equal to 480" in html


def test_it_will_not_reschedule_a_cancelled_interview(as_user, recruiter, interview, interviewer):
    interview.status, interview.cancel_reason = "cancelled", "Withdrew"
    interview.save()
    starts = interview.starts_at
    client = as_user(recruiter)
    response = client.get(f"/interviews/{interview.pk}/edit/")
    assert response.status_code == 302
    assert "cannot be rescheduled" in messages_of(response)[0]
    data = {"starts_at": later(9).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30, "interviewers": [interviewer.pk]}
    response = client.post(f"/interviews/{interview.pk}/edit/", data, follow=True)
    assert "cannot be rescheduled" in response.content.decode()
    interview.refresh_from_db()
    assert interview.starts_at == starts


def test_it_warns_when_rescheduling_into_the_past(as_user, recruiter, interview, interviewer):
    data = {"starts_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45, "interviewers": [interviewer.pk]}
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 302
    assert any("starts in the past" in m for m in messages_of(response))


# --- Cancel -----------------------------------------------------------------------------


def test_it_cancels_with_a_reason(as_user, recruiter, interview):
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/cancel/", {"reason": "Candidate withdrew"}, follow=True)
    interview.refresh_from_db()
    assert (interview.status, interview.cancel_reason) == ("cancelled", "Candidate withdrew")
    html = response.content.decode()
    assert "Cancelled the interview" in html and "Candidate withdrew" in html
    assert f"/interviews/{interview.pk}/edit/" not in html


def test_it_requires_a_reason_to_cancel(as_user, recruiter, interview):
    response = as_user(recruiter).post(f"/interviews/{interview.pk}/cancel/", {"reason": "   "})
    assert response.status_code == 400
    assert "Say why the interview is cancelled" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "scheduled"


# --- Query counts -------------------------------------------------------------------------

# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), interview with candidate, position,
# plan and scheduler, its interviewers, its scorecards, its pinned questions
# with revisions, its shadows with their people.
DETAIL_QUERIES = 9


@pytest.mark.parametrize("n", [2, 20])
def test_the_detail_query_count_is_constant(as_user, recruiter, candidate, position, django_assert_num_queries, n):
    panel = [make_user(f"panel{i}", Role.INTERVIEWER) for i in range(n)]
    interview = make_interview(candidate=candidate, interviewers=panel, plan=make_plan(position=position, sections=[("Fundamentals", published_slugs(n))]))
    for person in panel[::2]:
        make_scorecard(interview=interview, interviewer=person, submit=False)
    client = as_user(recruiter)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(f"/interviews/{interview.pk}/").status_code == 200


# --- Double-booking and plans longer than the interview ------------------------------------


@pytest.fixture
def ivan(db):
    return make_user("ivan", Role.INTERVIEWER, first_name="Ivan", last_name="Petrov")


@pytest.fixture
def daniels_interview(position, plan, ivan):
    """Daniel Kim's interview with Ivan, 14:48-15:48 two days from now."""
    starts = later(hour=14).replace(minute=48)
    return make_interview(candidate=make_candidate(position=position, name="Daniel Kim"), interviewers=[ivan], plan=plan, starts_at=starts, minutes=60)


def test_it_refuses_a_panelist_already_on_an_overlapping_interview_and_names_it(
        as_user, recruiter, candidate, plan, ivan, interviewer, daniels_interview):
    data = schedule_data(candidate, plan, [ivan, interviewer], later(hour=14))  # 14:30-15:30
    response = as_user(recruiter).post("/interviews/new/", data)
    assert response.status_code == 400
    day = daniels_interview.starts_at
    assert response.context["form"].errors["interviewers"] == [
        f"Ivan Petrov is already on Daniel Kim’s interview 14:48–15:48 on {day:%a} {day.day} {day:%b}. "
        "Choose another time or another interviewer."
    ]
    assert "Daniel Kim’s interview 14:48–15:48" in response.content.decode()
    assert Interview.objects.count() == 1


def test_it_keeps_what_was_typed_when_it_refuses_a_double_booking(as_user, recruiter, candidate, plan, ivan, daniels_interview):
    data = schedule_data(candidate, plan, [ivan], later(hour=15), duration_minutes="50")
    form = as_user(recruiter).post("/interviews/new/", data).context["form"]
    assert (form["starts_at"].value(), form["duration_minutes"].value()) == (data["starts_at"], "50")
    assert form["interviewers"].value() == [str(ivan.pk)]
    assert form["candidate"].value() == str(candidate.pk) and form["plan"].value() == str(plan.pk)


@pytest.mark.parametrize("hour, minute", [(13, 48), (15, 48)])
def test_it_allows_an_interview_that_ends_or_starts_when_the_other_one_does(
        as_user, recruiter, candidate, plan, ivan, daniels_interview, hour, minute):
    starts = later(hour=hour).replace(minute=minute)
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [ivan], starts))
    assert response.status_code == 302
    assert Interview.objects.count() == 2


def test_a_cancelled_interview_does_not_block_its_panel(as_user, recruiter, candidate, plan, ivan, daniels_interview):
    daniels_interview.status = "cancelled"
    daniels_interview.save()
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [ivan], later(hour=14)))
    assert response.status_code == 302


def test_it_does_not_name_a_candidate_the_recruiter_cannot_see(as_user, recruiter, candidate, plan, other_interview):
    hidden_panelist = other_interview.interviewers.get()
    starts = timezone.localtime(other_interview.starts_at)
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [hidden_panelist], starts))
    assert response.status_code == 400
    [error] = response.context["form"].errors["interviewers"]
    assert error.startswith("int9 is already on another interview ")
    assert "Hidden Person" not in response.content.decode()


def test_rescheduling_checks_the_panel_but_not_against_the_interview_itself(as_user, recruiter, interview, ivan, daniels_interview):
    interview.interviewers.add(ivan)
    booked = interview.starts_at
    client = as_user(recruiter)
    same_time = {"starts_at": timezone.localtime(interview.starts_at).strftime("%Y-%m-%dT%H:%M"),
                 "duration_minutes": 45, "interviewers": [ivan.pk]}
    assert client.post(f"/interviews/{interview.pk}/edit/", same_time).status_code == 302
    onto_daniel = dict(same_time, starts_at=later(hour=15).strftime("%Y-%m-%dT%H:%M"))
    response = client.post(f"/interviews/{interview.pk}/edit/", onto_daniel)
    assert response.status_code == 400
    assert "Ivan Petrov is already on Daniel Kim’s interview 14:48–15:48" in response.content.decode()
    interview.refresh_from_db()
    assert interview.starts_at == booked.replace(second=0, microsecond=0)


def test_a_plan_longer_than_the_interview_needs_a_tick_to_schedule(as_user, recruiter, candidate, plan, interviewer):
    total = sum(plan.items.values_list("minutes", flat=True))
    client = as_user(recruiter)
    data = schedule_data(candidate, plan, [interviewer], duration_minutes=str(total - 5))
    response = client.post("/interviews/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["duration_minutes"] == [
        f"“Ranking onsite” has questions for {total} minutes, 5 more than this {total - 5}-minute interview. "
        "Make the interview longer, or tick “Schedule anyway” below."
    ]
    html = response.content.decode()
    assert 'name="overrun_confirm"' in html and f'value="{total - 5}"' in html
    assert Interview.objects.count() == 0
    response = client.post("/interviews/new/", dict(data, overrun_confirm="on"))
    assert response.status_code == 302
    assert Interview.objects.get().duration_minutes == total - 5


def test_a_double_booking_is_named_even_when_the_plan_is_also_too_long(
        as_user, recruiter, candidate, plan, ivan, daniels_interview):
    # The walkthrough's case: both problems at once. The length error takes the length out of
    # cleaned_data, which once silenced the panel check.
    data = schedule_data(candidate, plan, [ivan], later(hour=15), duration_minutes="10")
    errors = as_user(recruiter).post("/interviews/new/", data).context["form"].errors
    assert errors["interviewers"][0].startswith("Ivan Petrov is already on Daniel Kim’s interview 14:48–15:48")
    assert "more than this 10-minute interview" in errors["duration_minutes"][0]


def test_rescheduling_names_a_double_booking_even_when_the_interview_is_also_too_short(
        as_user, recruiter, interview, ivan, daniels_interview):
    interview.interviewers.add(ivan)
    data = {"starts_at": later(hour=15).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 5, "interviewers": [ivan.pk]}
    errors = as_user(recruiter).post(f"/interviews/{interview.pk}/edit/", data).context["form"].errors
    assert errors["interviewers"][0].startswith("Ivan Petrov is already on Daniel Kim’s interview 14:48–15:48")
    assert "Its pinned questions take" in errors["duration_minutes"][0]


def test_the_schedule_anyway_box_is_not_shown_when_the_plan_fits(as_user, recruiter, candidate, plan, interviewer):
    assert 'name="overrun_confirm"' not in as_user(recruiter).get("/interviews/new/").content.decode()
    total = sum(plan.items.values_list("minutes", flat=True))
    response = as_user(recruiter).post("/interviews/new/", schedule_data(candidate, plan, [], duration_minutes=str(total)))
    assert response.status_code == 400
    assert 'name="overrun_confirm"' not in response.content.decode()


def test_shortening_an_interview_below_its_pinned_questions_needs_a_tick(as_user, recruiter, interview, interviewer):
    total = sum(interview.questions.values_list("minutes", flat=True))
    data = {"starts_at": later(days=3).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": total - 1,
            "interviewers": [interviewer.pk]}
    client = as_user(recruiter)
    response = client.post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 400
    assert "Its pinned questions take" in response.content.decode() and "“Save anyway”" in response.content.decode()
    assert client.post(f"/interviews/{interview.pk}/edit/", dict(data, overrun_confirm="on")).status_code == 302
    interview.refresh_from_db()
    assert interview.duration_minutes == total - 1
