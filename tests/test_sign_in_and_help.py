"""The sign-in page's messages, and the in-app page that explains scoring (linked from the
scorecard and the comparison instead of a repository path)."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_empty_sign_in_names_the_missing_fields_and_not_a_mismatch(client):
    body = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username." in body and "Enter your password." in body
    assert "match" not in body
    assert "This field is required" not in body


def test_a_wrong_password_says_the_pair_does_not_match_once(client, hiring_manager):
    body = client.post("/login/", {"username": "hm", "password": "not-the-password"}).content.decode()
    assert body.count("That username and password don’t match. Check both and try again.") == 1
    assert "Enter your" not in body


def test_the_right_password_still_signs_in(client, hiring_manager):
    response = client.post("/login/", {"username": "hm", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_scoring_help_page_shows_the_formulas_from_docs_scoring(hm_client):
    body = hm_client.get("/help/scoring/").content.decode()
    assert '<h1 id="scoring-the-formulas">Scoring: the formulas</h1>' in body
    assert '<h2 id="competency-score">Competency score</h2>' in body
    assert "<pre><code>score(c) = Σ w_i × s_i / Σ w_i" in body
    assert '<div class="table-responsive" tabindex="0"><table class="table table-sm">' in body
    assert "<th>Candidate</th>" in body  # the worked example's tables
    assert "<strong>Normalise per interviewer</strong>" in body
    assert "<!--" not in body.split('<article class="help-doc">')[1]  # the test markers are dropped


def test_the_help_renderer_escapes_markup_in_the_document():
    from config.helpdoc import render

    html = render("A <script>alert(1)</script> and `<b>` and **bold <i>**\n\n| a | <b> |\n|---|---|\n| <x> | y |")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "<x>" not in html
    assert "&lt;script&gt;" in html and "<code>&lt;b&gt;</code>" in html and "<strong>bold &lt;i&gt;</strong>" in html


@pytest.mark.parametrize("path_of", [
    lambda interview, candidate: f"/interviews/{interview.pk}/scorecard/",
    lambda interview, candidate: f"/positions/{candidate.position_id}/compare/",
])
def test_user_pages_link_to_the_help_page_not_to_a_repository_path(as_user, hiring_manager, recruiter, interviewer, path_of):
    from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position)
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 2, 4])
    client = as_user(interviewer if "scorecard" in path_of(interview, candidate) else recruiter)
    body = client.get(path_of(interview, candidate)).content.decode()
    assert "docs/scoring.md" not in body
    assert re.search(r'<a href="/help/scoring/(#[\w-]+)?">[^<]*[Hh]ow scores are computed</a>', body)
