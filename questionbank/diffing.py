"""Differences between two revisions, for the revision page.

Prose (prompt, model answer…) is diffed word by word. Lists (key points, follow-ups, rubric
criteria, anchors) are diffed item by item, one line each: an unchanged item stays one plain
line, a changed item shows as its old line removed and its new line added, so an edit of one
key point never seems to spill into the next. Anchors are compared level by level and each
line names its level ("3 · Good"). A design round's phases are diffed as lines too, each
naming its phase (phase_lines).
"""

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
    "anchors": "Score anchors",
    "reference_solution": "Reference solution",
    "coding_tests": "Test cases",
    "phases": "Phases",
}
LIST_FIELDS = {"key_points", "follow_ups", "criteria"}
ANCHOR_NAMES = {1: "Poor", 2: "Weak", 3: "Good", 4: "Excellent"}


def _as_text(value):
    if isinstance(value, dict):
        return json.dumps(value, indent=1, sort_keys=True) if value else ""
    return str(value)


def _item_text(item):
    if isinstance(item, dict):  # a follow-up
        return f"{item.get('question', '')} | {item.get('good_answer', '')}"
    return str(item)


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


def line_diff(old, new):
    """Lines of a list field: ``{"op": "same" | "removed" | "added", "text": ...}``, in order,
    each removed block before the block that replaced it."""
    a, b = [_item_text(i) for i in old], [_item_text(i) for i in new]
    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [{"op": "same", "text": text} for text in a[i1:i2]]
            continue
        lines += [{"op": "removed", "text": text} for text in a[i1:i2]]
        lines += [{"op": "added", "text": text} for text in b[j1:j2]]
    return lines


def anchor_diff(old, new):
    """Lines of the four anchors, level by level, each labelled with its level."""
    lines = []
    for level, (before, after) in enumerate(zip(old, new), 1):
        label = f"{level} · {ANCHOR_NAMES.get(level, '')}"
        if before == after:
            lines.append({"op": "same", "label": label, "text": after})
            continue
        if before:
            lines.append({"op": "removed", "label": label, "text": before})
        if after:
            lines.append({"op": "added", "label": label, "text": after})
    return lines


def phase_lines(phases):
    """A design round's phases as one line per thing an interviewer reads, each naming its
    phase ("Data · criterion: …"), so line_diff shows a changed criterion, anchor, focus or
    minutes as that one line removed and added."""
    lines = []
    for phase in phases:
        name = phase["name"]
        lines += [f"{name} · {phase['minutes']} min", f"{name} · focus: {phase['focus']}"]
        lines += [f"{name} · criterion: {text}" for text in phase["criteria"]]
        lines += [f"{name} · {level} {ANCHOR_NAMES.get(level, '')}: {text}"
                  for level, text in enumerate(phase["anchors"], 1) if text]
    return lines


def revision_diff(old, new):
    """Fields that differ between two revisions: prose with ``html`` (the word diff from old
    to new), lists and anchors with ``lines`` (see line_diff)."""
    a, b = old.text_fields(), new.text_fields()
    changes = []
    for field, label in FIELD_LABELS.items():
        if a[field] == b[field]:
            continue
        change = {"field": field, "label": label}
        if field == "anchors":
            change["lines"] = anchor_diff(a[field], b[field])
        elif field == "phases":
            change["lines"] = line_diff(phase_lines(a[field]), phase_lines(b[field]))
        elif field in LIST_FIELDS:
            change["lines"] = line_diff(a[field], b[field])
        else:
            change["html"] = word_diff(a[field], b[field])
        changes.append(change)
    return changes
