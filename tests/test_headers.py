"""Cache-Control on what signed-in people see: no browser or shared cache keeps a debrief, a
candidate or an export after sign-out (security probe finding 17)."""

import pytest

from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.fixture
def candidate(hiring_manager, recruiter, interviewer):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position, name="Priya Raman")
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 2, 4])
    return candidate


@pytest.mark.parametrize("path", [
    "/",
    "/candidates/{candidate}/",
    "/candidates/{candidate}/debrief/",
    "/candidates/{candidate}/debrief/?format=pdf",
    "/positions/{position}/compare/?format=csv",
    "/questions/export/?format=csv",
    "/questions/export/?format=json",
    "/questions/",
])
def test_it_tells_caches_not_to_keep_signed_in_pages_and_exports(hm_client, candidate, path):
    response = hm_client.get(path.format(candidate=candidate.pk, position=candidate.position_id))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_it_marks_error_pages_for_signed_in_people_too(as_user, interviewer, candidate):
    response = as_user(interviewer).get(f"/positions/{candidate.position_id}/compare/")
    assert response.status_code == 403
    assert response["Cache-Control"] == NO_STORE


def test_it_leaves_a_view_s_own_cache_control_alone(hm_client):
    response = hm_client.get("/healthz")
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_it_leaves_static_files_cacheable(hm_client):
    response = hm_client.get("/static/css/panelist.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_adds_nothing_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 302
    assert not response.has_header("Cache-Control")
