"""Word, PDF and web-page imports, hostile files refused with a message naming the problem, and
the web preview's editing: fields edited, merge, split, untick, re-read the text, nothing typed
lost, and the bank holding exactly what was confirmed."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from questionbank.docparser import DocumentError, read_document
from questionbank.docparser.readers import read_source
from questionbank.models import Question
from tests.questionbank.corpus_files import text_to_docx, text_to_pdf

DEFAULTS = {"area": "data", "kind": "concept", "level": "mid", "roles": ["ds"]}
CORPUS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import"

GUIDE = """# Guide

**What is overfitting?**

Why we ask: It is the first thing that goes wrong.

Expected answer: The model learns noise in the training data.

**How do you choose k in k-means?**

Expected answer: Try several values and look for an elbow in the within-cluster error.
"""


def _upload(name, data):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


# --- readers and hostile files ---------------------------------------------------------------

def test_a_word_document_and_a_pdf_read_as_the_same_questions_as_their_text():
    expected = [q.title for q in read_document(GUIDE).questions]
    for name, data in (("g.docx", text_to_docx(GUIDE)), ("g.pdf", text_to_pdf(GUIDE))):
        source = read_source(name, data)
        assert [q.title for q in read_document(source.text).questions] == expected, name
        assert source.kind == name[-4:].lstrip(".")


def _zip(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,message", [
    ("bomb.docx", _zip({"[Content_Types].xml": "<x/>", "word/document.xml": b"\0" * (5 * 1024 * 1024)}), "zip bomb"),
    ("many.docx", _zip({f"part{n}.xml": "x" for n in range(2001)}), "files inside"),
    ("notword.docx", _zip({"hello.txt": "hi"}), "not a Word document"),
    ("broken.docx", b"PK\x03\x04" + b"garbage" * 100, "damaged or not a .docx"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word .doc"),
    ("broken.pdf", b"%PDF-1.4\n" + b"nonsense" * 50, "not a readable PDF"),
    ("deep.html", ("<div>" * 5000 + "What?" + "</div>" * 5000).encode(), "nests elements"),
    ("binary.txt", b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_hostile_or_broken_files_are_refused_with_a_message_naming_the_problem(name, data, message):
    with pytest.raises(DocumentError) as refused:
        read_document(read_source(name, data).text)
    assert message in str(refused.value)


def test_a_huge_line_is_refused_with_its_line_number():
    with pytest.raises(DocumentError) as refused:
        read_document("What is X?\n\n" + "a" * 30_000 + "\n")
    assert str(refused.value).startswith("Line 3: The line is 30,000 characters long")


def test_an_encrypted_pdf_and_a_scanned_one_are_named_as_such():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_to_pdf(GUIDE))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(DocumentError, match="encrypted"):
        read_source("locked.pdf", encrypted.getvalue())

    scanned = PdfWriter()
    scanned.add_blank_page(width=612, height=792)
    blank = io.BytesIO()
    scanned.write(blank)
    with pytest.raises(DocumentError, match="no text layer"):
        read_source("scan.pdf", blank.getvalue())


def test_a_web_page_drops_its_scripts_and_lists_its_navigation():
    html = ("<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>Home Pricing</nav>"
            "<h2>What is a confusion matrix?</h2><p>A table of predicted against actual classes.</p>"
            "<footer>Contact us</footer></body></html>")
    source = read_source("page.html", html.encode())
    assert "alert" not in source.text and "Pricing" not in source.text
    assert [d["reason"] for d in source.dropped] == ["navigation (HTML)", "page footer (HTML)"]
    assert read_document(source.text).questions[0].model_answer == "A table of predicted against actual classes."


@pytest.mark.django_db
def test_the_dry_run_json_keeps_its_shape_and_adds_the_dropped_lines(tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text("Share this article\n\nWhat is a baseline model?\n\nThe simplest model worth beating.\n")
    call_command("import_questions", str(path), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"questions", "warnings", "dropped"}
    assert set(out["questions"][0]) == {"title", "prompt", "why_we_ask", "model_answer", "evaluation", "key_points",
                                        "follow_ups"}
    assert out["dropped"] == [{"line": 1, "text": "Share this article"}]


@pytest.mark.django_db
def test_the_import_command_reads_a_word_document_and_names_a_broken_one(tmp_path, capsys):
    path = tmp_path / "guide.docx"
    path.write_bytes(text_to_docx(GUIDE))
    call_command("import_questions", str(path), "--dry-run", "--json")
    assert [q["title"] for q in json.loads(capsys.readouterr().out)["questions"]] == [
        "What is overfitting?", "How do you choose k in k-means?"]
    path.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(CommandError, match="damaged or not a .docx"):
        call_command("import_questions", str(path), "--dry-run")


# --- the web preview ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,data", [
    ("bomb.docx", _zip({"word/document.xml": b"\0" * (5 * 1024 * 1024)})),
    ("locked.pdf", b"%PDF-1.4\n%%EOF"),
    ("deep.html", ("<div>" * 5000).encode()),
])
def test_the_page_answers_a_hostile_file_with_a_message_and_keeps_the_form(hm_client, name, data):
    response = hm_client.post("/questions/import/", {"file": _upload(name, data), **DEFAULTS})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Could not read {name}:" in body
    assert 'value="data" selected' in body or "selected" in body


def _preview(hm_client, text):
    response = hm_client.post("/questions/import/", {"text": text, **DEFAULTS})
    assert response.status_code == 200, response.content.decode()[:2000]
    return hm_client.session["question_import_preview"]


def _fields(preview, **changes):
    """The preview form as the page would post it, with ``changes`` ({"q0-title": ...})."""
    data = {"token": preview["token"], "version": preview["version"]}
    for item in preview["items"]:
        n = item["index"]
        c = item["content"]
        data |= {f"q{n}-title": c["title"], f"q{n}-area": item["area"], f"q{n}-prompt": c["prompt"],
                 f"q{n}-why_we_ask": c["why_we_ask"], f"q{n}-model_answer": c["model_answer"],
                 f"q{n}-key_points": "\n".join(c["key_points"]), f"q{n}-criteria": "\n".join(c["criteria"]),
                 f"q{n}-follow_ups": "\n".join(f["question"] for f in c["follow_ups"])}
        data[f"q{n}-shown"] = "1"
        if item["include"]:
            data[f"q{n}-include"] = "on"
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


PASTED = """What is overfitting?

