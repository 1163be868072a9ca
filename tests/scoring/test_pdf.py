"""The debrief PDF: any name prints as typed (embedded Unicode fonts), the notes of the
scorecards the reader may see are in it, and its marks are explained."""

import io

import pytest
from pypdf import PdfReader

from scoring.pdf import LEGEND
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(hiring_manager, recruiter, interviewer, interviewer2):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position, name="王伟 Алексей Ødegård")
    return make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer, interviewer2])


def pdf_of(client, candidate):
    response = client.get(f"/candidates/{candidate.pk}/debrief/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader):
    """{font name: embedded?} for every font the pages use."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"]).split("+")[-1]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_it_prints_a_name_in_chinese_cyrillic_and_latin_as_typed(hm_client, interview, interviewer):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 2], summary="Алексей explained the trade-off — “clearly”.")
    text = text_of(pdf_of(hm_client, interview.candidate))
    assert "Debrief: 王伟 Алексей Ødegård" in text
    assert "Алексей explained the trade-off — “clearly”." in text


def test_it_embeds_every_font_it_uses(hm_client, interview, interviewer):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 2])
    fonts = fonts_of(pdf_of(hm_client, interview.candidate))
    assert fonts == {"PTSans": True, "PTSansBold": True, "WenQuanYiMicroHei": True}


def test_a_latin_name_does_not_load_the_fallback_font(hm_client, interview, interviewer):
    candidate = interview.candidate
    candidate.name = "Ada Lovelace"
    candidate.save(update_fields=["name"])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 2], summary="Plain words\non two lines")
    assert "WenQuanYiMicroHei" not in fonts_of(pdf_of(hm_client, candidate))


def test_a_polish_name_prints_as_typed_in_the_main_font(hm_client, interview, interviewer):
    # The code review read an older pdf.py that encoded text to Latin-1 with "replace", so
    # "Łukasz" printed as "?ukasz". PT Sans draws Latin Extended-A itself.
    candidate = interview.candidate
    candidate.name = "Łukasz Żółć"
    candidate.save(update_fields=["name"])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 2])
    reader = pdf_of(hm_client, candidate)
    assert "Debrief: Łukasz Żółć" in text_of(reader) and "?ukasz" not in text_of(reader)
    assert "WenQuanYiMicroHei" not in fonts_of(reader)


def test_a_name_no_font_has_still_gives_a_pdf(hm_client, interview):
    candidate = interview.candidate
    candidate.name = "أحمد 🙂 Ødegård"
    candidate.save(update_fields=["name"])
    assert "Ødegård" in text_of(pdf_of(hm_client, candidate))


def test_it_has_each_question_s_notes_and_skip_reasons_from_the_visible_scorecards(
        as_user, hiring_manager, interview, interviewer, interviewer2):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, None, 2], notes="Named two resampling methods",
                   skip_reason="Ran out of time after the second question")
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[1, 1, 1], submit=False, notes="A draft note nobody else may read")
    text = text_of(pdf_of(as_user(hiring_manager), interview.candidate))
    assert "Notes" in text
    assert "int1: Named two resampling methods" in text
    assert "int1 (skipped): Ran out of time after the second question" in text
    assert "A draft note nobody else may read" not in text
    # An interviewer still scoring sees no colleague's notes (the independence rule).
    assert "Named two resampling methods" not in text_of(pdf_of(as_user(interviewer2), interview.candidate))


def test_it_explains_its_marks(hm_client, interview, interviewer, interviewer2):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3, 2])
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[1, 3, 2])
    text = text_of(pdf_of(hm_client, interview.candidate))
    assert " (!)" in text  # 4 and 1 on the first question
    assert " ".join(LEGEND.split()) in " ".join(text.split())
    assert "(!) the scores of a question are 2 or more apart" in LEGEND
