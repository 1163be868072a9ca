"""The home page dashboards: each role sees its own, with constant query counts; and the
navigation links to positions, candidates and scheduling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from interviews import selectors
from scoring import dashboards
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


def at(**delta):
    return timezone.now() + timedelta(**delta)


def interview(position, panel, plan, starts_at, name=None, status=None):
    made = make_interview(candidate=make_candidate(position=position, name=name), interviewers=panel, plan=plan, starts_at=starts_at, minutes=60)
    if status:
        made.status = status
        made.save()
    return made


def test_it_sends_anonymous_users_to_login(client):
    assert client.get("/")["Location"].startswith("/login/?next=")


def test_it_shows_a_user_with_no_role_no_dashboard(as_user, outsider):
    response = as_user(outsider).get("/")
    assert response.status_code == 200
    assert not {"interviewer_dash", "recruiter_dash", "manager_dash"} & set(response.context.keys())
    assert "Your interviews" not in response.content.decode()


# --- Interviewer ------------------------------------------------------------------------


def test_it_shows_an_interviewer_today_and_upcoming_interviews_with_the_live_link(as_user, interviewer, interviewer2, position, plan):
    now_one = interview(position, [interviewer], plan, at(seconds=-5), name="Today Person")
    soon = interview(position, [interviewer], plan, at(days=3), name="Later Person")
    interview(position, [interviewer2], plan, at(days=1), name="Not Mine")
    interview(position, [interviewer], plan, at(days=2), name="Called Off", status="cancelled")
    response = as_user(interviewer).get("/")
    dash = response.context["interviewer_dash"]
    assert dash["today"] == [now_one]
    assert dash["later"] == [soon]
    html = response.content.decode()
    assert f'href="/interviews/{now_one.pk}/live/"' in html
    assert "Today Person" in html and "Later Person" in html
    assert "Not Mine" not in html and "Called Off" not in html


def test_it_lists_an_interviewers_drafts_and_overdue_scorecards(as_user, interviewer, position, plan):
    overdue = interview(position, [interviewer], plan, at(days=-3), name="Overdue Person")
    drafted_overdue = interview(position, [interviewer], plan, at(days=-2), name="Drafted Person")
    make_scorecard(interview=drafted_overdue, interviewer=interviewer, submit=False)
    done = interview(position, [interviewer], plan, at(days=-3), name="Done Person")
    make_scorecard(interview=done, interviewer=interviewer, submit=True)
    recent = interview(position, [interviewer], plan, at(hours=-2), name="Recent Person")
    make_scorecard(interview=recent, interviewer=interviewer, submit=False)
    interview(position, [interviewer], plan, at(days=-3), name="Cancelled Person", status="cancelled")
    # Ended 23 hours ago (started 24 h ago, 60 minutes long): not overdue yet.
    interview(position, [interviewer], plan, at(hours=-24), name="Almost Person")
    dash = as_user(interviewer).get("/").context["interviewer_dash"]
    assert dash["overdue"] == [overdue, drafted_overdue]
    assert [card.interview for card in dash["drafts"]] == [drafted_overdue, recent]


def test_it_does_not_count_a_colleagues_submission_as_the_interviewers(interviewer, interviewer2, position, plan):
    shared = interview(position, [interviewer, interviewer2], plan, at(days=-3))
    make_scorecard(interview=shared, interviewer=interviewer2, submit=True)
    assert dashboards.interviewer_overdue(interviewer) == [shared]
    assert dashboards.interviewer_overdue(interviewer2) == []


# --- Recruiter --------------------------------------------------------------------------


def test_it_shows_a_recruiter_missing_scorecards_per_interviewer(as_user, recruiter, interviewer, interviewer2, position, plan, other_position):
    third = make_user("int3", Role.INTERVIEWER)
    ended = interview(position, [interviewer, interviewer2, third], plan, at(days=-3), name="Ended Person")
    make_scorecard(interview=ended, interviewer=interviewer, submit=True)
    make_scorecard(interview=ended, interviewer=interviewer2, submit=False)
    fresh = interview(position, [interviewer], plan, at(hours=-3), name="Fresh Person")
    interview(position, [interviewer], plan, at(days=-3), name="Cancelled Person", status="cancelled")
    interview(position, [interviewer], plan, at(days=2), name="Future Person")
    interview(other_position, [interviewer], make_plan(position=other_position), at(days=-3), name="Elsewhere Person")
    response = as_user(recruiter).get("/")
    rows = response.context["recruiter_dash"]["missing"]
    assert [(r.interview, r.user.username, r.has_draft, r.overdue) for r in rows] == [
        (ended, "int2", True, True),
        (ended, "int3", False, True),
        (fresh, "int1", False, False),
    ]
    html = response.content.decode()
    assert "Elsewhere Person" not in html and "Cancelled Person" not in html
    assert "overdue" in html


def test_it_shows_a_recruiter_upcoming_interviews_and_quick_links(as_user, recruiter, interviewer, position, plan, other_position):
    soon = interview(position, [interviewer], plan, at(days=1), name="Soon Person")
    interview(other_position, [interviewer], make_plan(position=other_position), at(days=1), name="Elsewhere Person")
    response = as_user(recruiter).get("/")
    assert response.context["recruiter_dash"]["upcoming"] == [soon]
    html = response.content.decode()
    for url in ["/positions/new/", "/candidates/new/", "/interviews/new/"]:
        assert f'href="{url}"' in html
    assert "Elsewhere Person" not in html


def test_it_shows_an_admin_the_recruiting_dashboard_for_every_position(as_user, admin_user, interviewer, other_position):
    elsewhere = interview(other_position, [interviewer], make_plan(position=other_position), at(days=1))
    assert as_user(admin_user).get("/").context["recruiter_dash"]["upcoming"] == [elsewhere]


# --- Hiring manager ---------------------------------------------------------------------


def test_it_shows_a_hiring_manager_their_positions_with_counts_and_the_plans_link(hm_client, position, plan, interviewer, other_position):
    interview(position, [interviewer], plan, at(days=1))
    make_candidate(position=position, stage="rejected")
    response = hm_client.get("/")
    [row] = response.context["manager_dash"]["positions"]
    assert row == position
    assert (row.candidate_count, row.active_count, row.upcoming_count, row.plan_count) == (2, 1, 1, 1)
    html = response.content.decode()
    assert 'href="/plans/"' in html
    assert "Hidden Role" not in html
    assert "Question bank" in html  # the bank cards stay


# --- Navigation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        ("recruiter", {"/positions/", "/candidates/", "/interviews/new/"}),
        ("hiring_manager", {"/positions/", "/candidates/"}),
        ("interviewer", set()),
        ("outsider", set()),
    ],
)
def test_it_links_positions_candidates_and_scheduling_by_permission(request, as_user, role, expected):
    html = as_user(request.getfixturevalue(role)).get("/").content.decode()
    nav = html[html.index("<nav"):html.index("</nav>")]
    shown = {url for url in ["/positions/", "/candidates/", "/interviews/new/"] if f'href="{url}"' in nav}
    assert shown == expected


# --- Query counts -------------------------------------------------------------------------

# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1); dashboards, role label and menu, the
# published-question count, today's and upcoming interviews, drafts, overdue interviews.
INTERVIEWER_QUERIES = 8
# Session, user, permissions and group names (3), question count, missing scorecards, upcoming
# interviews with their interviewers and scorecards (3).
RECRUITER_QUERIES = 9
# Session, user, permissions and group names (3), question count, managed positions with counts.
MANAGER_QUERIES = 6


@pytest.mark.parametrize("n", [2, 20])
def test_the_interviewer_dashboard_query_count_is_constant(as_user, interviewer, position, plan, django_assert_num_queries, n):
    for i in range(n):
        interview(position, [interviewer], plan, at(days=1 + i))
        make_scorecard(interview=interview(position, [interviewer], plan, at(days=-2 - i)), interviewer=interviewer, submit=False)
    client = as_user(interviewer)
    with django_assert_num_queries(INTERVIEWER_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_recruiter_dashboard_query_count_is_constant(
    as_user, recruiter, interviewer, interviewer2, position, plan, django_assert_num_queries, n
):
    for i in range(n):
        interview(position, [interviewer, interviewer2], plan, at(days=1 + i))
        make_scorecard(interview=interview(position, [interviewer, interviewer2], plan, at(days=-2 - i)), interviewer=interviewer, submit=False)
    client = as_user(recruiter)
    with django_assert_num_queries(RECRUITER_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_hiring_manager_dashboard_query_count_is_constant(
    hm_client, hiring_manager, recruiter, interviewer, django_assert_num_queries, n
):
    for _ in range(n):
        position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
        interview(position, [interviewer], make_plan(position=position), at(days=1))
    with django_assert_num_queries(MANAGER_QUERIES):
        assert hm_client.get("/").status_code == 200


def test_the_hiring_managers_none_yet_plans_cell_does_not_wrap(hm_client, position):
    html = hm_client.get("/").content.decode()
    assert '<td class="text-end text-nowrap"><span class="text-warning-emphasis">none yet</span></td>' in html


def test_it_says_how_long_ago_and_how_overdue(as_user, recruiter, interviewer, position, plan):
    # Ended 3 days ago (60 minutes long), so overdue by 2 days.
    interview(position, [interviewer], plan, at(days=-3, minutes=-60))
    html = as_user(recruiter).get("/").content.decode().replace("\xa0", " ")
    assert "3 days ago" in html and "overdue by 2 days" in html


def test_it_leaves_ended_and_running_interviews_out_of_the_recruiters_upcoming_list(recruiter, interviewer, position, plan):
    interview(position, [interviewer], plan, at(hours=-2))
    interview(position, [interviewer], plan, at(minutes=-30))
    coming = interview(position, [interviewer], plan, at(minutes=30))
    assert selectors.recruiter_upcoming(recruiter) == [coming]


def test_the_admins_upcoming_list_leaves_out_an_interview_in_progress(as_user, admin_user, interviewer, position, plan):
    interview(position, [interviewer], plan, at(minutes=-20), name="Running Now")
    interview(position, [interviewer], plan, at(days=1), name="Tomorrow Person")
    upcoming = as_user(admin_user).get("/").context["recruiter_dash"]["upcoming"]
    assert [i.candidate.name for i in upcoming] == ["Tomorrow Person"]
    assert [i.stage for i in upcoming] == ["upcoming"]
