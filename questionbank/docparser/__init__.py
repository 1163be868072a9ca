"""Read interview questions out of a Markdown or plain-text document.

Teams keep their questions in documents, not in databases. This module turns such a
document into :class:`ParsedQuestion` records that the importer (``questionbank.importing``) shows in a
preview. The parser uses the standard library only; the readers of Word files and PDFs
(``readers``) use python-docx and pypdf. Nothing here depends on Django.

``read_document(text)`` returns a :class:`ParseResult` (questions, document warnings and the
lines dropped); ``parse_document(text)`` returns ``(questions, document_warnings)``. Both raise
:class:`DocumentError` (a ``ValueError`` whose text starts with ``"Line N: "``). It raises
nothing else, whatever it is given, and it works line by line without backtracking-prone
regular expressions, so large inputs (megabytes) take time proportional to their size.

Rules
=====

Lines and characters
    A leading BOM is dropped; ``\\r\\n`` and lone ``\\r`` end lines; trailing spaces and tabs
    are fine. A NUL anywhere, or non-printable characters making up more than 30% of the
    visible text, rejects the document (naming the first bad line): it is probably a binary
    file. A few stray control characters are removed, with a document warning. A line over
    ``MAX_LINE_CHARS`` (20,000) characters rejects the document, naming the line.

Dropped lines (``clutter.py``, before anything else)
    Web-page clutter (image lines and captions, promotions, share and navigation lines,
    breadcrumbs, bylines, footers, "Recommended reading"-style blocks) and tables of contents
    are blanked out, so line numbers stay true, and listed in ``ParseResult.dropped`` with their
    number, text and reason; so is every other non-blank line outside a question (an
    introduction, an ignored label), section titles excepted. Nothing is dropped silently.
    Word, PDF and HTML files are turned into text by ``readers.py`` first. A wiki export's
    ``<summary>Model answer</summary>`` line is read as its text, so a toggle labels what it
    folds; the bare ``<details>``/``<aside>`` tags are dropped.

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
       above, ends with ``?`` or starts with ``Question:``/``Q:`` (which is dropped); if it is
       numbered like an outline (``### 2.1 How do you ...?``, number dropped) and asks or
       instructs; or if it is an instruction of three words or more (``### Explain why ...``)
       at the level of other question headings. A bare-numbered heading that neither asks nor
       instructs and has question headings under it is a section title (``## 2. Modelling``),
       and so are its numbered siblings that do not ask. Other headings (``## Fundamentals``) are section titles: they
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
    4. Unnumbered question lines, in any mix with the layouts above:

       * ``Question: text`` / ``Q: text`` (optionally bold: ``**Question:** text``); the text
         may also be on the next non-empty line. It starts a question anywhere except directly
         under a numbered or heading question that has nothing under it yet (there it is that
         question's text, as before).
       * A plain line ending in ``?`` standing alone: a blank line, a heading, a rule or the
         start of the document before it.
       * A wholly bold line (``**What is X?**``, ``__What is X?__``) that ends in ``?`` and
         stands alone, or that has a section label on the next non-blank line (then the ``?``
         is optional: ``**Overfitting**`` above ``Why interviewers ask this:``).
       * An instruction (plain or bold) standing alone as a one-sentence paragraph (a blank line
         or the end after it) with answer text or a label under it: a line starting with
         Explain, Describe, Compare, Contrast, Define, Discuss, Outline, Design, Derive,
         Implement, Write, List, Name, Summarise, Justify, Estimate, Propose, Critique,
         Evaluate, Diagnose, Walk/Talk/Take me through, Tell me about, Give an/two/me, Show me,
         at most 30 words, not ending in ``:``.

       A plain or bold line is never a question when it is a list item, is indented more than
       three columns or under a list item, or follows a line ending in ``:`` (it is being
       introduced). It is answer text when it is inside a numbered or heading question
       (their answers keep their paragraphs, as before), when nothing but another question or
       the end follows it and the question before it already has text, and, in a follow-ups
       section written one per line (no bullets), when the line after it also ends in ``?``.
       The first such question turns bare numbers (rule 3) into list items, unless a
       bare-numbered question came first. A line ending in ``?`` right under other text (no
       blank line before it) in such a question's answer stays there, with a document warning
       saying a blank line would make it a question.
    5. If nothing above matched, every heading of the deepest heading level used (section
       labels such as ``### Expected Answer`` excluded) is a question, and a document warning
       says so.
    6. Otherwise the document has no questions: an error.

Labelled sections
    At the start of a line (indentation allowed, and after any leading emoji or symbol, also
    inside the bold: ``💡 Why we ask:``, ``**🚩 Red flags:**``), case-insensitive, optionally bold/italic
    (``**Expected Answer:**``, ``**Expected Answer**:``) or as a heading (``### Expected
    Answer``). Text on the same line needs the colon (``Answer: ...``); a heading, a line that is
    only the bold label, or a plain line that is nothing but the label (``Answer`` on a line of
    its own) does not. Text after the colon is the start of the section.

    ==========  ===============================================================
    why_we_ask  Why interviewers ask this / Why we ask (this) / Question
                Explanation / Explanation / Purpose / Rationale / Why it (this)
                matters / What it (this question) tests, assesses, checks
    answer      Expected answer / Answer / A: / Model, Sample, Example, Ideal,
                Suggested, Reference, Good answer / Expected, Model response
    evaluation  Evaluating responses / Evaluation (criteria) / (What to) look for /
                What a strong answer includes / What good looks like / Strong
                answer(s) / Signs, Signals of a strong answer / How to evaluate /
                Rubric / Scoring / Grading
    red flags   Red flags / Common mistakes, pitfalls, errors, misconceptions /
                Mistakes to avoid / Pitfalls / Warning signs / Weak answers
    key points  Key points (to cover) / Key ideas / Key takeaways / Key
                concepts / Talking points / Points to cover
    follow-ups  Follow-up(s) / Follow-on / Follow up questions / Probing
                questions / Probe further / Dig deeper
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
      prompt (it is part of the question as asked). In a question with neither, the
      paragraphs after the first of a "Why this matters" section are the model answer (Word
      guides set the answer there without a label), unless that paragraph ends with ``:``.
    * ``key_points``: items of "Key points" sections, then the bullet and numbered list items
      of the model answer (which keeps them in its text too). Nested bullets are folded into
      their parent item: ``parent (child; child)``.
    * ``follow_ups``: text after the label, then bullets, or each line if there are none.
    * Section text is dedented, runs of blank lines become one, fences are untouched; bullet
      glyphs (``•``, ``◦`` ...) become Markdown ``- `` bullets.
    * red flags: listed after the model answer under a "Red flags:" line (and in
      ``red_flags``).
    * ``title``: the question text without numbering, bold markers or leading symbols,
      whitespace collapsed, cut to 200 characters on a word boundary (ending with "…").
    * ``line``/``end_line``: the lines the question came from; ``section``: the latest section
      title above it (a heading that is not a question; a document's only level-1 heading
      before the first question is its title, not a section); ``confidence``: high for an
      explicit question marker with an answer or labels under it, medium when read from layout
      (an instruction line, a bold line without '?', the heading fallback), low with no
      question text or nothing under it, and ``confidence_reason`` in words.

Warnings
    Per question: no model answer found; question text is missing/very long (over 1000
    characters); a labelled section that is empty or given twice. Per document: duplicate
    questions (same text, ignoring case, markup and final punctuation) naming both lines,
    jumps in question numbering, ignored sections, removed control characters, and the
    heading fallback of rule 5, a line ending in '?' read as answer text (rule 4).

Limits
    More than 2000 questions is an error (split the file); at most 200 document warnings are
    listed.
"""

