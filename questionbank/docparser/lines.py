"""Pass 1 of the document parser: the line kinds, the patterns and small helpers that read one
line (headings, question numbers, section labels, bullets, code fences), and ``scan``, which
gives every line of a document its kind and marks the unnumbered lines that may start a question
(plain or bold lines, see ``_mark_unnumbered``). Used by ``questionbank.docparser``."""

import re
import unicodedata

from .types import DocumentError

# --- line kinds ------------------------------------------------------------------------------

BLANK, TEXT, FENCE, RULE, HEAD, QHEAD, QNUM, BNUM, LABEL = range(9)

_Q_NUMBER = re.compile(r"(?:question|q)[ \t]*(?:no\.[ \t]*|#[ \t]*)?(\d{1,4})", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"\d{1,3}")
BULLET = re.compile("([ \t]*)(?:[-*+\u2022\u2023\u25e6\u25aa\u25b8\u25ba\u00b7]|\\d{1,3}[.)])[ \t]+(\\S.*)")

_S = r"[ \t]+"
_LABEL_PATTERNS = {
    "why": [
        rf"why{_S}(?:do{_S})?(?:interviewers|we){_S}ask(?:{_S}this)?(?:{_S}question)?",
        rf"why{_S}ask{_S}this(?:{_S}question)?",
        rf"why{_S}this{_S}question",
        rf"why{_S}(?:it|this){_S}matters",
        rf"what{_S}(?:it|this|this{_S}question){_S}(?:tests|is{_S}testing|assesses|checks|measures|probes)",
        rf"question{_S}explanation",
        r"explanation",
        r"purpose",
        r"rationale",
    ],
    "evaluation": [
        rf"evaluating{_S}(?:the{_S})?(?:responses|response|answers|answer|candidate)",
        rf"evaluation(?:{_S}criteria)?",
        rf"(?:what{_S}(?:to|we){_S})?look{_S}for",  # "Look for:" in Google Docs sheets
        rf"what{_S}(?:a{_S})?(?:good|strong|great){_S}answers?{_S}(?:looks{_S}like|look{_S}like|includes|covers)",
        rf"what{_S}good{_S}looks{_S}like",
        rf"(?:signs|signals){_S}of{_S}a{_S}(?:good|strong){_S}answer",
        rf"strong{_S}(?:answers?|responses?)",
        rf"how{_S}to{_S}evaluate",
        rf"(?:scoring{_S})?rubric",
        rf"scoring(?:{_S}guide)?",
        rf"grading(?:{_S}guide)?",
    ],
    "answer": [
        rf"(?:expected|model|sample|example|ideal|suggested|reference|good){_S}(?:answer|response|solution)",
        r"answer",
        r"a",
    ],
    "red_flags": [
        rf"red{_S}flags?",
        rf"common{_S}(?:mistakes|pitfalls|errors|misconceptions)",
        rf"(?:mistakes|pitfalls){_S}to{_S}avoid",
        r"pitfalls",
        rf"warning{_S}signs",
        rf"weak{_S}(?:answers?|responses?)",
        rf"what{_S}to{_S}avoid",
    ],
    "key_points": [
        rf"key{_S}(?:points|point|ideas|takeaways|concepts)(?:{_S}to{_S}cover)?",
        rf"talking{_S}points",
        rf"points{_S}to{_S}cover",
    ],
    "follow_ups": [
        rf"follow(?:-|{_S})?(?:ups?|on)(?:{_S}questions?)?",
        rf"probing{_S}questions",
        rf"probe{_S}further",  # Word guides: "Probe further"
        rf"(?:dig|go)(?:ging)?{_S}deeper",
    ],
    # not a section: "Question: ..." / "Q: ..." starts a question (drafts.py decides)
    "prompt": [r"question", r"q"],
}
_LABEL = re.compile(
    "(?:" + "|".join(f"(?P<{kind}>{'|'.join(alts)})" for kind, alts in _LABEL_PATTERNS.items()) + r")(?![\w-])",
    re.IGNORECASE,
)


# --- small helpers ---------------------------------------------------------------------------

def _skip_blanks(s, j):
    n = len(s)
    while j < n and s[j] in " \t":
        j += 1
    return j


def indent_width(line):
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def strip_emphasis(text):
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


def strip_symbols(text):
    """Remove leading emoji and symbols (``💡 Why we ask``, ``➤ Answer``, ``✅ Expected answer``):
    Unicode symbol characters, with the joiners and variation selectors emoji carry."""
    i, n = 0, len(text)
    while i < n and (text[i] in " \t" or unicodedata.category(text[i]) in ("So", "Sm", "Sk", "Sc", "Cf", "Mn")):
        i += 1
    return text[i:] if i else text


