"""Read interview questions out of a Markdown or plain-text document.

Teams keep their questions in documents, not in databases. This module turns such a
document into :class:`ParsedQuestion` records that the importer (``transfer.py``) shows in a
preview. It uses the standard library only and has no Django dependency.

``parse_document(text)`` returns ``(questions, document_warnings)`` or raises
:class:`DocumentError` (a ``ValueError`` whose text starts with ``"Line N: "``). It raises
nothing else, whatever it is given, and it works line by line without backtracking-prone
regular expressions, so large inputs (megabytes) take time proportional to their size.

Rules
=====

Lines and characters
    A leading BOM is dropped; ``\\r\\n`` and lone ``\\r`` end lines; trailing spaces and tabs
    are fine. A NUL anywhere, or non-printable characters making up more than 30% of the
    visible text, rejects the document (naming the first bad line): it is probably a binary
    file. A few stray control characters are removed, with a document warning.

Code fences
    A line starting (after indentation) with three or more backticks or tildes opens a fence;
    a line of at least as many of the same character closes it. Everything in between is kept
    verbatim in whatever section it appears and is never read as structure. A fence that is
    never closed is an error naming the line where it opened.

Question numbers
    ``Q3.``, ``Q3:``, ``Q3)``, ``Q3 -``, ``Q3 text``, ``Question 3:``, ``3.``, ``12)``, with
    optional leading whitespace and optional bold (``**Q3.** text``, ``**3.** text``,
    ``**Q3. text**``). The question text follows on the same line; if the number stands alone,
    the next non-empty plain line is the question text. ``3.5`` (no space after the dot) is
    not a number.

Which lines start a question
    1. Headings (``#`` ... ``######``): a heading is a question if its text is numbered as
       above or ends with ``?``. Other headings (``## Fundamentals``) are section titles: they
       are ignored, and they end the question before them when their level is the same as or
       shallower than that question's heading (any section title ends a question that was not
       a heading). Deeper non-question headings inside a question are kept as its text.
    2. Lines numbered with a ``Q``/``Question`` prefix always start a question.
    3. Lines with a bare number (``3.``, ``12)``) start a question only when the document has
       no ``Q``-numbered questions and no question headings; otherwise they are list items.
       Even then, a bare-numbered line is a question only if it is indented no more than
       three columns and no deeper than the first question, and it fits the question
       sequence: the first one is a question; after that, a number that continues a list
       running inside the answer (``1.``, ``2.`` ...) stays a list item, unless it also
       continues the question sequence *and* ends in ``?``; otherwise the next question
       number (last + 1) is a question; a larger number is a question (numbering gap) only if
       the line ends in ``?``; anything else is a list item inside the answer.
    4. If nothing above matched, every heading of the deepest heading level used (section
       labels such as ``### Expected Answer`` excluded) is a question, and a document warning
       says so.
    5. Otherwise the document has no questions: an error.

Labelled sections
    At the start of a line (indentation allowed), case-insensitive, optionally bold/italic
    (``**Expected Answer:**``, ``**Expected Answer**:``) or as a heading (``### Expected
    Answer``). A plain line needs the colon; a heading or a line that is only the bold label
    does not. Text after the colon is the start of the section.

    ==========  ===============================================================
    why_we_ask  Why interviewers ask this / Why we ask (this) / Question
                Explanation / Purpose / Rationale / Why it matters
    answer      Expected answer / Answer / A: / Model, Sample, Example, Ideal,
                Suggested, Reference answer
    evaluation  Evaluating responses / Evaluation (criteria) / What to look for /
                Rubric / Scoring / Grading
    key points  Key points / Key ideas / Key takeaways / Key concepts
    follow-ups  Follow-up(s) / Follow up questions / Followups
    ==========  ===============================================================

    A heading that reads like a label is still a section title (a topic such as
    ``## Evaluation``) when plain section titles use the same heading level and no question
    heading is shallower, or when it is no deeper than the heading of the question it follows.

    A section runs until the next label, the next question or a heading that ends the
    question. A label before the first question is an error; a label after a section title
    that ended the previous question is ignored with a document warning.

What goes where
    * ``prompt``: the question text; a question line not ending in ``? . ! :`` continues on
      immediately following lines that start with a lowercase letter (hard-wrapped text).
    * Unlabelled text between the question and its first label is the model answer when the
      question has no answer section (so a question with no labels at all has everything under
      it as its model answer); when it does have an answer section, that text is added to the
      prompt (it is part of the question as asked).
    * ``key_points``: items of "Key points" sections, then the bullet and numbered list items
      of the model answer (which keeps them in its text too). Nested bullets are folded into
      their parent item: ``parent (child; child)``.
    * ``follow_ups``: text after the label, then bullets, or each line if there are none.
    * Section text is dedented, runs of blank lines become one, fences are untouched.
    * ``title``: the question text without numbering or bold markers, whitespace collapsed,
      cut to 200 characters on a word boundary (ending with "…").

Warnings
    Per question: no model answer found; question text is missing/very long (over 1000
    characters); a labelled section that is empty or given twice. Per document: duplicate
    questions (same text, ignoring case, markup and final punctuation) naming both lines,
    jumps in question numbering, ignored sections, removed control characters, and the
    heading fallback of rule 4.

Limits
    More than 2000 questions is an error (split the file); at most 200 document warnings are
    listed.
"""

