import pytest


@pytest.fixture
def live_client(as_user, interviewer, interview):
    client = as_user(interviewer)
    client.get(f"/interviews/{interview.pk}/live/")  # opens the scorecard
    return client


@pytest.fixture
def plain_pdf(monkeypatch):
    """The debrief PDF followed by its text, so a test can search the text in the response's
    bytes. (Its fonts are embedded and address glyphs by number, so the text itself is not in
    the file as written: pypdf reads it back, and it is appended after the end of the file.)"""
    import io

    from pypdf import PdfReader

    from scoring import pdf

    class PlainPDF(pdf.FPDF):
        def output(self, *args, **kwargs):
            data = bytes(super().output(*args, **kwargs))
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            return data + b"\n" + text.encode()

    monkeypatch.setattr(pdf, "FPDF", PlainPDF)
