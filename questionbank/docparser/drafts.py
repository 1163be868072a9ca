"""Pass 2 of the document parser: ``Assembler`` walks the classified lines (from
``lines.scan``) and groups them into draft questions (``_Draft``), each with the
text under it and its labelled sections (``_Section``)."""

from .lines import (
    BLANK,
    BNUM,
    BULLET,
    FENCE,
    HEAD,
    LABEL,
    QHEAD,
    QNUM,
    RULE,
    TEXT,
    ends_with_question_mark,
    indent_width,
    strip_emphasis,
)
from .types import MAX_QUESTIONS, DocumentError


# --- pass 2: questions and their sections -------------------------------------------------------

class _Section:
    __slots__ = ("kind", "label", "line", "inline", "lines")

    def __init__(self, kind, label, line, inline):
        self.kind, self.label, self.line, self.inline = kind, label, line, inline
        self.lines = []


class _Draft:
    __slots__ = ("line", "number", "level", "text", "pre", "sections", "target", "how", "section", "end")

    def __init__(self, line, number, level, text, how="number", section=None):
        self.line, self.number, self.level, self.text = line, number, level, text
        self.how, self.section, self.end = how, section, line
        self.pre = []
        self.sections = []
        self.target = self.pre

    def add(self, raw, fenced=False):
        self.target.append((raw, fenced))

    def open_section(self, kind, label, line, inline):
        section = _Section(kind, label, line, inline)
        self.sections.append(section)
        self.target = section.lines


