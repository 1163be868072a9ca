"""Every question-bank view from every role: anonymous -> login, wrong role -> 403,
drafts hidden from non-authors (404), POST-only views -> 405 on GET."""

import pytest

from questionbank.models import Question
from questionbank.services import question_create
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db

READ_URLS = [
    "/questions/",
    "/questions/bias-variance/",
    "/questions/bias-variance/revisions/1/",
    "/questions/criteria/",
]
AUTHOR_URLS = [
    "/questions/new/",
    "/questions/bias-variance/edit/",
    "/questions/import/",
    "/questions/export/",
    "/questions/export/?format=json",
]


@pytest.mark.parametrize("url", READ_URLS + AUTHOR_URLS + ["/", "/password/"])
def test_it_sends_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", ["/questions/bias-variance/status/", "/questions/import/confirm/"])
def test_it_sends_anonymous_posts_to_login_and_changes_nothing(client, url):
    response = client.post(url, {"status": "retired"})
    assert response.status_code == 302
    assert Question.objects.get(slug="bias-variance").status == "published"


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "recruiter", "admin_user"])
@pytest.mark.parametrize("url", READ_URLS)
def test_it_lets_every_role_read_the_bank(request, as_user, role, url):
    user = request.getfixturevalue(role)
    assert as_user(user).get(url).status_code == 200


@pytest.mark.parametrize("url", READ_URLS + AUTHOR_URLS)
def test_it_refuses_a_user_with_no_role(as_user, outsider, url):
    assert as_user(outsider).get(url).status_code == 403


@pytest.mark.parametrize("role", ["interviewer", "recruiter"])
@pytest.mark.parametrize("url", AUTHOR_URLS)
def test_it_refuses_authoring_to_other_roles(request, as_user, role, url):
    user = request.getfixturevalue(role)
    assert as_user(user).get(url).status_code == 403


@pytest.mark.parametrize("role", ["interviewer", "recruiter"])
def test_it_refuses_other_roles_a_status_change_and_changes_nothing(request, as_user, role):
    client = as_user(request.getfixturevalue(role))
    assert client.post("/questions/bias-variance/status/", {"status": "retired"}).status_code == 403
    assert client.post("/questions/new/", {"title": "x"}).status_code == 403
    assert Question.objects.get(slug="bias-variance").status == "published"


@pytest.mark.parametrize("role", ["hiring_manager", "admin_user"])
@pytest.mark.parametrize("url", AUTHOR_URLS)
def test_it_lets_hiring_managers_and_admins_author(request, as_user, role, url):
    assert as_user(request.getfixturevalue(role)).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/questions/bias-variance/status/", "/questions/import/confirm/"])
def test_it_answers_get_on_post_only_views_with_405(hm_client, url):
    assert hm_client.get(url).status_code == 405


def test_it_hides_drafts_from_interviewers_and_recruiters(as_user, hiring_manager, interviewer, recruiter):
    question_create(slug="secret-draft", area="data", kind="concept", level="mid", roles=["ds"], content=revision_content())
    assert as_user(hiring_manager).get("/questions/secret-draft/").status_code == 200
    for user in (interviewer, recruiter):
        client = as_user(user)
        assert client.get("/questions/secret-draft/").status_code == 404
        assert "secret-draft" not in client.get("/questions/", {"q": "label noise"}).content.decode()


def test_it_returns_404_for_an_unknown_question_or_revision(hm_client):
    assert hm_client.get("/questions/no-such-question/").status_code == 404
    assert hm_client.get("/questions/bias-variance/revisions/99/").status_code == 404


def test_the_navigation_shows_each_role_what_it_can_do(as_user, hiring_manager, interviewer, recruiter):
    def nav(user):
        body = as_user(user).get("/").content.decode()
        return body[body.index('<nav class="navbar'):body.index("</nav>")]

    hm_nav, int_nav, rec_nav = nav(hiring_manager), nav(interviewer), nav(recruiter)
    assert all(item in hm_nav for item in ("Question bank", "Positions", "Plans", "Calibration"))
    assert "Schedule" not in hm_nav
    assert "Question bank" in int_nav and not any(item in int_nav for item in ("Plans", "Calibration", "Schedule", "Positions"))
    assert all(item in rec_nav for item in ("Positions", "Candidates", "Schedule")) and "Calibration" not in rec_nav


def test_the_bank_offers_authoring_only_to_hiring_managers(as_user, hiring_manager, interviewer):
    hm_page = as_user(hiring_manager).get("/questions/").content.decode()
    assert "New question" in hm_page and ">Import<" in hm_page and ">Export<" in hm_page
    int_page = as_user(interviewer).get("/questions/").content.decode()
    assert "New question" not in int_page and ">Import<" not in int_page


def test_healthz_needs_no_login_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