import re
from dataclasses import dataclass, field

__all__ = ["DocumentError", "ParsedQuestion", "parse_document"]

TITLE_MAX = 200
LONG_QUESTION = 1000
MAX_DOCUMENT_WARNINGS = 200
MAX_QUESTIONS = 2000
BINARY_RATIO = 0.30

NO_QUESTIONS = "No questions found: number them (Q1., 1.) or use headings ending in '?'"


@dataclass
class ParsedQuestion:
    title: str
    prompt: str
    why_we_ask: str = ""
    model_answer: str = ""
    evaluation: str = ""
    key_points: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    line: int = 0
    warnings: list[str] = field(default_factory=list)


class DocumentError(ValueError):
    """The document cannot be read. ``str(err)`` is ``"Line N: message"`` when the line is known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"Line {line}: {message}" if line is not None else message)

    def __reduce__(self):
        return (type(self), (self.message, self.line))


# --- line kinds ------------------------------------------------------------------------------

BLANK, TEXT, FENCE, RULE, HEAD, QHEAD, QNUM, BNUM, LABEL = range(9)

# Control characters (tab and newline excepted), lone surrogates and the replacement character.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")

_Q_NUMBER = re.compile(r"(?:question|q)[ \t]*(?:no\.[ \t]*|#[ \t]*)?(\d{1,4})", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"\d{1,3}")
_BULLET = re.compile("([ \t]*)(?:[-*+\u2022\u2023\u25e6\u25aa\u25b8\u25ba\u00b7]|\\d{1,3}[.)])[ \t]+(\\S.*)")

_S = r"[ \t]+"
_LABEL_PATTERNS = {
    "why": [
        rf"why{_S}(?:do{_S})?(?:interviewers|we){_S}ask(?:{_S}this)?(?:{_S}question)?",
        rf"why{_S}ask{_S}this(?:{_S}question)?",
        rf"why{_S}this{_S}question",
        rf"why{_S}it{_S}matters",
        rf"question{_S}explanation",
        r"purpose",
        r"rationale",
    ],
    "answer": [
        rf"(?:expected|model|sample|example|ideal|suggested|reference|good|strong){_S}answer",
        r"answer",
        r"a",
    ],
    "evaluation": [
        rf"evaluating{_S}(?:the{_S})?(?:responses|response|answers|answer)",
        rf"evaluation(?:{_S}criteria)?",
        rf"what{_S}(?:to|we){_S}look{_S}for",
        rf"(?:scoring{_S})?rubric",
        rf"scoring(?:{_S}guide)?",
        rf"grading(?:{_S}guide)?",
    ],
    "key_points": [rf"key{_S}(?:points|point|ideas|takeaways|concepts)"],
    "follow_ups": [rf"follow(?:-|{_S})?ups?(?:{_S}questions?)?"],
}
_LABEL = re.compile(
    "(?:" + "|".join(f"(?P<{kind}>{'|'.join(alts)})" for kind, alts in _LABEL_PATTERNS.items()) + r")(?![\w-])",
    re.IGNORECASE,
)
_TEXT_KINDS = ("why", "answer", "evaluation")


# --- small helpers ---------------------------------------------------------------------------

def _skip_blanks(s, j):
    n = len(s)
    while j < n and s[j] in " \t":
        j += 1
    return j


def _indent_width(line):
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _strip_emphasis(text):
    """Remove bold markers wrapping the whole text: ``**What is X?**`` -> ``What is X?``."""
    text = text.strip()
    for _ in range(3):
        for marker in ("**", "__"):
            if len(text) > 4 and text.startswith(marker) and text.endswith(marker):
                text = text[2:-2].strip()
                break
        else:
            break
    return text


def _ends_with_question_mark(text):
    return text.rstrip(" \t*_").endswith(("?", "\uff1f"))


def _collapse(text):
    return " ".join(text.split())


def _opening_emphasis(s):
    for marker in ("**", "__", "*", "_"):
        if s.startswith(marker):
            if len(s) > len(marker) and not s[len(marker)].isspace():
                return marker
            return ""
    return ""


def _is_rule(stripped):
    """``---``, ``***``, ``___``, ``- - -``, ``===`` (thematic breaks, setext underlines)."""
    ch = stripped[0]
    if ch not in "-*_=":
        return False
    return stripped.count(ch) >= 3 and not stripped.replace(ch, "").strip(" \t")


def _parse_heading(line):
    """``(level, text)`` for an ATX heading (at most three spaces of indentation), else None."""
    i = 0
    n = len(line)
    while i < n and i < 4 and line[i] == " ":
        i += 1
    if i > 3 or i >= n or line[i] != "#":
        return None
    j = i
    while j < n and line[j] == "#":
        j += 1
    level = j - i
    if level > 6 or (j < n and line[j] not in " \t"):
        return None
    text = line[j:].strip()
    if text.endswith("#"):
        kept = text.rstrip("#")
        if not kept:
            text = ""
        elif kept[-1] in " \t":
            text = kept.rstrip()
    return level, text


def _parse_number(s):
    """Read question numbering at the start of ``s`` (already left-stripped).

    Returns ``(kind, number, rest)`` with kind ``"q"`` (Q/Question prefix) or ``"b"`` (bare
    number), or None.
    """
    n = len(s)
    opener = "**" if s.startswith("**") else "__" if s.startswith("__") else ""
    pos = len(opener)
    kind = "q"
    m = _Q_NUMBER.match(s, pos)
    if m is None:
        kind = "b"
        m = _BARE_NUMBER.match(s, pos)
        if m is None:
            return None
        number = int(m.group(0))
    else:
        number = int(m.group(1))
    pos = m.end()
    if pos < n and s[pos].isdigit():
        return None
    closed = False
    if opener and s.startswith(opener, pos):
        closed = True
        pos += 2
    if pos < n and s[pos] in ".:)":
        pos += 1
    elif kind == "b":
        return None
    else:
        j = _skip_blanks(s, pos)
        if j < n and s[j] in "-\u2013\u2014" and (j > pos or closed):
            pos = j + 1
        elif j == pos and j < n:
            return None
    if opener and not closed and s.startswith(opener, pos):
        closed = True
        pos += 2
    if pos < n and not s[pos].isspace():
        return None
    rest = s[pos:].strip()
    if opener and not closed and rest.endswith(opener):
        rest = rest[:-2].rstrip()
    return kind, number, _strip_emphasis(rest)


def _parse_label(s, is_heading):
    """Read a section label at the start of ``s`` (stripped). Returns ``(kind, label, rest)`` or None."""
    opener = _opening_emphasis(s)
    m = _LABEL.match(s, len(opener))
    if m is None:
        return None
    kind = m.lastgroup
    label = _collapse(m.group(0))
    n = len(s)
    j = _skip_blanks(s, m.end())
    if j < n and s[j] in "?\uff1f":
        j = _skip_blanks(s, j + 1)
    closed = False
    if opener and s.startswith(opener, j):
        closed = True
        j = _skip_blanks(s, j + len(opener))
    colon = False
    if j < n and s[j] in ":\uff1a":
        colon = True
        j = _skip_blanks(s, j + 1)
        if opener and not closed and s.startswith(opener, j):
            closed = True
            j = _skip_blanks(s, j + len(opener))
    rest = s[j:].strip()
    if len(label) == 1 and not colon:  # "A" is an answer label only as "A:"
        return None
    if not colon and (rest or not (is_heading or closed)):
        return None
    if opener and not closed and rest.endswith(opener):
        rest = rest[: -len(opener)].rstrip()
    return kind, label, rest


def _fence_opening(stripped):
    """``(char, length)`` when ``stripped`` opens a code fence, else None."""
    for ch in "`~":
        if stripped.startswith(ch * 3):
            length = len(stripped) - len(stripped.lstrip(ch))
            if ch == "`" and "`" in stripped[length:]:
                return None  # ```inline``` code, not a fence
            return ch, length
    return None


def _closes_fence(line, ch, length):
    s = line.strip()
    return len(s) >= length and not s.strip(ch)


# --- pass 1: what each line is -----------------------------------------------------------------

def _scan(lines):
    """Classify every line. Returns ``(kinds, info)``: a kind per line and details by line index."""
    kinds = bytearray(len(lines))
    info = {}
    fence = None
    fence_line = 0
    for idx, line in enumerate(lines):
        if fence is not None:
            kinds[idx] = FENCE
            if _closes_fence(line, *fence):
                fence = None
            continue
        stripped = line.strip()
        if not stripped:
            continue  # BLANK is 0
        opening = _fence_opening(stripped)
        if opening is not None:
            kinds[idx] = FENCE
            fence = opening
            fence_line = idx + 1
            continue
        if _is_rule(stripped):
            kinds[idx] = RULE
            continue
        heading = _parse_heading(line)
        if heading is not None:
            level, text = heading
            label = _parse_label(text, True) if text else None
            if label is not None:
                kinds[idx] = LABEL
                info[idx] = (*label, level, _strip_emphasis(text))
                continue
            number = _parse_number(text) if text else None
            kinds[idx] = QHEAD if number is not None or _ends_with_question_mark(text) else HEAD
            info[idx] = (level, _strip_emphasis(text), number)
            continue
        number = _parse_number(stripped)
        if number is not None:
            kinds[idx] = QNUM if number[0] == "q" else BNUM
            info[idx] = (number[1], number[2], _indent_width(line))
            continue
        label = _parse_label(stripped, False)
        if label is not None:
            kinds[idx] = LABEL
            info[idx] = (*label, None, stripped)
            continue
        kinds[idx] = TEXT
    if fence is not None:
        raise DocumentError(f"Code fence opened at line {fence_line} is never closed", line=fence_line)

    # "## Evaluation" can be a topic as well as a section label. A label heading is a section
    # title when plain section titles use the same level and no question heading is shallower.
    title_levels = set()
    question_level = 7
    for idx, details in info.items():
        if kinds[idx] == HEAD:
            title_levels.add(details[0])
        elif kinds[idx] == QHEAD:
            question_level = min(question_level, details[0])
    if title_levels:
        for idx, details in info.items():
            if kinds[idx] == LABEL and details[3] is not None:
                level = details[3]
                if level in title_levels and question_level >= level:
                    kinds[idx] = HEAD
                    info[idx] = (level, details[4], None)
    return kinds, info


# --- pass 2: questions and their sections -------------------------------------------------------

class _Section:
    __slots__ = ("kind", "label", "line", "inline", "lines")

    def __init__(self, kind, label, line, inline):
        self.kind, self.label, self.line, self.inline = kind, label, line, inline
        self.lines = []


class _Draft:
    __slots__ = ("line", "number", "level", "text", "pre", "sections", "target")

    def __init__(self, line, number, level, text):
        self.line, self.number, self.level, self.text = line, number, level, text
        self.pre = []
        self.sections = []
        self.target = self.pre

    def add(self, raw, fenced=False):
        self.target.append((raw, fenced))

    def open_section(self, kind, label, line, inline):
        section = _Section(kind, label, line, inline)
        self.sections.append(section)
        self.target = section.lines


class _Assembler:
    def __init__(self, lines, kinds, info):
        self.lines, self.kinds, self.info = lines, kinds, info
        self.drafts = []
        self.warnings = []
        self.current = None
        self.closing_heading = None
        self.last_number = None

    def run(self, bare_numbers, fallback_level):
        lines, kinds, info = self.lines, self.kinds, self.info
        n = len(lines)
        list_next = None  # next number of an ordered list running inside an answer
        first_indent = None
        i = 0
        while i < n:
            kind = kinds[i]
            cur = self.current
            if kind == TEXT or kind == FENCE:
                if cur is not None:
                    cur.add(lines[i], kind == FENCE)
            elif kind == BLANK or kind == RULE:
                if cur is not None:
                    cur.add("")
            elif kind == LABEL:
                self._label(i)
                list_next = None
            elif kind == QHEAD or kind == HEAD:
                level, text, number = info[i]
                if kind == QHEAD or (level == fallback_level and text):
                    if number is not None:
                        i = self._start(i, number[1], level, number[2])
                    else:
                        i = self._start(i, None, level, text)
                elif cur is not None and (cur.level is None or level <= cur.level):
                    self._close()
                    self.closing_heading = text
                elif cur is not None:
                    cur.add(lines[i])
                list_next = None
            elif kind == QNUM:
                number, text, _indent = info[i]
                i = self._start(i, number, None, text)
                list_next = None
            else:  # BNUM
                number, text, indent = info[i]
                is_question = False
                if bare_numbers and indent <= 3 and (first_indent is None or indent <= first_indent):
                    asks = _ends_with_question_mark(text)
                    last = self.last_number
                    if last is None:
                        is_question = True
                        first_indent = indent
                    elif list_next is not None and number == list_next:
                        is_question = number == last + 1 and asks
                    elif number == last + 1:
                        is_question = True
                    else:
                        is_question = number > last + 1 and asks
                    if not is_question:
                        list_next = list_next + 1 if list_next is not None and number == list_next else number + 1
                if is_question:
                    i = self._start(i, number, None, text)
                    list_next = None
                elif cur is not None:
                    cur.add(lines[i])
            i += 1
        self._close()

    def _close(self):
        if self.current is not None:
            if len(self.drafts) >= MAX_QUESTIONS:
                raise DocumentError(
                    f"The document has more than {MAX_QUESTIONS} questions: split it into smaller files",
                    line=self.current.line,
                )
            self.drafts.append(self.current)
            self.current = None

    def _label(self, i):
        kind, label, rest, level, text = self.info[i]
        line = i + 1
        cur = self.current
        if cur is not None and level is not None and cur.level is not None and level <= cur.level:
            # "## Evaluation" next to "## Q3. ..." headings is a topic, not Q3's section
            self._close()
            self.closing_heading = text
            return
        if self.current is None:
            if not self.drafts:
                raise DocumentError(f"'{label}' section at line {line} comes before any question", line=line)
            after = f" (it follows the heading '{self.closing_heading}')" if self.closing_heading else ""
            self.warnings.append(f"Line {line}: '{label}' section is not under any question{after}; ignored")
            return
        self.current.open_section(kind, label, line, rest)

    def _start(self, i, number, level, text):
        """Open a question at line index ``i``; returns the index of the last line it used."""
        self._close()
        lines, kinds = self.lines, self.kinds
        n = len(lines)
        last = i
        if not text:  # the number stands alone: the question is the next non-empty plain line
            j = i + 1
            while j < n and kinds[j] == BLANK:
                j += 1
            if j < n and kinds[j] == TEXT and _BULLET.match(lines[j]) is None:
                text = _strip_emphasis(lines[j])
                last = j
        parts = [text] if text else []
        if parts and level is None:  # hard-wrapped question text
            while (
                not parts[-1].rstrip(" \t*_").endswith(("?", ".", "!", ":", "\uff1f"))
                and last + 1 < n
                and kinds[last + 1] == TEXT
                and _BULLET.match(lines[last + 1]) is None
                and lines[last + 1].lstrip()[:1].islower()
            ):
                last += 1
                parts.append(lines[last].strip())
        if number is not None:
            if self.last_number is not None and number > self.last_number + 1:
                self.warnings.append(
                    f"Line {i + 1}: question numbering jumps from {self.last_number} to {number}"
                )
            self.last_number = number
        self.current = _Draft(i + 1, number, level, " ".join(parts))
        self.closing_heading = None
        return last


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
        out.append(raw if fenced else raw.rstrip())
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
    text = _collapse(text)
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
        m = _BULLET.match(raw)
        if m is not None:
            indent = _indent_width(m.group(1))
            text = _clean_item(m.group(2))
            if current is None or indent <= base + 1:
                base = indent if current is None else min(base, indent)
                current = [text, []]
                items.append(current)
                in_child = False
            else:
                current[1].append(text)
                in_child = True
        elif current is not None and (not previous_blank or _indent_width(raw) > base):
            extra = _collapse(raw)
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
        items.extend(_collapse(p) for p in parts if p.strip())
    bullets = _list_items(section.lines)
    if bullets:
        items.extend(bullets)
    else:
        items.extend(_collapse(raw) for raw, fenced in section.lines if not fenced and raw.strip())
    return items


def _unique(items):
    seen = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _make_title(text):
    title = _collapse(text.replace("**", "").replace("__", ""))
    if len(title) <= TITLE_MAX:
        return title
    cut = title[: TITLE_MAX - 1]
    space = cut.rfind(" ")
    if space >= TITLE_MAX // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def _finish(draft):
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

    if not model_answer:
        warnings.append("no model answer found")
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
    )


def _duplicate_key(title):
    key = _collapse(title.replace("*", "").replace("_", "").replace("`", "").casefold())
    return key.rstrip(" ?.!:\uff1f\u2026")


# --- entry point -------------------------------------------------------------------------------

def _prepare(text):
    """Check and normalise the raw text. Returns ``(lines, warnings)``."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = bytes(text).count(b"\n", 0, exc.start) + 1
            raise DocumentError("The document is not UTF-8 text", line=line) from None
    if not isinstance(text, str):
        raise DocumentError(f"Expected the document as text, got {type(text).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError("The document is empty", line=1)
    warnings = []
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise DocumentError("The document contains NUL bytes: is it a binary file?", line=line)
    first_bad = _BAD_CHARS.search(text)
    if first_bad is not None:
        line = text.count("\n", 0, first_bad.start()) + 1
        cleaned, bad = _BAD_CHARS.subn("", text)
        visible = len(text) - text.count("\n") - text.count(" ") - text.count("\t")
        if bad > BINARY_RATIO * max(visible, 1):
            raise DocumentError("The document is mostly non-printable characters: is it a binary file?", line=line)
        text = cleaned
        warnings.append(f"Removed {bad} non-printable character(s); the first was on line {line}")
        if not text.strip():
            raise DocumentError("The document is empty", line=1)
    return text.split("\n"), warnings


def _parse(text):
    lines, warnings = _prepare(text)
    kinds, info = _scan(lines)

    has_q_numbers = has_question_headings = has_bare_candidates = False
    deepest = 0
    for idx, details in info.items():
        kind = kinds[idx]
        if kind == QNUM:
            has_q_numbers = True
        elif kind == QHEAD:
            has_question_headings = True
            if details[2] is not None and details[2][0] == "q":
                has_q_numbers = True
        elif kind == BNUM:
            if details[2] <= 3:
                has_bare_candidates = True
        elif kind == HEAD and details[1]:
            deepest = max(deepest, details[0])
    bare_numbers = not has_q_numbers and not has_question_headings
    fallback_level = None
    if bare_numbers and not has_bare_candidates and deepest:
        fallback_level = deepest

    assembler = _Assembler(lines, kinds, info)
    assembler.run(bare_numbers, fallback_level)
    if not assembler.drafts:
        raise DocumentError(NO_QUESTIONS, line=1)
    if fallback_level is not None:
        warnings.append(
            "No numbered questions or headings ending in '?' were found, "
            f"so every level-{fallback_level} heading was read as a question"
        )
    warnings.extend(assembler.warnings)

    questions = [_finish(d) for d in assembler.drafts]
    first_seen = {}
    for q in questions:
        key = _duplicate_key(q.title)
        if not key:
            continue
        if key in first_seen:
            short = q.title if len(q.title) <= 80 else q.title[:79] + "\u2026"
            warnings.append(f'Duplicate question at lines {first_seen[key]} and {q.line}: "{short}"')
        else:
            first_seen[key] = q.line
    if len(warnings) > MAX_DOCUMENT_WARNINGS:
        extra = len(warnings) - MAX_DOCUMENT_WARNINGS + 1
        warnings = warnings[: MAX_DOCUMENT_WARNINGS - 1] + [f"... and {extra} more warnings"]
    return questions, warnings


def parse_document(text: str) -> tuple[list[ParsedQuestion], list[str]]:
    """Return (questions, document-level warnings). Raise DocumentError for a malformed document."""
    try:
        return _parse(text)
    except DocumentError:
        raise
    except Exception as exc:  # pragma: no cover - a safety net: callers rely on DocumentError only
        raise DocumentError(f"The document could not be read ({type(exc).__name__})") from None
