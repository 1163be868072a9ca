"""docs/scoring.md as HTML, for the in-app help page (/help/scoring/).

The repository's document stays the one source: tests/scoring/test_scoring_doc.py checks its
worked example against the code, and this page shows the same text. Only the Markdown the
document uses is understood: headings, paragraphs, numbered lists, tables, fenced and
indented code, **bold**, *emphasis* and `code`. Everything is escaped first, so the document
cannot put markup of its own on the page; HTML comments (the test's markers) are dropped.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

SCORING_DOC = settings.BASE_DIR / "docs" / "scoring.md"

_HEADING = re.compile(r"^(#{1,4}) +(.*)$")
_NUMBERED = re.compile(r"^\d+\. +(.*)$")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def _inline(text):
    """Escaped text with `code`, **bold** and *emphasis*; code spans are left untouched."""
    parts = text.split("`")
    out = []
    for n, part in enumerate(parts):
        part = escape(part)
        if n % 2:
            out.append(f"<code>{part}</code>")
            continue
        part = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", part)
        part = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", part)
        out.append(part)
    return "".join(out)


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines):
    head, body = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    # The box is focusable so that a keyboard can scroll a table wider than the screen.
    out = ['<div class="table-responsive" tabindex="0"><table class="table table-sm help-table"><thead><tr>']
    out += [f'<th scope="col">{_inline(cell)}</th>' for cell in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render(text):
    """HTML of the Markdown subset described above; headings get ids from their words."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            out.append(f'<pre class="code-block"><code>{escape(chr(10).join(lines[i + 1:end]))}</code></pre>')
            i = end + 1
        elif line.startswith("    "):
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            out.append(f'<pre class="code-block"><code>{escape(chr(10).join(block).rstrip())}</code></pre>')
        elif heading := _HEADING.match(line):
            level, words = len(heading.group(1)), heading.group(2).strip()
            out.append(f'<h{level} id="{slugify(words)}">{_inline(words)}</h{level}>')
            i += 1
        elif line.startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out.append(_table(lines[i:end]))
            i = end
        elif _NUMBERED.match(line):
            items = []
            while i < len(lines) and (_NUMBERED.match(lines[i]) or lines[i].startswith("   ")):
                if number := _NUMBERED.match(lines[i]):
                    items.append(number.group(1))
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            out.append("<ol>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ol>")
        else:
            block = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
                block.append(lines[i].strip())
                i += 1
            out.append(f"<p>{_inline(' '.join(block))}</p>")
    return mark_safe("\n".join(out))


def _starts_block(lines, i):
    line = lines[i]
    return bool(
        line.startswith(("```", "    ", "|")) or _HEADING.match(line) or _NUMBERED.match(line)
    )


@lru_cache(maxsize=4)
def _rendered(path, mtime):
    return render(path.read_text(encoding="utf-8"))


def scoring_help():
    """The rendered document, re-read only when the file changes."""
    return _rendered(SCORING_DOC, SCORING_DOC.stat().st_mtime)