import re

from .clutter import find_clutter, unwrap_summaries
from .drafts import Assembler
from .finish import duplicate_key, finish
from .lines import BLANK, BNUM, HEAD, LABEL, QHEAD, QNUM, RULE, TEXT, scan
from .types import (
    BINARY_RATIO, MAX_DOCUMENT_WARNINGS, MAX_LINE_CHARS, NO_QUESTIONS, DocumentError, ParsedQuestion, ParseResult,
)

__all__ = ["DocumentError", "ParseResult", "ParsedQuestion", "parse_document", "read_document"]


# --- entry point -------------------------------------------------------------------------------

# Control characters (tab and newline excepted), lone surrogates and the replacement character.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


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
    lines = text.split("\n")
    for idx, line in enumerate(lines):
        if len(line) > MAX_LINE_CHARS:
            raise DocumentError(
                f"The line is {len(line):,} characters long; lines of up to {MAX_LINE_CHARS:,} characters are read. "
                "Is this a text document?", line=idx + 1,
            )
    return lines, warnings


def _parse(text):
    lines, warnings = _prepare(text)
    unwrap_summaries(lines)
    clutter = find_clutter(lines)
    dropped = []
    for idx in sorted(clutter):
        dropped.append({"line": idx + 1, "text": lines[idx].strip(), "reason": clutter[idx]})
        lines[idx] = ""
    if len(lines) == len(clutter) or not any(line.strip() for line in lines):
        raise DocumentError("Every line of the document looks like web-page clutter (navigation, captions, promotions)", line=1)
    kinds, info = scan(lines)

    has_q_numbers = has_question_headings = has_bare_candidates = has_unnumbered = False
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
        elif kind == TEXT or (kind == LABEL and details[0] == "prompt"):
            has_unnumbered = True  # a plain or bold question line, or "Question: ..."
    bare_numbers = not has_q_numbers and not has_question_headings
    fallback_level = None
    if bare_numbers and not has_bare_candidates and not has_unnumbered and deepest:
        fallback_level = deepest

    assembler = Assembler(lines, kinds, info)
    assembler.run(bare_numbers, fallback_level)
    if not assembler.drafts:
        raise DocumentError(NO_QUESTIONS, line=1)
    if fallback_level is not None:
        warnings.append(
            "No numbered questions or headings ending in '?' were found, "
            f"so every level-{fallback_level} heading was read as a question"
        )
    warnings.extend(assembler.warnings)

    # The document's title (its only top-level heading, before the first question) names the
    # document, not a section of it.
    top = [idx for idx, details in info.items() if kinds[idx] == HEAD and details[0] == 1]
    if len(top) == 1 and top[0] + 1 < assembler.drafts[0].line:
        title = info[top[0]][1]
        for draft in assembler.drafts:
            if draft.section == title:
                draft.section = None
    questions = [finish(d) for d in assembler.drafts]
    first_seen = {}
    for q in questions:
        key = duplicate_key(q.title)
        if not key:
            continue
        if key in first_seen:
            short = q.title if len(q.title) <= 80 else q.title[:79] + "\u2026"
            warnings.append(f'Duplicate question at lines {first_seen[key]} and {q.line}: "{short}"')
        else:
            first_seen[key] = q.line
    # Nothing is left out silently: every line outside the questions (an introduction, a
    # label under no question) is listed with the clutter. Section titles are kept as the
    # questions' section, so they are not listed.
    covered = bytearray(len(lines))
    for q in questions:
        covered[q.line - 1 : q.end_line] = b"\x01" * (q.end_line - q.line + 1)
    for idx, line in enumerate(lines):
        if not covered[idx] and kinds[idx] not in (BLANK, HEAD, RULE) and line.strip():
            dropped.append({"line": idx + 1, "text": line.strip(), "reason": "not under any question"})
    dropped.sort(key=lambda d: d["line"])
    if len(warnings) > MAX_DOCUMENT_WARNINGS:
        extra = len(warnings) - MAX_DOCUMENT_WARNINGS + 1
        warnings = warnings[: MAX_DOCUMENT_WARNINGS - 1] + [f"... and {extra} more warnings"]
    return ParseResult(questions, warnings, dropped)


def read_document(text: str) -> ParseResult:
    """Return the questions, document-level warnings and dropped lines of a document. Raise
    DocumentError for a malformed document."""
    try:
        return _parse(text)
    except DocumentError:
        raise
    except Exception as exc:  # pragma: no cover - a safety net: callers rely on DocumentError only
        raise DocumentError(f"The document could not be read ({type(exc).__name__})") from None


def parse_document(text: str) -> tuple[list[ParsedQuestion], list[str]]:
    """Return (questions, document-level warnings). Raise DocumentError for a malformed document."""
    result = read_document(text)
    return result.questions, result.warnings
