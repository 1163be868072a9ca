"""Pass 2 of the document parser: ``Assembler`` walks the classified lines (from
``docparser_lines.scan``) and groups them into draft questions (``_Draft``), each with the
text under it and its labelled sections (``_Section``)."""

from .docparser_lines import (
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
    strip_emphasis,
)
from .docparser_types import MAX_QUESTIONS, DocumentError


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


class Assembler:
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
                    asks = ends_with_question_mark(text)
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
            if j < n and kinds[j] == TEXT and BULLET.match(lines[j]) is None:
                text = strip_emphasis(lines[j])
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
        self.current = _Draft(i + 1, number, level, " ".join(parts))
        self.closing_heading = None
        return last
