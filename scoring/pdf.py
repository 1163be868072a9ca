"""The debrief as a PDF (fpdf2: pure Python, no system libraries).

Text is set in PT Sans (Latin and Cyrillic, regular and bold; the fontpkg-pt-sans package) and
any character it lacks (Chinese, Japanese, Korean, Greek...) in WenQuanYi Micro Hei (the
paperang-p2-fonts-cjk package). Both are embedded, subset to the characters used, so a name
prints as it was typed on any computer. The fallback font is read only for a document that
needs it: reading it costs most of a second.
"""

from functools import cache
from pathlib import Path

import fontpkg_pt_sans
import paperang_p2_fonts_cjk
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Recommendation
from .selectors import DISAGREEMENT_GAP, person_name

FONT, FALLBACK_FONT = "PTSans", "WQYMicroHei"
FONT_FILES = {
    "": Path(fontpkg_pt_sans.ROOT) / "files" / "PT_Sans-Web-Regular.ttf",
    "B": Path(fontpkg_pt_sans.ROOT) / "files" / "PT_Sans-Web-Bold.ttf",
}
FALLBACK_FILE = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"

# What the marks in the score tables mean, printed above the first table.
LEGEND = (
    f"In the score tables: (!) the scores of a question are {DISAGREEMENT_GAP} or more apart; * amended after "
    "the scorecard was submitted (see Amendments); skipped: not scored, with the reason under Notes; "
    "- no score recorded."
)
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


@cache
def _drawable():
    """The characters both weights of the main font can draw, read once per process."""
    cmaps = [set(TTFont(path, lazy=True).getBestCmap()) for path in FONT_FILES.values()]
    return frozenset.intersection(*map(frozenset, cmaps))


class _Document:
    """One PDF. Every text goes through ``text``, which adds the fallback font the first time
    a character needs it."""

    def __init__(self):
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        for style, path in FONT_FILES.items():
            self.pdf.add_font(FONT, style, str(path))
        self.has_fallback = False
        self.pdf.add_page()

    def text(self, value):
        text = str(value)
        if not self.has_fallback and any(ord(ch) not in _drawable() and ch.isprintable() for ch in text):
            self.pdf.add_font(FALLBACK_FONT, "", str(FALLBACK_FILE))
            # exact_match=False: bold text borrows the fallback's regular glyphs.
            self.pdf.set_fallback_fonts([FALLBACK_FONT], exact_match=False)
            self.has_fallback = True
        return text

    def heading(self, value, size=12, height=8):
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(0, height, self.text(value), **NEXT_LINE)

    def line(self, value, size=10, height=6, style=""):
        self.pdf.set_font(FONT, style, size)
        self.pdf.multi_cell(0, height, self.text(value), **NEXT_LINE)

    def output(self):
        return bytes(self.pdf.output())


def _cell_mark(cell, amended):
    if cell is None:
        mark = "-"
    elif cell.skipped:
        mark = "skipped"
    else:
        mark = str(cell.score or "-")
    return mark + (" *" if amended else "")


# How much of a question's title the table shows.
TITLE_CHARS = 70


def _short_title(question):
    """A DebriefQuestion's title cut to TITLE_CHARS; a design round's part keeps its phase at
    the end ("… · Monitoring"), the question's words are cut instead."""
    if len(question.title) <= TITLE_CHARS or not question.phase:
        return question.title[:TITLE_CHARS]
    suffix = f" · {question.phase}"
    return question.title[:TITLE_CHARS - len(suffix) - 1] + "…" + suffix


def _section(doc, section):
    pdf = doc.pdf
    interview = section["interview"]
    cards = section["cards"]
    doc.heading(f"{interview.plan_name} - {interview.starts_at:%Y-%m-%d %H:%M}")
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(60,) + (25,) * len(cards)) as table:
        table.row(["Question"] + [doc.text(person_name(c.interviewer)) for c in cards])
        for row in section["rows"]:
            amended = row.amended or [[] for _ in cards]
            marks = [_cell_mark(cell, bool(changes)) for cell, changes in zip(row.cells, amended)]
            table.row([doc.text(_short_title(row.question) + (" (!)" if row.disagreement else ""))] + marks)
    pdf.ln(2)
    for card in cards:
        amended = " *" if card.pk in section["amended_recommendations"] else ""
        doc.line(f"{person_name(card.interviewer)}: {Recommendation(card.recommendation).label}{amended}",
                 style="B")
        doc.line(card.summary, size=9, height=5)
        pdf.ln(1)
    _notes(doc, section)
    if section["amendments"]:
        doc.heading("Amendments", size=10, height=6)
        for a in section["amendments"]:
            after = ", after reading colleagues' scorecards" if a.after_reading else ""
            doc.line(f"* {a.words} - {a.by}, {a.at:%Y-%m-%d %H:%M} UTC{after}. Why: {a.reason}", size=9, height=5)
    pdf.ln(2)


def _notes(doc, section):
    """Each question's notes and skip reasons, from the scorecards of this section (those the
    reader may see: selectors.debrief chose them)."""
    names = [person_name(c.interviewer) for c in section["cards"]]
    written = []
    for row in section["rows"]:
        lines = []
        for name, cell in zip(names, row.cells):
            if cell is not None and cell.skipped and cell.skip_reason:
                lines.append(f"{name} (skipped): {cell.skip_reason}")
            if cell is not None and cell.notes.strip():
                lines.append(f"{name}: {cell.notes.strip()}")
        if lines:
            written.append((row.question.title, lines))
    if not written:
        return
    doc.heading("Notes", size=10, height=6)
    for title, lines in written:
        doc.line(title, size=9, height=5, style="B")
        for text in lines:
            doc.line(text, size=9, height=5)
        doc.pdf.ln(1)


def debrief_pdf(candidate, data):
    doc = _Document()
    doc.heading(f"Debrief: {candidate.name}", size=16, height=10)
    # The stage follows the decision (hire -> offer), so it is hidden with it.
    stage = "" if data["decisions_hidden"] else f" - stage: {candidate.get_stage_display()}"
    doc.line(f"{candidate.position.title}{stage}")
    overall = data["overall"]
    doc.line(f"Overall weighted score: {overall:.2f} / 4" if overall is not None else "No scores yet")
    doc.pdf.ln(2)
    if data["per_competency"]:
        doc.heading("Per competency")
        doc.pdf.set_font(FONT, "", 10)
        with doc.pdf.table(col_widths=(70, 30), text_align=("LEFT", "RIGHT"), width=100, align="LEFT") as table:
            table.row(["Competency", "Score"])
            for name, value in data["per_competency"].items():
                table.row([doc.text(name), f"{value:.2f}"])
        doc.pdf.ln(3)
    if data["sections"]:
        doc.line(LEGEND, size=8, height=4)
        doc.pdf.ln(2)
    for section in data["sections"]:
        _section(doc, section)
    if data["missing"]:
        doc.heading("Missing scorecards")
        for m in data["missing"]:
            doc.line(f"{m['name']} - {m['interview'].plan_name}")
    # Empty for a reader still scoring (selectors.debrief hides the decisions from them).
    if data["decisions"]:
        d = data["decisions"][0]
        doc.heading(f"Decision: {d.get_decision_display()} ({person_name(d.by)}, {d.at:%Y-%m-%d})")
        doc.line(d.rationale, height=5)
    return doc.output()
