"""The document parser's last step: ``finish`` turns a draft question (``drafts``)
into a ``ParsedQuestion`` (section text rendered, key points and follow-ups listed, title made,
per-question warnings); ``duplicate_key`` is what duplicate questions are compared by."""

import re

from .lines import BULLET, collapse, indent_width, strip_symbols
from .types import LONG_QUESTION, TITLE_MAX, ParsedQuestion

# Bullet glyphs that Word, Google Docs and PDFs put in plain text ("• item"). The bank
# renders Markdown, where only "- " makes a list, so they are written as "- ".
_GLYPH_BULLET = re.compile(r"([ \t]*)[\u2022\u2023\u25e6\u25aa\u25b8\u25ba\u00b7][ \t]+(?=\S)")


# --- turning drafts into questions -------------------------------------------------------------

def _render(lines):
    """Join section lines: outer blank lines dropped, blank runs collapsed, common indent removed."""
    out = []
    pending_blank = False
    for raw, fenced in lines:
        if not fenced and not raw.strip():
            pending_blank = True
            continue
        if pending_blank and out:
            out.append("")
        pending_blank = False
        out.append(raw if fenced else _GLYPH_BULLET.sub(r"\1- ", raw.rstrip(), count=1))
    prefix = None
    for raw in out:
        if not raw.strip():
            continue
        lead = raw[: len(raw) - len(raw.lstrip(" \t"))]
        if prefix is None:
            prefix = lead
        elif not lead.startswith(prefix):
            k = 0
            while k < len(prefix) and k < len(lead) and prefix[k] == lead[k]:
                k += 1
            prefix = prefix[:k]
        if not prefix:
            break
    if prefix:
        cut = len(prefix)
        out = [raw[cut:] if raw.startswith(prefix) else raw for raw in out]
    return "\n".join(out)


def _clean_item(text):
    text = collapse(text)
    if text[:4] in ("[ ] ", "[x] ", "[X] "):
        text = text[4:]
    return text


def _list_items(lines):
    """Bullet and numbered-list items of some section lines (fenced code ignored)."""
    items = []
    current = None
    base = 0
    in_child = False
    previous_blank = False
    for raw, fenced in lines:
        if fenced:
            current = None
            previous_blank = False
            continue
        if not raw.strip():
            previous_blank = True
            continue
        m = BULLET.match(raw)
        if m is not None:
            indent = indent_width(m.group(1))
            text = _clean_item(m.group(2))
            if current is None or indent <= base + 1:
                base = indent if current is None else min(base, indent)
                current = [text, []]
                items.append(current)
                in_child = False
            else:
                current[1].append(text)
                in_child = True
        elif current is not None and (not previous_blank or indent_width(raw) > base):
            extra = collapse(raw)
            if in_child:
                current[1][-1] += " " + extra
            else:
                current[0] += " " + extra
        else:
            current = None
        previous_blank = False
    result = []
    for text, children in items:
        if children:
            text = f"{text.rstrip(':').rstrip()} ({'; '.join(children)})"
        result.append(text)
    return result


def _section_items(section, split_inline):
    items = []
    if section.inline:
        parts = section.inline.split(";") if split_inline else [section.inline]
        items.extend(collapse(p) for p in parts if p.strip())
    bullets = _list_items(section.lines)
    if bullets:
        items.extend(bullets)
    else:
        items.extend(collapse(raw) for raw, fenced in section.lines if not fenced and raw.strip())
    return items


def _split_why(section):
    """``(why lines, answer lines)`` of a "why we ask" section in a question with no answer text.

    Word guides put the answer straight after a one-paragraph "Why this matters", without a
    label of its own; a careful reader takes the paragraphs after the first as the answer. The
    first paragraph stays whole when it introduces what follows (ends with ``:``)."""
    lines = ([(section.inline, False)] if section.inline else []) + list(section.lines)
    seen_text = False
    for k, (raw, fenced) in enumerate(lines):
        if not fenced and not raw.strip():
            if seen_text:
                first = [line for line in lines[:k] if line[0].strip()]
                rest = lines[k + 1:]
                if first[-1][0].rstrip(" \t*_").endswith((":", "\uff1a")) or not any(r.strip() for r, _ in rest):
                    break
                return lines[:k], rest
            continue
        seen_text = True
    return lines, []


