"""Charts of the comparison, drawn on the server as SVG: no JavaScript, readable by screen
readers (role="img" with a <title> and a <desc> that summarises the data) and with every
number written on the chart. The table beside them is the data; the charts only help see it.

This module computes the geometry, and writes the repeated parts (bars, heat-map cells) as
markup, escaping the text people type (see _BAR); templates/scoring/includes/chart_*.html
write the rest through the template engine's escaping. Colours are presentation attributes (fill="#..."), never style
attributes: the content security policy forbids inline styles.

Dark mode: text, grid lines and empty cells carry CSS classes (static/css/panelist.css) whose
colours are Bootstrap's variables, and the one series drawn in black elsewhere is drawn in
``currentColor``, so the charts switch with the page's colour mode. The data colours (the
series and the heat map's scale) read on either background and stay the same.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .template_items import TemplateItems

MAX_ROWS = 20  # candidates drawn; the table lists them all
SCALE_MAX = 4
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
# Its black is currentColor: the page's text colour, so it stays visible in dark mode.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "currentColor", "#F0E442"]
# Sequential blues for the heat map, one stop per score 1..4.
HEAT_STOPS = {1: (0xEF, 0xF3, 0xFF), 2: (0xBD, 0xD7, 0xE7), 3: (0x6B, 0xAE, 0xD6), 4: (0x21, 0x71, 0xB5)}
EMPTY_FILL = "#f1f3f5"  # overridden by the chart-empty class, which follows the colour mode
# Pure black, not the body text colour: with it, every cell of the scale reaches 4.5:1 contrast.
DARK_TEXT, LIGHT_TEXT = "#000000", "#ffffff"
CHAR_WIDTH = 7  # px per character of 12px text, a generous estimate for layout
CELL_WIDTH, CELL_HEIGHT = 84, 28  # a heat-map cell and the gap to the next


def _truncate(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _hex(rgb):
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def heat_colour(score):
    """The fill of a heat-map cell: linear interpolation between the stops for 1..4."""
    score = min(max(score, 1.0), float(SCALE_MAX))
    low = min(int(score), SCALE_MAX - 1)
    t = score - low
    a, b = HEAT_STOPS[low], HEAT_STOPS[low + 1]
    return _hex(tuple(round(x + (y - x) * t) for x, y in zip(a, b)))


def _luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=1024)  # a pure function of a few hundred fills; 200 heat-map cells each ask
def text_colour(fill):
    """Dark or light text, whichever contrasts more with ``fill``."""
    return DARK_TEXT if contrast(fill, DARK_TEXT) >= contrast(fill, LIGHT_TEXT) else LIGHT_TEXT


def _best(rows, competency):
    scored = [(r.competency_scores.get(competency), r.candidate.name) for r in rows]
    scored = [(v, n) for v, n in scored if v is not None]
    if not scored:
        return ""
    top = max(v for v, _ in scored)
    names = [n for v, n in scored if v == top]
    return f"highest in {competency}: {', '.join(names)} ({top:.2f})"


def _summary(rows, competencies, total):
    shown = f"{len(rows)} of {total} candidates" if len(rows) < total else f"{len(rows)} candidate{'s' if len(rows) != 1 else ''}"
    parts = [_best(rows, c) for c in competencies]
    text = f"{shown}, scores from 1 to {SCALE_MAX}"
    if any(parts):
        text += "; " + "; ".join(p for p in parts if p)
    return text + ". Every number is also in the table."


# --- Grouped bars ---------------------------------------------------------------------------


@dataclass
class Bar:
    """One bar, placed within its group (its group is translated to the axis and its top)."""

    y: float  # the bar's top, within its group
    width: float
    fill: str
    label: str  # the value written beside the bar
    label_x: float
    competency: str
    title: str = ""  # "<candidate>, <competency>: <value>", the tooltip


# The bars' and the heat map cells' markup is written here rather than in the chart templates:
# through the template engine the 180 bars and 200 cells of 20 candidates by 9 competencies
# took ~4.4 ms (~2,000 template variables, half of the comparison page's), with format_html
# ~4 ms (it escapes every number too), with str.format ~0.6 ms (bench data, 5 December). So
# the text people type (a candidate's name, a competency in a bar's title) is escaped here,
# by hand, and everything else written is a number or a colour this module computes.
_BAR = ('<g transform="translate(0 {})"><rect width="{}" height="12" fill="{}"><title>{}</title></rect>'
        '<text x="{}" y="10" class="chart-value">{}</text></g>\n')
_GROUP = ('<g transform="translate({} {})"><text x="-8" y="{}" text-anchor="end" class="chart-label">{}</text>\n'
          '{}{}</g>\n')
_NOTE = '<text x="6" y="{}" class="chart-note">{}</text>'


@dataclass
class BarGroup:
    name: str
    y: float  # the group's top
    label_y: float  # the name's baseline, within the group
    bars: list = field(default_factory=list)
    note: str = ""  # "no submitted scores" instead of bars

    def markup(self, plot_left):
        bars = "".join(_BAR.format(b.y, b.width, b.fill, escape(b.title), b.label_x, b.label) for b in self.bars)
        note = _NOTE.format(self.label_y, escape(self.note)) if self.note else ""
        return _GROUP.format(plot_left, self.y, self.label_y, escape(self.name), bars, note)


@dataclass
class BarChart(TemplateItems):
    width: int
    height: int
    title: str
    desc: str
    legend: list  # [{x, rect_y, text_x, y, fill, label}]
    ticks: list  # [{x, label}]
    grid_top: float
    grid_bottom: float
    plot_left: float
    groups: list

    @property
    def body(self):
        """The groups' markup, one after the other: safe, as BarGroup.markup escapes the typed
        text (why it is written here, not in the template: the figures above _BAR)."""
        return mark_safe("".join(group.markup(self.plot_left) for group in self.groups))

    @property
    def tick_y(self):
        return self.grid_top - 4

    @property
    def label_x(self):
        return self.plot_left - 8


def bar_chart(rows, competencies, *, total=None):
    """One group per candidate (in the table's order), one horizontal bar per compared
    competency, on a 0-4 axis with the value written at the end of each bar. Bars are 12 px
    high with their value's baseline 10 px below their top, and the group's name ends 8 px
    left of the axis: templates/scoring/includes/chart_bars.html writes those three."""
    rows = rows[:MAX_ROWS]
    total = len(rows) if total is None else total
    names = [_truncate(r.candidate.name, 24) for r in rows]
    left = 12 + CHAR_WIDTH * max([len(n) for n in names] + [8])
    plot = 360
    width = int(left + plot + 48)
    bar_h, bar_gap, group_gap = 12, 3, 14
    legend, y = [], 16
    x = left
    for n, competency in enumerate(competencies):
        label = _truncate(competency, 28)
        item_width = 22 + CHAR_WIDTH * len(label)
        if x + item_width > width - 8 and x > left:
            x, y = left, y + 18
        legend.append({"x": x, "rect_y": y - 10, "text_x": x + 20, "y": y, "fill": PALETTE[n % len(PALETTE)],
                       "label": label})
        x += item_width + 14
    axis_y = y + 26
    ticks = [{"x": left + plot * v / SCALE_MAX, "label": str(v)} for v in range(SCALE_MAX + 1)]
    groups = []
    y = axis_y + 10
    for row, name in zip(rows, names):
        bars = []
        height = max(len(competencies), 1) * (bar_h + bar_gap)
        group = BarGroup(name=name, y=y, label_y=height / 2 + 4)
        if row.overall is None or not competencies:
            group.note = "no submitted scores"
        for n, competency in enumerate(competencies):
            value = row.competency_scores.get(competency)
            if value is None:
                continue
            bw = plot * value / SCALE_MAX
            bars.append(Bar(y=n * (bar_h + bar_gap), width=round(bw, 1), fill=PALETTE[n % len(PALETTE)],
                            label=f"{value:.2f}", label_x=round(bw + 4, 1), competency=competency,
                            title=f"{name}, {competency}: {value:.2f}"))
        group.bars = bars
        groups.append(group)
        y += height + group_gap
    return BarChart(
        width=width, height=int(y + 4), title="Weighted score per competency, by candidate",
        desc="Grouped horizontal bars, one group per candidate and one bar per competency ("
        + ", ".join(competencies) + "); " + _summary(rows, competencies, total),
        legend=legend, ticks=ticks, grid_top=axis_y, grid_bottom=y - group_gap + 4, plot_left=left, groups=groups,
    )


# --- Heat map -------------------------------------------------------------------------------


@dataclass
class HeatCell:
    """One cell, at ``x`` in its row (its row is translated to its top)."""

    x: float
    fill: str
    text: str
    text_fill: str
    empty: bool = False


_CELL = ('<g transform="translate({} 0)"><rect width="82" height="26" fill="{}"{}/>'
         '<text x="41" y="18" text-anchor="middle" fill="{}" class="chart-cell{}">{}</text></g>\n')
_ROW = ('<g transform="translate(0 {})"><text x="{}" y="18" text-anchor="end" class="chart-label">{}</text>\n'
        '{}</g>\n')
_EMPTY_RECT, _EMPTY_TEXT = ' class="chart-empty"', " chart-empty-text"


@dataclass
class HeatRow:
    name: str
    y: float  # the row's top
    cells: list

    def markup(self, label_x):
        cells = "".join(
            _CELL.format(c.x, c.fill, _EMPTY_RECT if c.empty else "", c.text_fill, _EMPTY_TEXT if c.empty else "", c.text)
            for c in self.cells
        )
        return _ROW.format(self.y, label_x, escape(self.name), cells)


@dataclass
class HeatMap(TemplateItems):
    width: int
    height: int
    title: str
    desc: str
    headers: list  # [{x, y, lines: [(dy, text)]}]
    rows: list
    legend: list  # [{x, y, fill, label, text_fill, text_x, text_y}]
    legend_label_y: float
    legend_note: dict  # {x, y}: where "no score" is written
    label_x: float

    @property
    def body(self):
        """The rows' markup, one after the other: safe, as HeatRow.markup escapes the typed
        text (why it is written here, not in the template: the figures above _BAR)."""
        return mark_safe("".join(row.markup(self.label_x) for row in self.rows))


def _wrap(text, width=12, lines=2):
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1:])]
    return [_truncate(o, width + 2) for o in out]


def _swatch(x, y, fill, label):
    return {"x": x, "y": y, "fill": fill, "label": label, "text_fill": text_colour(fill), "text_x": x + 20,
            "text_y": y + 14, "empty": fill == EMPTY_FILL}


def heat_map(rows, competencies, *, total=None):
    """Candidates (rows, in the table's order) by compared competency plus the overall
    score; each cell coloured on the 1-4 scale and showing its number. Cells are 82 x 26 px
    (CELL_WIDTH, CELL_HEIGHT less a 2 px gap), their number centred 18 px below their top:
    templates/scoring/includes/chart_heatmap.html writes those."""
    rows = rows[:MAX_ROWS]
    total = len(rows) if total is None else total
    names = [_truncate(r.candidate.name, 24) for r in rows]
    left = 12 + CHAR_WIDTH * max([len(n) for n in names] + [8])
    cw, ch = CELL_WIDTH, CELL_HEIGHT
    columns = list(competencies) + ["Overall"]
    headers = []
    for n, name in enumerate(columns):
        lines = _wrap(name)
        headers.append({"x": left + cw * n + cw / 2, "y": 16 if len(lines) > 1 else 30,
                        "lines": [(0 if i == 0 else 14, line) for i, line in enumerate(lines)]})
    header_height = 40
    heat_rows = []
    y = header_height
    for row, name in zip(rows, names):
        values = [row.competency_scores.get(c) for c in competencies] + [row.overall]
        cells = []
        for n, value in enumerate(values):
            fill = EMPTY_FILL if value is None else heat_colour(value)
            x = left + cw * n
            cells.append(HeatCell(x=x, fill=fill, text="—" if value is None else f"{value:.2f}",
                                  text_fill=text_colour(fill), empty=value is None))
        heat_rows.append(HeatRow(name=name, y=y, cells=cells))
        y += ch
    legend_y = y + 16
    legend = []
    for n, score in enumerate(range(1, SCALE_MAX + 1)):
        fill = heat_colour(score)
        legend.append(_swatch(left + n * 44, legend_y, fill, str(score)))
    legend.append(_swatch(left + SCALE_MAX * 44 + 12, legend_y, EMPTY_FILL, "—"))
    width = int(max(left + cw * len(columns), left + SCALE_MAX * 44 + 12 + 40 + 110) + 12)
    return HeatMap(
        width=width, height=int(legend_y + 30), title="Heat map of weighted scores, candidates by competency",
        desc="Cells coloured from light (1) to dark blue (4), each with its score; columns: "
        + ", ".join(columns) + ". " + _summary(rows, competencies, total),
        headers=headers, rows=heat_rows, legend=legend, legend_label_y=legend_y + 14,
        legend_note={"x": left + SCALE_MAX * 44 + 12 + 46, "y": legend_y + 14}, label_x=left - 8,
    )


# --- Leniency with intervals (the calibration page) ----------------------------------------


@dataclass
class LeniencyRow:
    """One interviewer: a dot at their leniency and, when it is shown, a line across its 95%
    interval; the numbers written at the right."""

    name: str
    y: float  # the row's centre line
    x: float  # the dot
    low_x: float | None
    high_x: float | None
    text: str  # "+0.85 (0.40 to 1.30)"
    anchor: str

    @property
    def text_y(self):  # a 12px label's baseline, centred on the row
        return self.y + 4

    @property
    def cap_top(self):  # the interval's end caps, 10 px tall
        return self.y - 5

    @property
    def cap_bottom(self):
        return self.y + 5


@dataclass
class LeniencyChart(TemplateItems):
    width: int
    height: int
    title: str
    desc: str
    ticks: list  # [{x, label}]
    zero_x: float
    grid_top: float
    grid_bottom: float
    label_x: float
    value_x: float
    rows: list

    @property
    def tick_y(self):
        return self.grid_top - 6


def leniency_chart(interviewers):
    """Each interviewer whose leniency is shown (``calibration.InterviewerRow``), in the
    table's order: a dot at their leniency (points above or below co-panelists) with its 95%
    interval as a line, on an axis symmetric around a zero line, half a point per tick and at
    least one point each way. None when no leniency is shown. The interval's method and the
    rows' numbers are in the table beside it; the chart only helps compare them."""
    rows = [r for r in interviewers if r.leniency.shown][:MAX_ROWS * 2]
    if not rows:
        return None
    bounds = [abs(v) for r in rows for v in (r.leniency.value, r.leniency_low if r.interval_shown else None,
                                             r.leniency_high if r.interval_shown else None) if v is not None]
    extent = min(3.0, max(1.0, -(-max(bounds) * 2 // 1) / 2))  # up to the next half point
    names = [_truncate(r.name, 24) for r in rows]
    left = 12 + CHAR_WIDTH * max([len(n) for n in names] + [8])
    plot, row_height, top = 360, 26, 30

    def at(value):
        return round(left + plot * (max(-extent, min(extent, value)) + extent) / (2 * extent), 1)

    steps = int(extent * 2)
    ticks = [{"x": at(-extent + k / 2), "label": readings_number(-extent + k / 2)} for k in range(2 * steps + 1)]
    out = []
    for n, (row, name) in enumerate(zip(rows, names)):
        shown = row.interval_shown
        text = f"{row.leniency.text}" + (f" ({row.interval_text})" if shown else "")
        out.append(LeniencyRow(name=name, y=top + row_height * n + row_height / 2, x=at(row.leniency.value),
                               low_x=at(row.leniency_low) if shown else None,
                               high_x=at(row.leniency_high) if shown else None, text=text, anchor=row.anchor))
    bottom = top + row_height * len(rows)
    return LeniencyChart(
        width=int(left + plot + 12 + CHAR_WIDTH * 22), height=int(bottom + 10),
        title="Leniency per interviewer, with 95% intervals",
        desc=(f"{len(rows)} interviewer{'s' if len(rows) != 1 else ''}: a dot at the mean difference to "
              "co-panelists on the same questions, points on the 1 to 4 scale, with a line across its 95% "
              "interval where there are enough shared interviews; the zero line is scoring like the "
              "co-panelists. Every number is also in the table."),
        ticks=ticks, zero_x=at(0), grid_top=top, grid_bottom=bottom, label_x=left - 8, value_x=left + plot + 12,
        rows=out,
    )


def readings_number(value):
    """A tick's label: signed, one decimal, a real minus sign ("0" for zero)."""
    if abs(value) < 1e-9:
        return "0"
    return f"{value:+.1f}".replace("-", "−")


# --- Exposure strip -------------------------------------------------------------------------

STRIP_BAR, STRIP_GAP, STRIP_HEIGHT = 10, 2, 28  # px: a month's bar, the gap after it, the plot


@dataclass
class ExposureStrip(TemplateItems):
    """A question's uses per month as a small bar strip (the exposure page): one bar per
    month, oldest first, scaled to the busiest month of that question; the numbers are in
    the title, the description and the text beside it."""

    width: int
    height: int
    bars: list  # [{x, y, height, label}]
    title: str
    desc: str


def exposure_strip(series, *, title):
    """``series``: [(first day of the month, uses)], oldest first."""
    top = max([n for _, n in series] + [1])
    bars = []
    for i, (month, n) in enumerate(series):
        h = round(STRIP_HEIGHT * n / top, 1) if n else 0
        bars.append({"x": i * (STRIP_BAR + STRIP_GAP), "y": round(STRIP_HEIGHT - h, 1), "height": h,
                     "label": f"{month:%b %Y}: {n} interview{'s' if n != 1 else ''}"})
    busiest = max(series, key=lambda item: item[1]) if series else None
    desc = ", ".join(f"{month:%b} {n}" for month, n in series)
    if busiest and busiest[1]:
        desc += f"; busiest {busiest[0]:%B %Y} ({busiest[1]})"
    return ExposureStrip(width=len(series) * (STRIP_BAR + STRIP_GAP), height=STRIP_HEIGHT + 2, bars=bars,
                         title=f"Uses of “{_truncate(title, 60)}” per month", desc=desc)
