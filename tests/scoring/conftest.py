import pytest

from tests.factories import make_candidate, make_interview, make_plan, make_position


@pytest.fixture
def interview(hiring_manager, recruiter, interviewer, interviewer2):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position)
    plan = make_plan(position=position)
    return make_interview(candidate=candidate, plan=plan, interviewers=[interviewer, interviewer2], by=recruiter)


@pytest.fixture
def live_client(as_user, interviewer, interview):
    client = as_user(interviewer)
    client.get(f"/interviews/{interview.pk}/live/")  # opens the scorecard
    return client


@pytest.fixture
def plain_pdf(monkeypatch):
    """The debrief PDF drawn without stream compression, so a test can search its text."""
    from scoring import pdf

    class PlainPDF(pdf.FPDF):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.set_compression(False)

    monkeypatch.setattr(pdf, "FPDF", PlainPDF)
