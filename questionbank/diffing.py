"""Word-level differences between two revisions, for the revision page."""

import difflib
import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

FIELD_LABELS = {
    "title": "Title",
    "prompt": "Prompt",
    "why_we_ask": "Why we ask",
    "model_answer": "Model answer",
    "key_points": "Key points",
    "follow_ups": "Follow-ups",
    "minutes": "Suggested minutes",
    "criteria": "Rubric criteria",
    "anchors": "Score anchors (1-4)",
    "reference_solution": "Reference solution",
    "coding_tests": "Test cases",
}


def _as_text(value):
    if isinstance(value, list):
        return "\n".join(
            f"{item.get('question', '')} | {item.get('good_answer', '')}" if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, indent=1, sort_keys=True) if value else ""
    return str(value)


def word_diff(old, new):
    """HTML of ``new`` against ``old`` with <del> and <ins> around changed words."""
    a, b = _as_text(old).split(" "), _as_text(new).split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def revision_diff(old, new):
    """Fields that differ between two revisions, each with the word diff from old to new."""
    a, b = old.text_fields(), new.text_fields()
    return [
        {"field": field, "label": label, "html": word_diff(a[field], b[field])}
        for field, label in FIELD_LABELS.items()
        if a[field] != b[field]
    ]