def ends_with_question_mark(text):
    return text.rstrip(" \t*_").endswith(("?", "\uff1f"))


def collapse(text):
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
    return kind, number, strip_emphasis(rest)


def _parse_label(s, is_heading):
    """Read a section label at the start of ``s`` (stripped), after any leading emoji or symbol
    (also inside the bold: ``**🚩 Red flags:**``). Returns ``(kind, label, rest)`` or None."""
    s = strip_symbols(s)
    opener = _opening_emphasis(s)
    if opener:
        inner = strip_symbols(s[len(opener):])
        s = opener + inner
    m = _LABEL.match(s, len(opener))
    if m is None:
        return None
    kind = m.lastgroup
    label = collapse(m.group(0))
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
    # Without a colon: a heading, a line that is only the bold label, or a plain line that is
    # nothing but the label ("Answer" on a line of its own, as printed booklets set them).
    if not colon and rest:
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

def scan(lines):
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
            if label is not None and label[0] == "prompt":  # "## Question: What is X" asks
                if label[2]:
                    kinds[idx] = QHEAD
                    info[idx] = (level, strip_emphasis(label[2]), None)
                    continue
                label = None
            if label is not None:
                kinds[idx] = LABEL
                info[idx] = (*label, level, strip_emphasis(text))
                continue
            number = _parse_number(strip_symbols(text)) if text else None
            asked = _outline_question(text) if number is None else None
            if asked is not None:  # "### 2.1 How do you ...?": the outline number is not the question
                kinds[idx] = QHEAD
                info[idx] = (level, asked, None)
                continue
            kinds[idx] = QHEAD if number is not None or ends_with_question_mark(text) else HEAD
            info[idx] = (level, strip_emphasis(text), number)
            continue
        number = _parse_number(strip_symbols(stripped))  # "➤ Q1. ..." is numbered too
        if number is not None:
            kinds[idx] = QNUM if number[0] == "q" else BNUM
            info[idx] = (number[1], number[2], indent_width(line))
            continue
        label = _parse_label(stripped, False)
        if label is not None:
            kinds[idx] = LABEL
            info[idx] = (*label, None, stripped)
            continue
        kinds[idx] = TEXT
    if fence is not None:
        raise DocumentError(f"Code fence opened at line {fence_line} is never closed", line=fence_line)
    _mark_unnumbered(lines, kinds, info)

    # "## Evaluation" can be a topic as well as a section label. A label heading is a section
    # title when plain section titles use the same level and no question heading is shallower.
    title_levels = set()
    question_level = 7
    for idx, details in info.items():
        if kinds[idx] == HEAD:
            title_levels.add(details[0])
        elif kinds[idx] == QHEAD:
            question_level = min(question_level, details[0])
    _demote_numbered_sections(kinds, info)
    _mark_instruction_headings(kinds, info, question_level)
    if title_levels:
        for idx, details in info.items():
            if kinds[idx] == LABEL and details[3] is not None:
                level = details[3]
                if level in title_levels and question_level >= level:
                    kinds[idx] = HEAD
                    info[idx] = (level, details[4], None)
    return kinds, info


_OUTLINE = re.compile(r"\d{1,3}(?:\.\d{1,3})+\.?[ \t]+(\S.*)")


def _outline_question(text):
    """The text of an outline-numbered heading that asks or instructs ("2.1 How ...?"), else None."""
    m = _OUTLINE.fullmatch(strip_emphasis(text))
    if m is None:
        return None
    rest = strip_emphasis(m.group(1))
    return rest if ends_with_question_mark(rest) or is_imperative(rest) else None


def _demote_numbered_sections(kinds, info):
    """Interview kits number their sections ("## 2. Modelling fundamentals") and put question
    headings under them. A bare-numbered heading that neither asks nor instructs, with deeper
    question headings under it, is a section title; so are its numbered siblings of the same
    level that do not ask ("## 1. How to use this kit")."""
    headings = sorted(idx for idx in info if kinds[idx] in (HEAD, QHEAD))
    section_levels = set()
    for k, idx in enumerate(headings):
        level, text, number = info[idx]
        if not _numbered_topic(kinds[idx], text, number):
            continue
        for later in headings[k + 1:]:
            if info[later][0] <= level:
                break
            if kinds[later] == QHEAD:
                section_levels.add(level)
                break
    for idx in headings:
        level, text, number = info[idx]
        if level in section_levels and _numbered_topic(kinds[idx], text, number):
            kinds[idx] = HEAD
            info[idx] = (level, text, None)


