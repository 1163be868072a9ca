"""The debrief as a PDF (fpdf2: pure Python, no system libraries)."""

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Recommendation


def _t(text):
    """fpdf2's core fonts are Latin-1: replace what they cannot draw."""
    return str(text).replace("—", "-").replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'") \
        .encode("latin-1", "replace").decode("latin-1")


def debrief_pdf(candidate, data):
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _t(f"Debrief: {candidate.name}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    # The stage follows the decision (hire -> offer), so it is hidden with it.
    stage = "" if data["decisions_hidden"] else f" - stage: {candidate.get_stage_display()}"
    pdf.cell(0, 6, _t(f"{candidate.position.title}{stage}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    overall = data["overall"]
    pdf.cell(0, 6, _t(f"Overall weighted score: {overall:.2f} / 4" if overall is not None else "No scores yet"),
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if data["per_competency"]:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, "Per competency", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)
        with pdf.table(col_widths=(70, 30), text_align=("LEFT", "RIGHT"), width=100, align="LEFT") as table:
            table.row(["Competency", "Score"])
            for name, value in data["per_competency"].items():
                table.row([_t(name), f"{value:.2f}"])
        pdf.ln(3)
    for section in data["sections"]:
        interview = section["interview"]
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _t(f"{interview.plan_name} - {interview.starts_at:%Y-%m-%d %H:%M}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 9)
        names = [c.interviewer.get_full_name() or c.interviewer.username for c in section["cards"]]
        with pdf.table(col_widths=(60,) + (25,) * len(names)) as table:
            table.row(["Question"] + [_t(n) for n in names])
            for row in section["rows"]:
                cells = []
                for cell in row.cells:
                    if cell is None:
                        cells.append("-")
                    elif cell.skipped:
                        cells.append("skipped")
                    else:
                        cells.append(str(cell.score or "-"))
                table.row([_t(row.question.title[:70] + (" (!)" if row.disagreement else ""))] + cells)
        pdf.ln(2)
        for card in section["cards"]:
            pdf.set_font("Helvetica", "B", 10)
            who = card.interviewer.get_full_name() or card.interviewer.username
            pdf.cell(0, 6, _t(f"{who}: {Recommendation(card.recommendation).label}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(0, 5, _t(card.summary), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
    if data["missing"]:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, "Missing scorecards", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)
        for m in data["missing"]:
            who = m["interviewer"].get_full_name() or m["interviewer"].username
            pdf.cell(0, 6, _t(f"{who} - {m['interview'].plan_name}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # Empty for a reader still scoring (selectors.debrief hides the decisions from them).
    if data["decisions"]:
        d = data["decisions"][0]
        who = d.by.get_full_name() or d.by.username
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _t(f"Decision: {d.get_decision_display()} ({who}, {d.at:%Y-%m-%d})"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _t(d.rationale), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
