"""The import corpus: documents in the layouts teams write (docs/examples/import/), each with the
questions it holds in a sidecar ``<name>.expected.json``. Word and PDF files are generated here
from the text of the documents whose sidecar lists them under ``also_as``, and read back through
the same readers an upload goes through.

The report printed (per document and in total) gives the exact question count agreement and the
per-field agreement over the fields of ``import_questions --dry-run --json``; the test fails below
100% count agreement or 95% field agreement. A 2 MB document's parse time is printed, not asserted.
"""

import json
import time
from pathlib import Path

import pytest

from questionbank.docparser import read_document
from questionbank.docparser.readers import read_source
from tests.questionbank.corpus_files import text_to_docx, text_to_pdf

CORPUS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import"
FIELDS = ("title", "prompt", "why_we_ask", "model_answer", "evaluation", "key_points", "follow_ups")


def _flat(value):
    if isinstance(value, list):
        return [" ".join(v.replace("**", "").split()) for v in value]
    return " ".join((value or "").replace("**", "").split())


def _documents():
    """(label, file name, bytes, expected) for every corpus document and generated variant."""
    for sidecar in sorted(CORPUS.glob("*.expected.json")):
        stem = sidecar.name[: -len(".expected.json")]
        source = next(p for p in CORPUS.iterdir() if p.stem == stem and p.suffix != ".json")
        expected = json.loads(sidecar.read_text())
        data = source.read_bytes()
        yield source.name, source.name, data, expected
        for kind in expected.get("also_as", []):
            text = data.decode("utf-8")
            generated = text_to_docx(text) if kind == "docx" else text_to_pdf(text)
            yield f"{stem}.{kind} (generated)", f"{stem}.{kind}", generated, expected


def _read(name, data):
    source = read_source(name, data)
    result = read_document(source.text)
    return result, source.dropped + result.dropped


def test_the_corpus_has_at_least_fifteen_documents_in_distinct_layouts():
    sidecars = [json.loads(p.read_text()) for p in CORPUS.glob("*.expected.json")]
    layouts = {s["layout"] for s in sidecars}
    assert len(sidecars) >= 15 and len(layouts) == len(sidecars)
    kinds = {k for s in sidecars for k in s.get("also_as", [])}
    assert {"docx", "pdf"} <= kinds
    assert any(p.suffix == ".html" for p in CORPUS.iterdir())


def test_the_corpus_reads_with_exact_counts_and_at_least_95_percent_of_fields(capsys):
    rows = []
    total_docs = exact_docs = total_fields = agreeing_fields = 0
    for label, name, data, expected in _documents():
        result, dropped = _read(name, data)
        got, want = result.questions, expected["questions"]
        total_docs += 1
        exact = len(got) == len(want)
        exact_docs += exact
        fields = agree = 0
        for k, wanted in enumerate(want):
            for field in FIELDS:
                fields += 1
                if k < len(got):
                    value = getattr(got[k], field)
                    agree += _flat(value) == _flat(wanted[field])
        total_fields += fields
        agreeing_fields += agree
        rows.append(f"{label:<42} {len(got):>3}/{len(want):<3} {'exact' if exact else 'WRONG':<6} "
                    f"fields {agree}/{fields} ({100 * agree / max(fields, 1):.1f}%)")
    count_rate = 100 * exact_docs / total_docs
    field_rate = 100 * agreeing_fields / total_fields
    with capsys.disabled():
        print("\n\nImport corpus (docs/examples/import/): questions found/expected, field agreement")
        print("\n".join(rows))
        print(f"TOTAL {total_docs} documents: exact count {exact_docs}/{total_docs} ({count_rate:.1f}%), "
              f"fields {agreeing_fields}/{total_fields} ({field_rate:.1f}%)\n")
    assert count_rate == 100
    assert field_rate >= 95


@pytest.mark.parametrize("label,name,data,expected", [pytest.param(*d, id=d[0]) for d in _documents()])
def test_every_clutter_line_of_a_corpus_document_is_dropped_and_listed_never_imported(label, name, data, expected):
    result, dropped = _read(name, data)
    listed = " \n".join(d["text"] for d in dropped)
    for text in expected["dropped"]:
        assert text in listed, f"{label}: {text!r} was not listed as dropped"
        for q in result.questions:
            if text == q.title:
                continue  # a contents entry names its question
            for field in FIELDS:
                assert text not in json.dumps(getattr(q, field), ensure_ascii=False), f"{label}: {text!r} in {field}"
    assert all(d["line"] >= 1 and d["text"] for d in dropped)


def test_section_headings_are_kept_as_the_questions_section_and_the_document_title_is_not():
    result, _ = _read("03-headings-sections.md", (CORPUS / "03-headings-sections.md").read_bytes())
    assert [q.section for q in result.questions] == [
        "Evaluation", "Evaluation", "Deep learning", "Deep learning", "Production and MLOps",
    ]
    result, _ = _read("01-numbered-bold-labels.md", (CORPUS / "01-numbered-bold-labels.md").read_bytes())
    assert {q.section for q in result.questions} == {""}


def test_every_question_has_its_line_range_and_a_confidence():
    result, _ = _read("07-instruction-lines.txt", (CORPUS / "07-instruction-lines.txt").read_bytes())
    assert [(q.line, q.end_line) for q in result.questions] == [(3, 5), (7, 9), (11, 13), (15, 17)]
    assert {q.confidence for q in result.questions} == {"medium"}  # read from layout: instruction lines
    result, _ = _read("01-numbered-bold-labels.md", (CORPUS / "01-numbered-bold-labels.md").read_bytes())
    assert {q.confidence for q in result.questions} == {"high"}


def _two_megabytes():
    paragraph = ("The answer explains the idea in plain words, names the trade-off it involves and says how "
                 "the candidate would check it on real data before trusting it in production. ") * 7
    parts, n = [], 0
    while sum(map(len, parts)) < 2_000_000:  # 2 MB, within the 2 MiB upload limit
        n += 1
        parts.append(f"Q{n}. How would you approach problem number {n} in a production system?\n\n"
                     f"Why interviewers ask this: it shows judgement on case {n}.\n\n"
                     f"Expected answer: {paragraph}\n- first key point of {n}\n- second key point of {n}\n\n")
    return "".join(parts), n


def test_a_two_megabyte_document_parse_time_is_reported(capsys):
    text, n = _two_megabytes()
    started = time.perf_counter()
    result = read_document(read_source("big.md", text.encode()).text)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n\n2 MB document ({len(text.encode()):,} bytes, {n} questions): parsed in {elapsed:.2f} s\n")
    assert len(result.questions) == n
