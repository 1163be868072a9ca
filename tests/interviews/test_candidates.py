"""Candidates: the list, a candidate's page with their interview history, creating and
editing, and the CV (uploaded with limits, served only through a permission-checked view)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from interviews.models import Candidate
from accounts.roles import Role
from tests.conftest import assert_not_found_and_unchanged, make_user
from tests.factories import make_candidate, make_interview, make_position, make_scorecard

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def candidate(position):
    return make_candidate(position=position, name="Priya Raman", email="priya@example.com", stage="screen", source="Referral")


@pytest.fixture
def other_candidate(db):
    """A candidate of someone else's position."""
    position = make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER), recruiter=make_user("rec2", Role.RECRUITER), title="Hidden")
    return make_candidate(position=position, name="Hidden Person")


def form_data(position, **overrides):
    data = {"name": "Tomasz Wójcik", "email": "tomasz@example.com", "position": position.pk, "stage": "applied",
            "source": "LinkedIn", "notes": "Strong on serving.", "cv_url": ""}
    data.update(overrides)
    return data


def with_cv(candidate, content=PDF, name="cv.pdf"):
    candidate.cv_file = SimpleUploadedFile(name, content)
    candidate.save()
    return candidate


# --- Access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client, candidate):
    for url in ["/candidates/", "/candidates/new/", f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/",
                f"/candidates/{candidate.pk}/cv/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    assert client.post("/candidates/new/", form_data(candidate.position)).status_code == 302
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("role", ["outsider", "interviewer"])
def test_it_refuses_users_without_the_candidate_permissions(request, as_user, role, candidate):
    client = as_user(request.getfixturevalue(role))
    for url in ["/candidates/", "/candidates/new/", f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/"]:
        assert client.get(url).status_code == 403
    assert client.post("/candidates/new/", form_data(candidate.position)).status_code == 403
    assert Candidate.objects.count() == 1


def test_it_lets_hiring_managers_read_but_not_change_candidates(hm_client, candidate):
    assert hm_client.get("/candidates/").status_code == 200
    page = hm_client.get(f"/candidates/{candidate.pk}/").content.decode()
    assert "Priya Raman" in page
    assert f"/candidates/{candidate.pk}/edit/" not in page
    assert hm_client.get("/candidates/new/").status_code == 403
    assert hm_client.post(f"/candidates/{candidate.pk}/edit/", form_data(candidate.position)).status_code == 403
    candidate.refresh_from_db()
    assert candidate.name == "Priya Raman"


@pytest.mark.parametrize("role", ["hiring_manager", "recruiter"])
def test_it_hides_candidates_of_other_peoples_positions(request, as_user, role, candidate, other_candidate):
    client = as_user(request.getfixturevalue(role))
    assert "Hidden Person" not in client.get("/candidates/").content.decode()
    assert client.get(f"/candidates/{other_candidate.pk}/").status_code == 404


def test_it_answers_404_to_an_edit_of_someone_elses_candidate_and_changes_nothing(as_user, recruiter, other_candidate, position):
    url = f"/candidates/{other_candidate.pk}/edit/"
    assert_not_found_and_unchanged(as_user(recruiter), url, form_data(position, name="Renamed"), other_candidate)


def test_it_shows_admins_every_candidate(as_user, admin_user, candidate, other_candidate):
    html = as_user(admin_user).get("/candidates/").content.decode()
    assert "Priya Raman" in html and "Hidden Person" in html


# --- List -------------------------------------------------------------------------------


def test_it_searches_names_and_emails_and_filters_by_position_and_stage(as_user, recruiter, hiring_manager, position, candidate):
    growth = make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Data Scientist, Growth")
    make_candidate(position=growth, name="Sofia Marques", email="sofia@example.com", stage="interviewing")
    make_candidate(position=position, name="Daniel Kim", email="dk@corp.example.com", stage="applied")
    client = as_user(recruiter)

    def names(**params):
        return [c.name for c in client.get("/candidates/", params).context["page"].object_list]

    assert names() == ["Daniel Kim", "Priya Raman", "Sofia Marques"]
    assert names(q="sofia") == ["Sofia Marques"]
    assert names(q="corp.example") == ["Daniel Kim"]
    assert names(position=growth.pk) == ["Sofia Marques"]
    assert names(stage="screen") == ["Priya Raman"]
    assert names(position=position.pk, stage="interviewing") == []
    assert len(names(position="999999", stage="bogus")) == 3  # unknown filter values are ignored


# --- Detail: interview history ----------------------------------------------------------


def test_it_shows_the_interview_history_with_scorecard_states_but_no_scores(
    as_user, recruiter, candidate, interviewer, interviewer2
):
    third = make_user("int3", Role.INTERVIEWER, first_name="Ines", last_name="Third")
    interview = make_interview(candidate=candidate, interviewers=[interviewer, interviewer2, third], starts_at=timezone.now() - timedelta(days=1))
    make_scorecard(interview=interview, interviewer=interviewer, submit=True, summary="SECRET SUMMARY of the candidate")
    make_scorecard(interview=interview, interviewer=interviewer2, submit=False)
    response = as_user(recruiter).get(f"/candidates/{candidate.pk}/")
    [row] = response.context["interviews"]
    assert {person.username: state for person, state in row.panel} == {
        "int1": "submitted", "int2": "draft", "int3": "missing",
    }
    html = response.content.decode()
    assert interview.plan_name in html
    assert "Submitted" in html and "Draft" in html and "Missing" in html
    assert "SECRET SUMMARY" not in html
    assert f"/interviews/new/?candidate={candidate.pk}" in html


def test_it_calls_a_scorecard_not_yet_due_before_the_interview_ends(as_user, recruiter, candidate, interviewer):
    make_interview(candidate=candidate, interviewers=[interviewer])
    html = as_user(recruiter).get(f"/candidates/{candidate.pk}/").content.decode()
    assert "Not yet" in html and "Missing" not in html


# --- Create and edit --------------------------------------------------------------------


def test_it_preselects_the_position_given_in_the_query_string(as_user, recruiter, position):
    form = as_user(recruiter).get(f"/candidates/new/?position={position.pk}").context["form"]
    assert form.initial["position"] == position.pk


def test_it_ignores_a_preselected_position_the_recruiter_cannot_see(as_user, recruiter, other_candidate):
    form = as_user(recruiter).get(f"/candidates/new/?position={other_candidate.position_id}").context["form"]
    assert "position" not in form.initial


def test_it_creates_a_candidate(as_user, recruiter, position):
    response = as_user(recruiter).post("/candidates/new/", form_data(position), follow=True)
    candidate = Candidate.objects.get(name="Tomasz Wójcik")
    assert response.redirect_chain[-1][0] == f"/candidates/{candidate.pk}/"
    assert "Added Tomasz Wójcik to Senior ML Engineer, Ranking" in response.content.decode()


def test_it_refuses_a_position_the_recruiter_cannot_see(as_user, recruiter, other_candidate):
    response = as_user(recruiter).post("/candidates/new/", form_data(other_candidate.position))
    assert response.status_code == 400
    assert response.context["form"].errors["position"]
    assert not Candidate.objects.filter(name="Tomasz Wójcik").exists()


def test_it_refuses_the_same_email_twice_for_a_position_and_keeps_what_was_typed(as_user, recruiter, candidate):
    response = as_user(recruiter).post(
        "/candidates/new/", form_data(candidate.position, email="PRIYA@example.com", notes="Typed notes stay.")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already a candidate" in html
    assert "Typed notes stay." in html and 'value="Tomasz Wójcik"' in html


def test_it_edits_a_candidate(as_user, recruiter, candidate):
    response = as_user(recruiter).post(f"/candidates/{candidate.pk}/edit/", form_data(candidate.position, stage="offer"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.name, candidate.stage) == ("Tomasz Wójcik", "offer")


# --- CV files ---------------------------------------------------------------------------


def test_it_stores_an_uploaded_cv_under_a_random_name(as_user, recruiter, position):
    cv = SimpleUploadedFile("Tomasz CV.pdf", PDF, content_type="application/pdf")
    as_user(recruiter).post("/candidates/new/", {**form_data(position), "cv_file": cv})
    candidate = Candidate.objects.get(name="Tomasz Wójcik")
    assert candidate.cv_file.name.startswith("cvs/") and candidate.cv_file.name.endswith(".pdf")
    assert "Tomasz" not in candidate.cv_file.name


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cv.exe", b"MZ\x90\x00", "is not a PDF, DOC, DOCX or TXT file"),
        ("cv.html", b"<script>alert(1)</script>", "is not a PDF, DOC, DOCX or TXT file"),
        ("cv.pdf", b"<html>not a pdf</html>", "does not look like a PDF file"),
        ("cv.docx", b"plain text", "does not look like a DOCX file"),
        ("cv.txt", b"\x00\x01\x02binary", "is not a plain-text file"),
        ("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "CVs are limited to 5 MB"),
    ],
)
def test_it_refuses_a_cv_of_the_wrong_kind_or_size_with_a_clear_message(as_user, recruiter, position, name, content, message):
    response = as_user(recruiter).post("/candidates/new/", {**form_data(position), "cv_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "choose" in html.lower()
    assert 'value="Tomasz Wójcik"' in html
    assert not Candidate.objects.filter(name="Tomasz Wójcik").exists()


@pytest.mark.parametrize("name, content", [("cv.docx", DOCX), ("cv.txt", "Ünïcode CV text\n".encode()),
                                           ("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50)])
def test_it_accepts_docx_doc_and_text_cvs(as_user, recruiter, position, name, content):
    response = as_user(recruiter).post("/candidates/new/", {**form_data(position), "cv_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302


def test_it_refuses_both_a_cv_link_and_a_file(as_user, recruiter, position):
    data = {**form_data(position, cv_url="https://example.com/cv"), "cv_file": SimpleUploadedFile("cv.pdf", PDF)}
    response = as_user(recruiter).post("/candidates/new/", data)
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_the_link_plus_file_error_of_a_new_candidate_mentions_no_current_file(as_user, recruiter, position):
    data = {**form_data(position, cv_url="https://example.com/cv"), "cv_file": SimpleUploadedFile("cv.pdf", PDF)}
    [error] = as_user(recruiter).post("/candidates/new/", data).context["form"].errors["cv_url"]
    assert error == ("Give either a link to the CV or an uploaded file, not both. Clear the link to upload the file "
                     "(choose it again), or keep the link and leave the file out.")
    assert "Remove" not in error and "current file" not in error


def test_the_link_plus_file_error_points_to_remove_when_a_file_is_stored(as_user, recruiter, position):
    client = as_user(recruiter)
    client.post("/candidates/new/", {**form_data(position), "cv_file": SimpleUploadedFile("cv.pdf", PDF)})
    candidate = Candidate.objects.get()
    response = client.post(f"/candidates/{candidate.pk}/edit/", form_data(position, cv_url="https://example.com/cv"))
    assert response.status_code == 400
    assert response.context["form"].errors["cv_url"] == [
        "Give either a link to the CV or an uploaded file, not both. Clear the link, or tick “Remove” by the current file."
    ]


def test_it_replaces_a_cv_and_deletes_the_old_file(as_user, recruiter, candidate, media_root):
    with_cv(candidate)
    old = media_root / candidate.cv_file.name
    assert old.exists()
    data = {**form_data(candidate.position), "cv_file": SimpleUploadedFile("new.pdf", PDF + b"v2")}
    assert as_user(recruiter).post(f"/candidates/{candidate.pk}/edit/", data).status_code == 302
    candidate.refresh_from_db()
    assert not old.exists()
    assert (media_root / candidate.cv_file.name).read_bytes() == PDF + b"v2"


def test_it_removes_a_cv_when_asked(as_user, recruiter, candidate, media_root):
    with_cv(candidate)
    old = media_root / candidate.cv_file.name
    data = {**form_data(candidate.position), "cv_file-clear": "on"}
    assert as_user(recruiter).post(f"/candidates/{candidate.pk}/edit/", data).status_code == 302
    candidate.refresh_from_db()
    assert not candidate.cv_file and not old.exists()


def test_it_never_links_the_public_media_url(as_user, recruiter, candidate):
    with_cv(candidate)
    client = as_user(recruiter)
    for url in [f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/"]:
        html = client.get(url).content.decode()
        assert "/media/" not in html and candidate.cv_file.name not in html
        assert f"/candidates/{candidate.pk}/cv/" in html
    assert client.get("/media/" + candidate.cv_file.name).status_code == 404


@pytest.mark.parametrize("role", ["hiring_manager", "recruiter", "admin_user"])
def test_it_serves_the_cv_to_people_involved(request, as_user, role, candidate):
    with_cv(candidate)
    response = as_user(request.getfixturevalue(role)).get(f"/candidates/{candidate.pk}/cv/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_it_serves_the_cv_to_an_interviewer_on_the_panel_only(as_user, candidate, interviewer, interviewer2):
    with_cv(candidate, b"Plain CV", "cv.txt")
    make_interview(candidate=candidate, interviewers=[interviewer])
    response = as_user(interviewer).get(f"/candidates/{candidate.pk}/cv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "sandbox" in response["Content-Security-Policy"]
    assert as_user(interviewer2).get(f"/candidates/{candidate.pk}/cv/").status_code == 404


def test_it_refuses_the_cv_to_outsiders_and_other_positions_people(as_user, outsider, candidate, other_candidate, recruiter):
    with_cv(candidate)
    with_cv(other_candidate)
    assert as_user(outsider).get(f"/candidates/{candidate.pk}/cv/").status_code == 403
    assert as_user(recruiter).get(f"/candidates/{other_candidate.pk}/cv/").status_code == 404


def test_it_answers_404_when_there_is_no_cv_file(as_user, recruiter, candidate):
    assert as_user(recruiter).get(f"/candidates/{candidate.pk}/cv/").status_code == 404


def test_it_downloads_word_cvs_as_attachments(as_user, recruiter, candidate):
    with_cv(candidate, DOCX, "cv.docx")
    response = as_user(recruiter).get(f"/candidates/{candidate.pk}/cv/")
    assert response["Content-Disposition"].startswith('attachment; filename="priya-raman-cv.docx"')


# --- Query counts -------------------------------------------------------------------------

# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), the position filter's options, page
# count, page rows (with position and interview counts).
LIST_QUERIES = 7
# Session, user, permissions and group names (3), candidate with position, interviews with plan,
# their interviewers, their scorecards.
DETAIL_QUERIES = 8


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_is_constant(as_user, recruiter, position, interviewer, django_assert_num_queries, n):
    for _ in range(n):
        make_interview(candidate=make_candidate(position=position), interviewers=[interviewer])
    client = as_user(recruiter)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/candidates/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_detail_query_count_is_constant(
    as_user, recruiter, candidate, interviewer, interviewer2, django_assert_num_queries, n
):
    for i in range(n):
        interview = make_interview(candidate=candidate, interviewers=[interviewer, interviewer2])
        make_scorecard(interview=interview, interviewer=interviewer, submit=i % 2 == 0)
    client = as_user(recruiter)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(f"/candidates/{candidate.pk}/").status_code == 200