class Assembler:
    def __init__(self, lines, kinds, info):
        self.lines, self.kinds, self.info = lines, kinds, info
        self.drafts = []
        self.warnings = []
        self.current = None
        self.closing_heading = None
        self.last_number = None
        self.section = None  # the latest section title (a heading that is not a question)

    def run(self, bare_numbers, fallback_level):
        lines, kinds, info = self.lines, self.kinds, self.info
        n = len(lines)
        list_next = None  # next number of an ordered list running inside an answer
        first_indent = None
        plain_first = False  # an unnumbered question came before any numbered one
        i = 0
        while i < n:
            kind = kinds[i]
            cur = self.current
            if kind == TEXT and i in info and self._unnumbered_starts(i):
                if self.last_number is None:
                    # "1." lists in these questions' answers are not questions, unless they ask.
                    plain_first = True
                i = self._start(i, None, None, info[i][1], how=info[i][0])
                list_next = None
            elif kind == TEXT or kind == FENCE:
                if cur is not None:
                    if kind == TEXT:
                        self._note_question_in_paragraph(i)
                    cur.add(lines[i], kind == FENCE)
            elif kind == BLANK or kind == RULE:
                if cur is not None:
                    cur.add("")
            elif kind == LABEL and info[i][0] == "prompt":  # "Question: ..." / "Q: ..."
                if cur is None or not _numbered(cur) or _has_body(cur):
                    if self.last_number is None:
                        plain_first = True
                    i = self._start(i, None, None, info[i][2], how="prefix")
                else:  # just under "## 3. Overfitting": part of that question's text, as before
                    cur.add(lines[i])
                list_next = None
            elif kind == LABEL:
                self._label(i)
                list_next = None
            elif kind == QHEAD or kind == HEAD:
                level, text, number = info[i]
                if kind == QHEAD or (level == fallback_level and text):
                    if number is not None:
                        i = self._start(i, number[1], level, number[2])
                    else:
                        i = self._start(i, None, level, text, how="heading" if kind == QHEAD else "fallback")
                elif cur is not None and (cur.level is None or level <= cur.level):
                    self._close()
                    self.closing_heading = text
                    self.section = text
                elif cur is not None:
                    cur.add(lines[i])
                elif text:
                    self.section = text
                list_next = None
            elif kind == QNUM:
                number, text, _indent = info[i]
                i = self._start(i, number, None, text)
                list_next = None
            else:  # BNUM
                number, text, indent = info[i]
                is_question = False
                if bare_numbers and indent <= 3 and (first_indent is None or indent <= first_indent):
                    asks = ends_with_question_mark(text)
                    last = self.last_number
                    if last is None:
                        is_question = asks or not plain_first
                        first_indent = indent if is_question else None
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
            if self.current is not None and kinds[i] not in (BLANK, RULE):
                self.current.end = i + 1
            i += 1
        self._close()

    def _unnumbered_starts(self, i):
        """Whether the plain or bold candidate line ``i`` (see ``lines._mark_unnumbered``)
        starts a question here."""
        how, _text, after = self.info[i]
        cur = self.current
        if cur is None:
            return True
        if _numbered(cur):
            return False  # a paragraph of a numbered or heading question's answer
        kinds = self.kinds
        followed = after is not None and (
            kinds[after] in (TEXT, FENCE, BNUM) or (kinds[after] == LABEL and self.info[after][0] != "prompt")
        )
        if not followed:  # nothing of its own under it: a question only after an empty one
            return not _has_body(cur)
        section = cur.sections[-1] if cur.sections and cur.target is cur.sections[-1].lines else None
        if (
            section is not None
            and section.kind == "follow_ups"
            and how == "plain"
            and not any(BULLET.match(raw) for raw, fenced in section.lines if not fenced)
        ):
            # follow-up questions one per line: a new question has a label or an answer under it
            return kinds[after] == LABEL or (kinds[after] == TEXT and not ends_with_question_mark(self.lines[after]))
        return True

    def _note_question_in_paragraph(self, i):
        """Warn about a line ending in '?' read as text because no blank line comes before it."""
        cur, lines = self.current, self.lines
        line = lines[i]
        if (
            _numbered(cur)
            or i == 0
            or self.kinds[i - 1] != TEXT
            or indent_width(line) > 3
            or not ends_with_question_mark(line)
            or BULLET.match(line) is not None
            or BULLET.match(lines[i - 1]) is not None
            or lines[i - 1].rstrip(" \t*_").endswith((":", "\uff1a"))
        ):
            return
        self.warnings.append(
            f"Line {i + 1} ends in '?' but follows other text without a blank line, so it was read as "
            f"text under the question at line {cur.line}; put a blank line before it if it is a new question"
        )

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
            self.section = text
            return
        if self.current is None:
            if not self.drafts:
                raise DocumentError(f"'{label}' section at line {line} comes before any question", line=line)
            after = f" (it follows the heading '{self.closing_heading}')" if self.closing_heading else ""
            self.warnings.append(f"Line {line}: '{label}' section is not under any question{after}; ignored")
            return
        self.current.open_section(kind, label, line, rest)

    def _start(self, i, number, level, text, how="number"):
        """Open a question at line index ``i``; returns the index of the last line it used."""
        self._close()
        lines, kinds = self.lines, self.kinds
        n = len(lines)
        last = i
        if not text:  # the number stands alone: the question is the next non-empty plain line
            j = i + 1
            while j < n and kinds[j] == BLANK:
                j += 1
            if j < n and kinds[j] == TEXT and BULLET.match(lines[j]) is None:
                text = strip_emphasis(lines[j])
                last = j
            elif j < n and kinds[j] == LABEL and self.info[j][0] == "prompt" and self.info[j][2]:
                text = self.info[j][2]  # "Q1." then "Question: What is X?"
                last = j
        parts = [text] if text else []
        if parts and level is None:  # hard-wrapped question text
            while (
                not parts[-1].rstrip(" \t*_").endswith(("?", ".", "!", ":", "\uff1f"))
                and last + 1 < n
                and kinds[last + 1] == TEXT
                and BULLET.match(lines[last + 1]) is None
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
        self.current = _Draft(i + 1, number, level, " ".join(parts), how=how, section=self.section)
        self.closing_heading = None
        return last


def _numbered(draft):
    """A question opened by a number or a heading: its paragraphs never start questions."""
    return draft.number is not None or draft.level is not None


def _has_body(draft):
    return bool(draft.sections) or any(raw.strip() for raw, _fenced in draft.pre)
