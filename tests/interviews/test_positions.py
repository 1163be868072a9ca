"""Positions: the list (search, filters), a position's page, creating and editing, per role."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.models import Candidate, Position
from accounts.roles import Role
from interviews.services import plan_archive
from tests.conftest import assert_not_found_and_unchanged, make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db


def urls(pk):
    return ["/positions/", "/positions/new/", f"/positions/{pk}/", f"/positions/{pk}/edit/"]


def form_data(hm, rec=None, **overrides):
    data = {"title": "Data Scientist, Growth", "team": "Growth", "level": "mid", "hiring_manager": hm.pk,
            "recruiter": rec.pk if rec else "", "status": "open", "escalation_hours": 48, "webhook_format": "slack"}
    data.update(overrides)
    return data


# --- Access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client, position):
    for url in urls(position.pk):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_it_sends_an_anonymous_post_to_login_and_creates_nothing(client, position, hiring_manager):
    assert client.post("/positions/new/", form_data(hiring_manager)).status_code == 302
    assert client.post(f"/positions/{position.pk}/edit/", form_data(hiring_manager, title="X")).status_code == 302
    assert Position.objects.count() == 1
    assert Position.objects.get().title == "Senior ML Engineer, Ranking"


@pytest.mark.parametrize("role", ["outsider", "interviewer"])
def test_it_refuses_users_without_the_position_permissions(request, as_user, role, position, hiring_manager):
    client = as_user(request.getfixturevalue(role))
    for url in urls(position.pk):
        assert client.get(url).status_code == 403
    assert client.post("/positions/new/", form_data(hiring_manager)).status_code == 403
    assert Position.objects.count() == 1


def test_it_lets_hiring_managers_read_their_positions_but_not_change_them(hm_client, position, hiring_manager):
    assert hm_client.get("/positions/").status_code == 200
    page = hm_client.get(f"/positions/{position.pk}/")
    assert page.status_code == 200
    assert f"/positions/{position.pk}/edit/" not in page.content.decode()
    assert hm_client.get("/positions/new/").status_code == 403
    assert hm_client.get(f"/positions/{position.pk}/edit/").status_code == 403
    assert hm_client.post(f"/positions/{position.pk}/edit/", form_data(hiring_manager, title="X")).status_code == 403
    assert Position.objects.get().title == "Senior ML Engineer, Ranking"


@pytest.mark.parametrize("role", ["hiring_manager", "recruiter"])
def test_it_hides_other_peoples_positions(request, as_user, role, position, other_position, hiring_manager):
    client = as_user(request.getfixturevalue(role))
    listing = client.get("/positions/").content.decode()
    assert "Senior ML Engineer, Ranking" in listing
    assert "Hidden Role" not in listing
    assert client.get(f"/positions/{other_position.pk}/").status_code == 404


def test_it_answers_404_to_an_edit_of_someone_elses_position_and_changes_nothing(as_user, recruiter, other_position, hiring_manager):
    url = f"/positions/{other_position.pk}/edit/"
    assert_not_found_and_unchanged(as_user(recruiter), url, form_data(hiring_manager, recruiter, title="Taken"), other_position)


def test_it_shows_admins_every_position(as_user, admin_user, position, other_position):
    listing = as_user(admin_user).get("/positions/").content.decode()
    assert "Senior ML Engineer, Ranking" in listing and "Hidden Role" in listing
    assert as_user(admin_user).get(f"/positions/{other_position.pk}/edit/").status_code == 200


def test_it_shows_a_position_to_an_interviewer_on_a_panel_nowhere_else(as_user, interviewer, position):
    # Interviewers hold no view_position permission, even for a position they interview for.
    make_interview(candidate=make_candidate(position=position), interviewers=[interviewer])
    assert as_user(interviewer).get(f"/positions/{position.pk}/").status_code == 403


# --- List: search and filters ----------------------------------------------------------


def test_it_searches_titles_and_teams_and_filters_by_status_and_level(as_user, recruiter, hiring_manager):
    make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Senior ML Engineer, Ranking", team="Search", level="senior")
    make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Data Scientist", team="Growth", level="mid")
    make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="MLOps Engineer", team="Platform", level="mid", status="closed")
    client = as_user(recruiter)

    def titles(**params):
        return [p.title for p in client.get("/positions/", params).context["page"].object_list]

    assert titles(q="ranking") == ["Senior ML Engineer, Ranking"]
    assert titles(q="growth") == ["Data Scientist"]
    assert titles(status="closed") == ["MLOps Engineer"]
    assert titles(level="mid") == ["Data Scientist", "MLOps Engineer"]
    assert titles(level="mid", status="open") == ["Data Scientist"]
    assert titles(q="nothing like it") == []
    assert len(titles(level="bogus")) == 3  # an unknown filter value is ignored
    assert "No positions match" in client.get("/positions/", {"q": "nothing like it"}).content.decode()


def test_it_counts_candidates_in_the_list_without_double_counting(as_user, recruiter, position, interviewer, interviewer2):
    a = make_candidate(position=position, stage="interviewing")
    make_candidate(position=position, stage="rejected")
    # Two interviewers on two interviews: joins that would multiply a naive count.
    make_interview(candidate=a, interviewers=[interviewer, interviewer2])
    make_interview(candidate=a, interviewers=[interviewer, interviewer2])
    row = as_user(recruiter).get("/positions/").context["page"].object_list[0]
    assert (row.candidate_count, row.active_count) == (2, 1)


# --- Detail ---------------------------------------------------------------------------------


def test_it_lists_a_positions_candidates_with_stage_and_interview_counts(as_user, recruiter, position, interviewer):
    ada = make_candidate(position=position, name="Ada Lovelace", stage="interviewing")
    make_candidate(position=position, name="Alan Turing", stage="screen")
    tomorrow = timezone.now() + timedelta(days=1)
    make_interview(candidate=ada, interviewers=[interviewer], starts_at=tomorrow)
    cancelled = make_interview(candidate=ada, interviewers=[interviewer], starts_at=tomorrow)
    cancelled.status = "cancelled"
    cancelled.save()
    response = as_user(recruiter).get(f"/positions/{position.pk}/")
    rows = {c.name: c for c in response.context["candidates"]}
    assert rows["Ada Lovelace"].interview_count == 1
    assert rows["Ada Lovelace"].upcoming_count == 1
    assert rows["Alan Turing"].interview_count == 0
    html = response.content.decode()
    assert "Interviewing" in html and "Screen" in html
    assert f"/candidates/new/?position={position.pk}" in html


def test_the_pipeline_box_lists_stages_in_pipeline_order(as_user, recruiter, position):
    for stage in ["withdrawn", "applied", "offer", "screen", "interviewing", "screen", "hired", "rejected"]:
        make_candidate(position=position, stage=stage)
    response = as_user(recruiter).get(f"/positions/{position.pk}/")
    assert response.context["stage_counts"] == [
        ("Applied", 1), ("Screen", 2), ("Interviewing", 1), ("Offer", 1), ("Hired", 1), ("Rejected", 1), ("Withdrawn", 1),
    ]


def test_the_position_page_leaves_out_archived_plans(as_user, recruiter, position):
    make_plan(position=position, name="Current onsite")
    plan_archive(plan=make_plan(position=position, name="Old onsite"))
    html = as_user(recruiter).get(f"/positions/{position.pk}/").content.decode()
    assert "Current onsite" in html and "Old onsite" not in html


# --- Create and edit --------------------------------------------------------------------


def test_it_defaults_the_recruiter_to_the_recruiter_creating_the_position(as_user, recruiter):
    form = as_user(recruiter).get("/positions/new/").context["form"]
    assert form.initial["recruiter"] == recruiter.pk


def test_it_offers_only_hiring_managers_as_hiring_manager(as_user, recruiter, hiring_manager, interviewer):
    form = as_user(recruiter).get("/positions/new/").context["form"]
    assert list(form.fields["hiring_manager"].queryset) == [hiring_manager]
    assert list(form.fields["recruiter"].queryset) == [recruiter]


def test_it_creates_a_position(as_user, recruiter, hiring_manager):
    response = as_user(recruiter).post("/positions/new/", form_data(hiring_manager, recruiter), follow=True)
    position = Position.objects.get()
    assert response.redirect_chain[-1][0] == f"/positions/{position.pk}/"
    assert (position.title, position.hiring_manager, position.recruiter) == ("Data Scientist, Growth", hiring_manager, recruiter)
    assert "Created the position" in response.content.decode()


def test_it_keeps_the_escalation_hours_within_their_range(as_user, recruiter, hiring_manager):
    client = as_user(recruiter)
    for hours, words in ((1, "At least 2 hours"), (721, "At most 720 hours")):
        response = client.post("/positions/new/", form_data(hiring_manager, recruiter, escalation_hours=hours))
        assert response.status_code == 400 and words in response.content.decode()
    assert not Position.objects.exists()
    client.post("/positions/new/", form_data(hiring_manager, recruiter, escalation_hours=72))
    assert Position.objects.get().escalation_hours == 72



def test_it_keeps_the_exposure_cap_within_its_range_or_empty(as_user, recruiter, hiring_manager):
    client = as_user(recruiter)
    for cap, words in ((0, "At least 1 use per 90 days"), (1001, "At most 1000 uses"), ("many", "Enter a whole number")):
        response = client.post("/positions/new/", form_data(hiring_manager, recruiter, exposure_cap=cap))
        assert response.status_code == 400 and words in response.content.decode()
    assert not Position.objects.exists()
    client.post("/positions/new/", form_data(hiring_manager, recruiter, exposure_cap=""))
    assert Position.objects.get().exposure_cap is None
    client.post(f"/positions/{Position.objects.get().pk}/edit/", form_data(hiring_manager, recruiter, exposure_cap=12))
    assert Position.objects.get().exposure_cap == 12
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.update(exposure_cap=0)

def test_it_refuses_a_hiring_manager_who_is_not_one_and_keeps_what_was_typed(as_user, recruiter, interviewer):
    response = as_user(recruiter).post("/positions/new/", form_data(interviewer, recruiter, title="Applied Scientist"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert 'value="Applied Scientist"' in html
    assert Position.objects.count() == 0


def test_it_requires_a_title(as_user, recruiter, hiring_manager):
    response = as_user(recruiter).post("/positions/new/", form_data(hiring_manager, title="   "))
    assert response.status_code == 400
    assert response.context["form"].errors["title"]


def test_it_edits_a_position(as_user, recruiter, hiring_manager, position):
    response = as_user(recruiter).post(
        f"/positions/{position.pk}/edit/", form_data(hiring_manager, recruiter, title="Staff ML Engineer", status="on_hold")
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.title, position.status) == ("Staff ML Engineer", "on_hold")


def test_it_sends_a_recruiter_who_handed_a_position_over_back_to_the_list(as_user, recruiter, hiring_manager, position):
    other = make_user("rec3", Role.RECRUITER)
    response = as_user(recruiter).post(f"/positions/{position.pk}/edit/", form_data(hiring_manager, other))
    assert response["Location"] == "/positions/"
    position.refresh_from_db()
    assert position.recruiter == other


# --- Query counts -------------------------------------------------------------------------

# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), page count, page rows (with
# hiring manager, recruiter and candidate counts in one query).
LIST_QUERIES = 6
# Session, user, permissions and group names (3), position (with people), its candidates with
# interview counts, its plans.
DETAIL_QUERIES = 7


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_is_constant(as_user, recruiter, hiring_manager, django_assert_num_queries, n):
    for _ in range(n):
        make_candidate(position=make_position(hiring_manager=hiring_manager, recruiter=recruiter))
    client = as_user(recruiter)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/positions/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_detail_query_count_is_constant(as_user, recruiter, position, interviewer, django_assert_num_queries, n):
    for _ in range(n):
        make_interview(candidate=make_candidate(position=position), interviewers=[interviewer])
    client = as_user(recruiter)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(f"/positions/{position.pk}/").status_code == 200


# --- Demo data -------------------------------------------------------------------------------


def test_the_demo_command_is_idempotent():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_interviews", verbosity=0)
    call_command("seed_demo_interviews", verbosity=0)
    ranking = Position.objects.get(title="Senior ML Engineer, Ranking")
    assert (ranking.hiring_manager.username, ranking.recruiter.username) == ("hannah", "rita")
    assert Position.objects.filter(title="Data Scientist, Growth").exists()
    assert Candidate.objects.count() == 7
    assert all(c.email.endswith("@example.com") for c in Candidate.objects.all())


def test_the_demo_decisions_move_their_candidates_stage_as_the_app_does():
    # The walkthrough saw "Hire" beside a candidate still at "Screen" in the demo data.
    from scoring.models import Decision

    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
        call_command(command, verbosity=0)
    decided = {d.candidate: d.decision for d in Decision.objects.select_related("candidate")}
    assert decided
    expected = {"hire": "offer", "no_hire": "rejected"}
    for candidate, decision in decided.items():
        assert candidate.stage == expected.get(decision, candidate.stage), (candidate.name, decision, candidate.stage)
    assert {"offer", "rejected"} & {c.stage for c in decided}
