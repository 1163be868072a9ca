from html import escape

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def timesince_delta(delta):
    """A timedelta as '2 days 3 hours' / '5 hours' / '40 minutes'."""
    seconds = int(delta.total_seconds())
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} hour{'s' if hours != 1 else ''}" if hours else "")
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _debrief_cell(cell):
    """One scorecard's cell: the score (or why it was skipped), the criteria met, the notes."""
    if cell is None:
        return "<td>—</td>"
    if cell.skipped:
        shown = f'<span class="text-secondary">Skipped: {escape(cell.skip_reason)}</span>'
    elif cell.score:
        shown = f'<span class="score-pill score-pill-{cell.score}">{cell.score}</span>'
    else:
        shown = "—"
    met = len(cell.criteria_met or ())
    if met:
        shown += f'<div class="small text-secondary">{met} criteri{"on" if met == 1 else "a"} met</div>'
    if cell.notes:
        shown += f'<div class="small">{linebreaksbr(cell.notes, autoescape=True)}</div>'
    return f"<td>{shown}</td>"


@register.simple_tag
def debrief_row(row):
    """One question's row of a debrief table (a selectors.DebriefRow): the question, then a
    cell per scorecard. Built here with f-strings (every text escaped, html.escape as Django's
    escape filter) and marked safe once: as template tags, the 50 rows and 100 cells of a
    five-interview debrief (nested ifs and filters per cell) cost ~4 ms a render, format_html
    per cell ~2 ms, this ~1 ms. (The page caches the rendered tables: debrief_cache.)"""
    q = row.question
    tr, flag = ('<tr class="table-warning">', '<span class="badge text-bg-warning">Scores 2+ apart</span>') \
        if row.disagreement else ("<tr>", "")
    return mark_safe(
        f'{tr}<th scope="row" class="fw-normal">{escape(q.title)}'
        f'<div class="small text-secondary">{escape(q.competency)} · weight {floatformat(q.weight, "-2")}</div>'
        f"{flag}</th>"
        + "".join(_debrief_cell(cell) for cell in row.cells) + "</tr>"
    )
