"""A file over the form's limit is refused in the page before anything is sent, so what was
typed stays (the server would refuse it too, but only after the browser left the page)."""

import pytest

from interviews.models import Candidate
from tests.factories import make_position

pytestmark = pytest.mark.browser


def test_a_cv_over_the_limit_is_refused_before_sending_and_the_typed_fields_stay(open_session, people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    rec = open_session("file-limit")
    rec.login("rita")
    rec.goto("/candidates/new/")
    rec.page.get_by_label("Name").fill("Grace Hopper")
    rec.page.get_by_label("Email").fill("grace@example.com")
    rec.page.get_by_label("Position").select_option(str(position.pk))
    rec.page.get_by_label("Notes").fill("Referred by the compilers team.")
    big = b"%PDF-1.4\n" + b"0" * (7 * 1024 * 1024)
    rec.page.get_by_label("CV file").set_input_files(
        files=[{"name": "huge-cv.pdf", "mimeType": "application/pdf", "buffer": big}])

    rec.page.get_by_role("button", name="Add candidate").click()

    alert = rec.page.get_by_role("alert").filter(has_text="huge-cv.pdf is 7.0 MB; the limit is 5 MB")
    assert alert.is_visible()
    assert rec.page.url.endswith("/candidates/new/")
    assert rec.page.get_by_label("Notes").input_value() == "Referred by the compilers team."
    assert not Candidate.objects.exists()
    rec.shot("refused")

    # A file within the limit goes through as before.
    rec.page.get_by_label("CV file").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% small\n"}])
    assert not alert.is_visible()
    rec.page.get_by_role("button", name="Add candidate").click()
    rec.page.wait_for_url(lambda url: "/candidates/new/" not in url)
    assert Candidate.objects.get(email="grace@example.com").cv_file


def test_an_import_file_over_the_limit_is_refused_before_sending(open_session, people, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 1024
    hm = open_session("import-limit")
    hm.login("hannah")
    hm.goto("/questions/import/")
    hm.page.get_by_label("File").set_input_files(
        files=[{"name": "questions.md", "mimeType": "text/markdown", "buffer": b"Q1. Why?\n" * 400}])
    hm.page.get_by_role("button", name="Preview import").click()
    assert hm.page.get_by_role("alert").filter(has_text="questions.md is 4 KB; the limit is 1 KB").is_visible()
    assert hm.page.url.endswith("/questions/import/")