def _numbered_topic(kind, text, number):
    """A heading with a bare number ("## 2. Modelling") that neither asks nor instructs."""
    numbered = kind == QHEAD and number is not None and number[0] == "b"
    return numbered and not ends_with_question_mark(text) and not is_imperative(number[2])


def _mark_instruction_headings(kinds, info, question_level):
    """A heading that is an instruction ("Explain why a transformer needs positions.") among
    question headings of its level is a question too: web pages set every question in the same
    heading, with or without a '?'. Alone, a short heading such as "## Design" stays a title."""
    levels = {details[0] for idx, details in info.items() if kinds[idx] == QHEAD}
    if not levels:
        return
    for idx, details in info.items():
        if kinds[idx] == HEAD and details[0] in levels and len(details[1].split()) >= 3 and is_imperative(details[1]):
            kinds[idx] = QHEAD


# --- unnumbered question lines ---------------------------------------------------------------------

def _wholly_bold(stripped):
    """The text of a line that is bold from end to end (``**What is X?**``), else None."""
    for marker in ("**", "__"):
        if len(stripped) > 4 and stripped.startswith(marker) and stripped.endswith(marker):
            inner = stripped[2:-2].strip()
            if inner and marker not in inner:
                return inner
    return None


# A line asking for something without a question mark: "Explain ...", "Walk me through ...".
_IMPERATIVE = re.compile(
    r"(?:explain|describe|compare|contrast|define|discuss|outline|design|derive|sketch|implement|"
    r"write|list|name|summari[sz]e|justify|estimate|propose|critique|evaluate|diagnose|"
    r"(?:walk|talk|take)[ \t]+(?:me|us)[ \t]+through|tell[ \t]+(?:me|us)[ \t]+about|"
    r"give[ \t]+(?:an?|two|three|some|me|us)|show[ \t]+(?:me|us|how))\b",
    re.IGNORECASE,
)
IMPERATIVE_MAX_WORDS = 30


def is_imperative(text):
    """A single short sentence starting with an imperative verb, not introducing a list."""
    text = strip_symbols(text).strip()
    if not text or _IMPERATIVE.match(text) is None or text.rstrip(" \t*_").endswith((":", "\uff1a", ",", ";")):
        return False
    body = text.rstrip(" \t*_.!")
    return len(body.split()) <= IMPERATIVE_MAX_WORDS and ". " not in body


def _is_list_line(line, kind):
    return kind == BNUM or (kind == TEXT and BULLET.match(line) is not None)


def _mark_unnumbered(lines, kinds, info):
    """Mark the TEXT lines that may start a question without a number: ``info[idx]`` becomes
    ``(how, text, next_idx)``, ``how`` being ``"plain"`` or ``"bold"`` and ``next_idx`` the index of
    the next non-blank line (None at the end). A candidate is not a list item, indented at most
    three columns, not inside a list (indented under a list item) and does not follow a line
    ending in ``:`` (an introduction); then either it ends in ``?`` and stands alone (a blank
    line, a heading, a rule or the start of the document before it), or it is wholly bold and
    the next non-blank line is a section label. Whether a candidate does start a question
    depends on where it is, which ``drafts`` decides."""
    n = len(lines)
    previous = None  # index of the last non-blank line
    in_list = False
    next_idx = None
    following = [None] * n  # index of the next non-blank line after each line
    for idx in range(n - 1, -1, -1):
        following[idx] = next_idx
        if kinds[idx] != BLANK:
            next_idx = idx
    for idx, line in enumerate(lines):
        kind = kinds[idx]
        if kind == BLANK:
            continue
        indent = indent_width(line)
        listed = _is_list_line(line, kind)
        if kind == TEXT and not listed and indent <= 3 and not (in_list and indent > 0):
            stripped = line.strip()
            bold = _wholly_bold(stripped)
            text = bold if bold is not None else stripped
            after = following[idx]
            label_next = (
                after is not None and kinds[after] == LABEL and info[after][0] != "prompt"
            )
            alone = idx == 0 or kinds[idx - 1] in (BLANK, RULE, HEAD, QHEAD)
            introduced = previous is not None and lines[previous].rstrip(" \t*_").endswith((":", "\uff1a"))
            if not introduced and (
                (ends_with_question_mark(text) and alone) or (bold is not None and label_next)
            ):
                info[idx] = ("bold" if bold is not None else "plain", text, after)
            elif (
                not introduced
                and alone
                and (idx + 1 == n or kinds[idx + 1] == BLANK)
                and after is not None
                and (kinds[after] in (TEXT, BNUM, FENCE) or label_next)
                and is_imperative(text)
            ):
                info[idx] = ("imperative", text, after)
        if listed:
            in_list = True
        elif indent == 0:
            in_list = False
        previous = idx
