"""Property-based tests (hypothesis) of the import parser with random and hostile input: it
never answers 500 and never writes anything before the preview is confirmed."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbank import docparser
from questionbank.models import Question
from questionbank.importing import ImportRefused, build_preview
from tests import hostile

pytestmark = pytest.mark.django_db
DEFAULTS = {"area": "data", "kind": "concept", "level": "mid", "roles": ["ds"]}

markdownish = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(["Q1.", "Q2:", "12.", "1)", "## 3. What is it?", "### Why we ask", "**Expected Answer:**",
                         "Evaluating Responses:", "- bullet", "* bullet", "```", "```python", "    indented", "#", "",
                         "Why interviewers ask this:", "Follow-ups:", "\x00", "\ufeff", "\r", "\t"]),
    ),
    max_size=40,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_the_document_parser_returns_questions_or_a_document_error(text):
    try:
        questions, warnings = docparser.parse_document(text)
    except docparser.DocumentError as exc:
        assert str(exc).startswith("Line ")
    else:
        assert questions
        for q in questions:
            assert q.title and q.prompt and q.line >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(markdownish, st.text(max_size=300), st.just('{"format": "panelist-questions", "version": 1, "questions": [{}]}'),
                 hostile.json_anything.map(lambda v: hostile.to_json({"format": "panelist-questions", "version": 1,
                                                                      "questions": [{"revisions": [v]}]}))),
       st.sampled_from(["x.md", "x.csv", "x.json", "x.txt"]))
def test_the_import_preview_only_ever_refuses_with_a_message_and_writes_nothing(db, text, name):
    before = Question.objects.count()
    try:
        preview = build_preview(name=name, text=text, defaults=DEFAULTS)
    except ImportRefused as exc:
        assert str(exc)
    else:
        assert preview["items"]
    assert Question.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=string.printable + "é—\x00", max_size=400))
def test_the_web_import_never_fails_with_a_500(hm_client, text):
    response = hm_client.post("/questions/import/", {"text": text, **DEFAULTS})
    assert response.status_code in (200, 400)




@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.docx", "a.pdf", "a.html", "a.txt", "a.md"]))
def test_any_bytes_uploaded_as_any_kind_of_file_read_or_give_a_document_error(data, name):
    from questionbank.docparser import DocumentError, read_document
    from questionbank.docparser.readers import read_source

    try:
        read_document(read_source(name, data).text)
    except DocumentError as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "<h2>", "</h2>", "<nav>", "</nav>", "<ul><li>", "<b>",
                                 "</b>", "<pre>", "</pre>", "<script>", "</script>", "What is X?", "Answer text.",
                                 "<br>", "<img alt='x'>", "&amp;", "<table><tr><td>", "</td>"]), max_size=300))
def test_any_mix_of_tags_reads_or_gives_a_document_error(parts):
    from questionbank.docparser import DocumentError, read_document
    from questionbank.docparser.readers import html_to_source

    try:
        read_document(html_to_source("<html>" + "".join(parts)).text)
    except DocumentError as exc:
        assert str(exc)