def _unique(items):
    seen = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _make_title(text):
    title = collapse(strip_symbols(text.replace("**", "").replace("__", "")))
    if len(title) <= TITLE_MAX:
        return title
    cut = title[: TITLE_MAX - 1]
    space = cut.rfind(" ")
    if space >= TITLE_MAX // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def finish(draft):
    warnings = []
    text = draft.text
    if len(text) > LONG_QUESTION:
        warnings.append(f"question text is very long ({len(text)} characters)")
    fallback = f"Question {draft.number}" if draft.number is not None else "Untitled question"
    title = _make_title(text) if text else ""
    if not title:
        warnings.append("question text is missing")
        title = fallback
        text = text or fallback
    prompt = text

    by_kind = {}
    for section in draft.sections:
        by_kind.setdefault(section.kind, []).append(section)

    def text_of(kind):
        sections = by_kind.get(kind, [])
        if len(sections) > 1:
            where = ", ".join(str(s.line) for s in sections)
            warnings.append(f"'{sections[0].label}' section appears {len(sections)} times (lines {where}); merged")
        parts = []
        for s in sections:
            body = _render(([(s.inline, False)] if s.inline else []) + s.lines)
            if body:
                parts.append(body)
            else:
                warnings.append(f"'{s.label}' section at line {s.line} is empty")
        return "\n\n".join(parts)

    why_we_ask = text_of("why")
    evaluation = text_of("evaluation")
    before_labels = _render(draft.pre)
    if "answer" in by_kind:
        model_answer = text_of("answer")
        answer_lines = [line for s in by_kind["answer"] for line in s.lines]
        if before_labels:
            prompt = f"{prompt}\n\n{before_labels}"
    else:
        model_answer = before_labels
        answer_lines = draft.pre
        if not model_answer and len(by_kind.get("why", [])) == 1:
            why_lines, answer_lines = _split_why(by_kind["why"][0])
            if answer_lines:
                why_we_ask, model_answer = _render(why_lines), _render(answer_lines)

    key_points = []
    for s in by_kind.get("key_points", []):
        found = _section_items(s, split_inline=True)
        if not found:
            warnings.append(f"'{s.label}' section at line {s.line} is empty")
        key_points.extend(found)
    key_points.extend(_list_items(answer_lines))
    follow_ups = []
    for s in by_kind.get("follow_ups", []):
        found = _section_items(s, split_inline=False)
        if not found:
            warnings.append(f"'{s.label}' section at line {s.line} is empty")
        follow_ups.extend(found)

    red_flags = []
    for s in by_kind.get("red_flags", []):
        found = _section_items(s, split_inline=False)
        if not found:
            warnings.append(f"'{s.label}' section at line {s.line} is empty")
        red_flags.extend(found)
    red_flags = _unique(red_flags)
    if red_flags:  # the bank has no field of its own for them: they follow the model answer
        listed = "\n".join(f"- {item}" for item in red_flags)
        model_answer = f"{model_answer}\n\nRed flags:\n{listed}" if model_answer else f"Red flags:\n{listed}"

    if not model_answer:
        warnings.append("no model answer found")
    confidence, reason = _confidence(draft, bool(model_answer), bool(text and title != fallback), bool(draft.sections))
    return ParsedQuestion(
        title=title,
        prompt=prompt,
        why_we_ask=why_we_ask,
        model_answer=model_answer,
        evaluation=evaluation,
        key_points=_unique(key_points),
        follow_ups=_unique(follow_ups),
        line=draft.line,
        warnings=warnings,
        end_line=max(draft.end, draft.line),
        red_flags=red_flags,
        section=collapse(strip_symbols((draft.section or "").replace("**", ""))),
        confidence=confidence,
        confidence_reason=reason,
    )


_HOW = {
    "number": "numbered",
    "heading": "a heading",
    "prefix": "a 'Question:' line",
    "plain": "a line ending in '?'",
    "bold": "a bold line",
    "imperative": "an instruction line (Explain…, Describe…)",
    "fallback": "a heading (no other questions found)",
}


def _confidence(draft, has_answer, has_text, has_labels):
    """How sure the parser is: high for explicit question markers with an answer under them,
    medium for a guess from layout (an instruction line, a heading read as a question, a
    bold line), low when the question text or any answer is missing."""
    how = _HOW.get(draft.how, draft.how)
    if not has_text:
        return "low", "no question text"
    if not has_answer and not has_labels:
        return "low", f"{how} with nothing under it"
    if draft.how in ("imperative", "fallback") or (draft.how == "bold" and not draft.text.rstrip(" *_").endswith("?")):
        return "medium", f"read from layout: {how}"
    return "high", f"{how}" + (" with labelled parts" if has_labels else " with an answer under it")


def duplicate_key(title):
    key = collapse(title.replace("*", "").replace("_", "").replace("`", "").casefold())
    return key.rstrip(" ?.!:\uff1f\u2026")
