"""Export of the question bank, in three formats:

- JSON (``panelist-questions`` v1): lossless, every revision of every question; exporting and
  importing into an empty bank gives an identical bank.
- CSV: one row per question with its current revision, for spreadsheets; importable. A design
  round's phases are not in it (JSON carries them); importing a CSV row keeps them.
- Markdown: a readable document for people (export only; documents are imported through
  ``docparser``).

``csv_safe`` keeps every CSV cell this app writes from running as a spreadsheet formula;
``questionbank.importing`` reads these files back.
"""

import csv
import io
import json

from django.utils import timezone

from .models import SCORE_LEVELS, Area, Kind, Level, PlanCriterion, Question, RoleTrack, Status
from .services import CONTENT_FIELDS

JSON_FORMAT = "panelist-questions"
JSON_VERSION = 1
CSV_COLUMNS = [
    "slug", "area", "kind", "level", "roles", "status", "title", "prompt", "why_we_ask", "model_answer",
    "key_points", "follow_ups", "minutes", "criteria", "anchor_1", "anchor_2", "anchor_3", "anchor_4",
    "reference_solution", "coding_tests",
]


# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage return
# too, and the full-width forms that some spreadsheets read as their ASCII twins).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(value):
    """A CSV cell that no spreadsheet runs as a formula: text starting with a formula prefix
    gets a leading apostrophe, as does text that already starts with one (so ``csv_unquote``
    gives back exactly what was written). Numbers such as -0.53 are left alone. Every CSV this
    app writes (the bank export, the comparison export) passes every cell through here."""
    text = str(value)
    if text[:1] == "'":
        return "'" + text
    if text.startswith(FORMULA_PREFIXES):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def csv_unquote(text):
    """The inverse of ``csv_safe``, applied to every cell of an imported CSV, so exporting the
    bank and importing the file back is lossless."""
    if text[:1] == "'" and (text[1:2] == "'" or text[1:].startswith(FORMULA_PREFIXES)):
        return text[1:]
    return text


def _questions_for_export():
    return Question.objects.prefetch_related("revisions__criteria", "revisions__anchors").order_by("area", "slug")


def _revision_dict(rev):
    return {
        "number": rev.number,
        **{field: getattr(rev, field) for field in CONTENT_FIELDS},
        "criteria": [c.text for c in rev.own_criteria()],
        "anchors": {str(a.level): a.text for a in rev.own_anchors()},
        "phases": [
            {"name": p["name"], "minutes": p["minutes"], "focus": p["focus"], "criteria": p["criteria"],
             "anchors": {str(level): text for level, text in zip(SCORE_LEVELS, p["anchors"]) if text}}
            for p in rev.phase_rubrics()
        ],
        "change_note": rev.change_note,
        "created_at": rev.created_at.isoformat(),
    }


def export_json():
    questions = []
    for q in _questions_for_export():
        revisions = sorted(q.revisions.all(), key=lambda r: r.number)
        questions.append({
            "slug": q.slug, "area": q.area, "kind": q.kind, "level": q.level, "roles": q.roles,
            "status": q.status,
            "current_revision": next((r.number for r in revisions if r.pk == q.current_revision_id), None),
            "revisions": [_revision_dict(r) for r in revisions],
        })
    plan_criteria = [
        {"slug": c.slug, "title": c.title, "description": c.description, "red_flag": c.red_flag, "position": c.position}
        for c in PlanCriterion.objects.all()
    ]
    return json.dumps(
        {"format": JSON_FORMAT, "version": JSON_VERSION, "exported_at": timezone.now().isoformat(),
         "questions": questions, "plan_criteria": plan_criteria},
        indent=2, ensure_ascii=False,
    )


def _current(q):
    return next(r for r in q.revisions.all() if r.pk == q.current_revision_id)


def export_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in _questions_for_export():
        rev = _current(q)
        anchors = {a.level: a.text for a in rev.own_anchors()}
        writer.writerow(csv_safe(cell) for cell in [
            q.slug, q.area, q.kind, q.level, ";".join(q.roles), q.status, rev.title, rev.prompt, rev.why_we_ask,
            rev.model_answer, "\n".join(rev.key_points),
            json.dumps(rev.follow_ups, ensure_ascii=False) if rev.follow_ups else "",
            rev.minutes, "\n".join(c.text for c in rev.own_criteria()),
            *[anchors.get(level, "") for level in SCORE_LEVELS],
            rev.reference_solution, json.dumps(rev.coding_tests) if rev.coding_tests else "",
        ])
    return out.getvalue()


def export_markdown():
    lines = ["# Panelist question bank", "", f"Exported {timezone.now():%Y-%m-%d %H:%M} UTC.", ""]
    for n, q in enumerate(_questions_for_export(), 1):
        rev = _current(q)
        roles = ", ".join(RoleTrack(r).label for r in q.roles)
        lines += [
            f"## {n}. {rev.title}", "",
            f"*{Area(q.area).label} · {Kind(q.kind).label} · {Level(q.level).label} · {roles} · "
            f"{Status(q.status).label} · {rev.minutes} min · `{q.slug}` rev. {rev.number}*", "",
            f"**Question:** {rev.prompt}", "",
        ]
        if rev.why_we_ask:
            lines += [f"**Why we ask:** {rev.why_we_ask}", ""]
        if rev.model_answer:
            lines += ["**Model answer:**", "", rev.model_answer, ""]
        if rev.key_points:
            lines += ["**Key points:**", ""] + [f"- {k}" for k in rev.key_points] + [""]
        if rev.follow_ups:
            lines += ["**Follow-ups:**", ""] + [
                f"- {f['question']}" + (f" — *{f['good_answer']}*" if f.get("good_answer") else "")
                for f in rev.follow_ups
            ] + [""]
        criteria = rev.own_criteria()
        if criteria:
            lines += ["**Rubric criteria:**", ""] + [f"- {c.text}" for c in criteria] + [""]
        anchors = rev.own_anchors()
        if anchors:
            lines += ["**Score anchors:**", ""] + [f"{a.level}. {a.text}" for a in anchors] + [""]
        for phase in rev.phase_rubrics():
            lines += [f"**Phase {phase['index'] + 1}: {phase['name']}** ({phase['minutes']} min). {phase['focus']}", ""]
            lines += [f"- {text}" for text in phase["criteria"]] + [""]
            lines += [f"{level}. {text}" for level, text in enumerate(phase["anchors"], 1) if text] + [""]
        if rev.reference_solution:
            lines += ["**Reference solution:**", "", "```python", rev.reference_solution, "```", ""]
    return "\n".join(lines)


EXPORTERS = {
    "json": (export_json, "application/json", "json"),
    "csv": (export_csv, "text/csv", "csv"),
    "md": (export_markdown, "text/markdown", "md"),
}