It is when a model learns the noise in its training data.

Explain why it matters for hiring.

It tells us whether the candidate tests models honestly.

How do you pick a learning rate?

Start from a range test.
Watch the loss curve.
Then decay it on a schedule.
"""


def test_the_preview_shows_every_field_in_full_with_lines_confidence_and_dropped(hm_client):
    response = hm_client.post("/questions/import/", {"text": "Share this article\n\n" + PASTED, **DEFAULTS})
    body = response.content.decode()
    assert "It is when a model learns the noise in its training data." in body
    assert "lines 3–5" in body and "high confidence" in body and "medium confidence" in body
    assert "Share this article" in body and "share or navigation" in body


def test_edits_merge_split_and_untick_are_kept_and_import_exactly_what_was_confirmed(hm_client):
    preview = _preview(hm_client, PASTED)
    assert [i["content"]["title"] for i in preview["items"]] == [
        "What is overfitting?", "Explain why it matters for hiring.", "How do you pick a learning rate?"]
    # Edit a title and merge question 2 into question 1, in one post: the edit is kept.
    hm_client.post("/questions/import/confirm/", _fields(preview, **{"q0-title": "Overfitting, explained",
                                                                       "action": "merge:1"}))
    preview = hm_client.session["question_import_preview"]
    assert [i["content"]["title"] for i in preview["items"]] == ["Overfitting, explained", "How do you pick a learning rate?"]
    assert "Explain why it matters for hiring." in preview["items"][0]["content"]["model_answer"]
    # Split the learning-rate question at "Then decay it on a schedule." (line 2 of its answer).
    response = hm_client.post("/questions/import/confirm/", _fields(preview, **{"q1-split_at": "2", "action": "split:1"}))
    assert response.status_code == 200
    preview = hm_client.session["question_import_preview"]
    assert [i["content"]["title"] for i in preview["items"]] == [
        "Overfitting, explained", "How do you pick a learning rate?", "Then decay it on a schedule."]
    # An invalid edit (empty prompt) on confirm: refused in words, everything typed kept.
    response = hm_client.post("/questions/import/confirm/", _fields(preview, **{"q2-prompt": "", "q2-why_we_ask": "typed",
                                                                                 "action": "confirm"}))
    assert response.status_code == 400
    assert "The prompt is empty" in response.content.decode()
    preview = hm_client.session["question_import_preview"]
    assert preview["items"][2]["content"]["why_we_ask"] == "typed"
    # Untick the split-off question and confirm.
    count = Question.objects.count()
    response = hm_client.post("/questions/import/confirm/", _fields(preview, **{"q2-include": None, "action": "confirm"}))
    assert response.status_code == 302
    assert Question.objects.count() == count + 2
    merged = Question.objects.get(current_revision__title="Overfitting, explained").current_revision
    assert merged.model_answer.startswith("It is when a model learns the noise")
    assert "It tells us whether the candidate tests models honestly." in merged.model_answer
    rate = Question.objects.get(current_revision__title="How do you pick a learning rate?").current_revision
    assert rate.model_answer == "Start from a range test.\nWatch the loss curve."
    assert not Question.objects.filter(current_revision__title="Then decay it on a schedule.").exists()


def test_reading_the_edited_text_again_keeps_edits_of_questions_that_read_the_same(hm_client):
    preview = _preview(hm_client, PASTED)
    edited_source = PASTED.replace("How do you pick a learning rate?", "How do you choose a learning rate?")
    hm_client.post("/questions/import/confirm/", _fields(preview, **{"q0-why_we_ask": "My own words.",
                                                                       "source": edited_source, "action": "reparse"}))
    preview = hm_client.session["question_import_preview"]
    assert preview["items"][0]["content"]["why_we_ask"] == "My own words."
    assert preview["items"][2]["content"]["title"] == "How do you choose a learning rate?"
    # Text that cannot be read: the preview stays, and the text typed is kept on the page.
    response = hm_client.post("/questions/import/confirm/", _fields(preview, source="Just a sentence.", action="reparse"))
    assert "Could not read the edited text" in response.content.decode()
    assert "Just a sentence." in response.content.decode()
    assert len(hm_client.session["question_import_preview"]["items"]) == 3


def test_a_form_from_an_older_page_is_not_applied(hm_client):
    preview = _preview(hm_client, PASTED)
    hm_client.post("/questions/import/confirm/", _fields(preview, action="merge:1"))
    response = hm_client.post("/questions/import/confirm/", _fields(preview, action="merge:1"))  # the old version
    assert response.status_code == 409
    assert len(hm_client.session["question_import_preview"]["items"]) == 2


def test_a_near_duplicate_of_a_bank_question_is_flagged_with_a_link(hm_client):
    existing = Question.objects.select_related("current_revision").first()
    preview = _preview(hm_client, f"Q1. {existing.current_revision.title}\n\nSome answer text.\n")
    item = preview["items"][0]
    assert item["similar"] and not item["include"]
    response = hm_client.post("/questions/import/confirm/", _fields(preview, action="update"))
    assert f'href="/questions/{item["similar"][0]["slug"]}/"' in response.content.decode()


def test_a_word_document_uploads_through_the_preview(hm_client):
    response = hm_client.post("/questions/import/", {"file": _upload("guide.docx", text_to_docx(GUIDE)), **DEFAULTS})
    assert response.status_code == 200
    assert "Found 2 questions (docx document)" in response.content.decode()


def test_a_long_document_is_edited_a_page_at_a_time_and_nothing_typed_is_lost(hm_client):
    text = "".join(f"Q{n}. What is idea number {n}?\n\nIt is the answer to {n}.\n\n" for n in range(1, 121))
    preview = _preview(hm_client, text)
    assert len(preview["items"]) == 120
    response = hm_client.post("/questions/import/confirm/", {"token": preview["token"], "version": preview["version"],
                                                             "action": "update"})
    body = response.content.decode()
    assert "Questions 1–50 of 120 (page 1 of 3)" in body and 'id="id_q50-title"' not in body
    # The form of page 1 (its 50 questions only) with one edit, then the next page.
    preview = hm_client.session["question_import_preview"]
    page_one = {k: v for k, v in _fields(preview, **{"q3-title": "Edited on page one"}).items()
                if not k.startswith("q") or int(k[1:].split("-")[0]) < 50}
    response = hm_client.post("/questions/import/confirm/", page_one | {"action": "page:2"})
    body = response.content.decode()
    assert "Questions 51–100 of 120 (page 2 of 3)" in body and 'id="id_q50-title"' in body
    preview = hm_client.session["question_import_preview"]
    assert preview["items"][3]["content"]["title"] == "Edited on page one"
    assert all(item["include"] for item in preview["items"])  # page 2's post leaves page 1's ticks alone
    count = Question.objects.count()
    page_two = {k: v for k, v in _fields(preview).items()
                if not k.startswith("q") or 50 <= int(k[1:].split("-")[0]) < 100}
    response = hm_client.post("/questions/import/confirm/", page_two | {"action": "confirm"})
    assert response.status_code == 302
    assert Question.objects.count() == count + 120
    assert Question.objects.filter(current_revision__title="Edited on page one").exists()


def _pdf_with_stream(stream):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>", stream]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def test_a_pdf_whose_page_unpacks_to_75_megabytes_is_refused_with_a_message():
    import zlib

    packed = zlib.compress(b" " * (76 * 1000 * 1000), 9)
    bomb = _pdf_with_stream(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    with pytest.raises(DocumentError) as refused:
        read_source("bomb.pdf", bomb)
    assert "decompression bomb" in str(refused.value) or "no text layer" in str(refused.value)


def test_pasted_html_is_read_as_a_web_page(hm_client):
    html = ("<article><nav>Blog · Careers</nav><h2>What is precision?</h2>"
            "<p>The share of flagged items that are truly positive.</p></article>")
    preview = _preview(hm_client, html)
    assert preview["source_kind"] == "html"
    assert preview["items"][0]["content"]["model_answer"] == "The share of flagged items that are truly positive."
    assert preview["reader_dropped"] == [{"line": 1, "text": "Blog · Careers", "reason": "navigation (HTML)"}]


@pytest.mark.parametrize("text,expected", [
    # The walkthrough's defect 9: bold question lines, and "Question:" with "Why interviewers ask this:".
    ("**What is overfitting?**\nIt is when a model learns noise.\n\n**What is regularisation?**\nA penalty.\n",
     [("What is overfitting?", "", "It is when a model learns noise."), ("What is regularisation?", "", "A penalty.")]),
    ("Question: What is overfitting?\nWhy interviewers ask this: It is basic.\nAnswer: Learning noise.\n\n"
     "Question: What is dropout?\nWhy interviewers ask this: It is common.\nAnswer: Zeroing units.\n",
     [("What is overfitting?", "It is basic.", "Learning noise."), ("What is dropout?", "It is common.", "Zeroing units.")]),
    # Numbers and labels after a symbol or emoji.
    ("➤ Q1. What is X?\n\n📌 Answer: X is Y.\n\n➤ Q2. What is Z?\n\n📌 Answer: Z is W.\n",
     [("What is X?", "", "X is Y."), ("What is Z?", "", "Z is W.")]),
    ("## 🧠 What is attention?\n\n### 🎯 What it tests\nReading of papers.\n\n### ✅ Expected answer\nWeights over positions.\n",
     [("What is attention?", "Reading of papers.", "Weights over positions.")]),
])
def test_common_layouts_with_symbols_and_prefixes_read_as_questions(text, expected):
    result = read_document(text)
    assert [(q.title, q.why_we_ask, q.model_answer) for q in result.questions] == expected


def test_a_word_document_with_automatic_numbering_bold_label_runs_and_a_table_reads_as_written():
    import docx

    document = docx.Document()
    document.add_heading("Interview questions", 0)
    for question, why, answer in [("What is a confusion matrix?", "Basic evaluation literacy.", "A table of outcomes."),
                                  ("Explain precision at k.", "Ranking teams use it.", "Relevant share of the top k.")]:
        document.add_paragraph(question, style="List Number")  # Word numbers it: no number in the text
        for label, text in (("Why we ask: ", why), ("Answer: ", answer)):
            paragraph = document.add_paragraph()
            paragraph.add_run(label).bold = True
            paragraph.add_run(text)
        document.add_paragraph("a key point", style="List Bullet")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Strong answer", "Reads the diagonal."
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_document(read_source("q.docx", buffer.getvalue()).text)
    assert [(q.title, q.why_we_ask, q.evaluation, q.key_points) for q in result.questions] == [
        ("What is a confusion matrix?", "Basic evaluation literacy.", "Reads the diagonal.", ["a key point"]),
        ("Explain precision at k.", "Ranking teams use it.", "Reads the diagonal.", ["a key point"]),
    ]


def test_a_pdf_written_by_another_tool_with_embedded_fonts_reads_as_its_text():
    """fpdf2 (the debrief's PDF library) with PT Sans embedded: a font program and encoding
    unlike the test corpus's standard fonts, wrapped by fpdf2's own line breaking."""
    import fontpkg_pt_sans
    from fpdf import FPDF

    fonts = Path(fontpkg_pt_sans.__file__).parent / "files"
    text = (CORPUS / "15-pdf-handout.txt").read_text()
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("PT", "", str(fonts / "PT_Sans-Web-Regular.ttf"))
    pdf.add_font("PT", "B", str(fonts / "PT_Sans-Web-Bold.ttf"))
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(4)
            continue
        heading = line.startswith("#")
        pdf.set_font("PT", "B" if heading else "", 16 if heading else 11)
        shown = line.lstrip("# ") if heading else "\u2022 " + line[2:] if line.startswith("- ") else line
        pdf.multi_cell(0, 9 if heading else 6, shown, new_x="LMARGIN", new_y="NEXT")
    result = read_document(read_source("handout.pdf", bytes(pdf.output())).text)
    expected = json.loads((CORPUS / "15-pdf-handout.expected.json").read_text())["questions"]
    for field in ("title", "why_we_ask", "model_answer", "follow_ups"):
        assert [getattr(q, field) for q in result.questions] == [q[field] for q in expected], field


def test_a_question_created_in_the_bank_after_the_preview_does_not_clash_on_confirm(hm_client):
    from questionbank.services import question_create

    preview = _preview(hm_client, "Q1. What is a brand new idea?\n\nIt is new.\n")
    slug = preview["items"][0]["slug"]
    question_create(slug=slug, area="data", kind="concept", level="mid", roles=["ds"],
                    content={"title": "Something else entirely", "prompt": "P"})
    response = hm_client.post("/questions/import/confirm/", _fields(preview, action="confirm"))
    assert response.status_code == 302
    assert Question.objects.get(current_revision__title="What is a brand new idea?").slug == f"{slug}-2"


@pytest.mark.parametrize("action,extra", [
    ("merge:0", {}), ("merge:99", {}), ("merge:-1", {}), ("merge:" + "9" * 5000, {}), ("split:1", {"q1-split_at": "0"}),
    ("split:1", {"q1-split_at": "²"}), ("split:1", {"q1-split_at": "99"}), ("split:x", {}), ("page:0", {}),
    ("page:99", {}), ("page:²", {}), ("reparse", {"source": "\x00"}), ("reparse", {"source": "a" * 30_000}),
    ("nonsense", {}), ("update", {"q0-title": "x" * 5000, "q0-area": "nowhere", "q0-criteria": "c" * 500}),
    ("confirm", {"q0-title": "x" * 5000}), ("confirm", {"q0-criteria": "c" * 500}), ("confirm", {"version": "abc"}),
])
def test_odd_or_hostile_preview_posts_get_a_page_never_a_server_error(hm_client, action, extra):
    preview = _preview(hm_client, PASTED)
    count = Question.objects.count()
    response = hm_client.post("/questions/import/confirm/", _fields(preview, action=action) | extra)
    assert response.status_code in (200, 302, 400, 409)
    if response.status_code == 400:  # a message beside the form, or the site's page for a NUL in a form
        assert "alert" in response.content.decode() or "That request could not be read" in response.content.decode()
    if action == "confirm" and response.status_code != 302:
        assert Question.objects.count() == count


@pytest.mark.django_db
def test_near_duplicates_found_for_many_titles_at_once_are_those_found_one_at_a_time():
    from questionbank.importing import similar_titles_of
    from questionbank.services import similar_titles

    titles = [q.title for q in Question.objects.order_by("slug")[:15]] + [
        "Bias variance trade-off", "Nothing at all like the bank", "How does gradient boosting work?", ""]
    many = similar_titles_of(dict(enumerate(titles)))
    for k, title in enumerate(titles):
        one = [{"slug": q.slug, "title": q.title, "similarity": round(q.similarity, 2)} for q in similar_titles(title)]
        assert [q["slug"] for q in many.get(k, [])] == [q["slug"] for q in one], title
    assert many[0] and not many.get(16)


def test_importing_with_nothing_ticked_keeps_what_was_typed(hm_client):
    preview = _preview(hm_client, PASTED)
    data = {k: v for k, v in _fields(preview, **{"q0-title": "Typed before unticking"}).items() if not k.endswith("-include")}
    response = hm_client.post("/questions/import/confirm/", data | {"action": "confirm"})
    assert response.status_code == 400
    assert "No questions were ticked" in response.content.decode()
    assert hm_client.session["question_import_preview"]["items"][0]["content"]["title"] == "Typed before unticking"


@pytest.mark.parametrize("title,area", [
    ("LLMs and RAG", "llm"), ("SQL for analysts", "sql"), ("Statistics and experimentation", "experimentation"),
    ("Fairness and privacy", "responsible-ai"), ("Research papers", "research"), ("ML system design", "system-design"),
    ("Coding", "ml-coding"), ("Deep learning", "deep-learning"), ("Behavioural", "experience"), ("Misc", "data"),
])
def test_a_section_title_names_its_area(title, area):
    from questionbank.importpreview import area_for_section

    assert area_for_section(title, "data") == area
