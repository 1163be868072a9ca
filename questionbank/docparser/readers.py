"""Turn an uploaded Word document, PDF or web page into the plain text the document parser
reads (Markdown-like: ``#`` headings, ``- `` bullets, ``**bold**`` lines, a blank line between
paragraphs). ``read_source(name, data)`` returns a :class:`Source`; anything that cannot be read
raises :class:`DocumentError` with a message naming the problem, never another exception.

Hostile files are refused before they are read in full:

* ``.docx`` is a zip: more than ``DOCX_MAX_ENTRIES`` entries, an entry or a total over
  ``DOCX_MAX_UNPACKED`` bytes unpacked, or an entry that unpacks more than ``DOCX_MAX_RATIO``
  times its packed size (a zip bomb) is refused before anything is decompressed; tables nest at
  most ``MAX_NESTING`` deep.
* HTML nests at most ``MAX_NESTING`` elements deep (html.parser, no recursion).
* a PDF has at most ``PDF_MAX_PAGES`` pages; an encrypted PDF, one without a text layer (a
  scan) and a damaged one get their own messages.
* whatever the format, the text produced is at most ``MAX_TEXT_CHARS`` characters.

Structural clutter of a web page (``<nav>``, ``<header>``, ``<footer>``, ``<aside>``,
``<figcaption>``, forms, and elements whose class or id says share, social, newsletter, promo,
advert, cookie, related, breadcrumb, comments, sidebar or byline) is left out of the text and
returned in ``Source.dropped`` with its line in the HTML. Scripts and styles are left out
unlisted (they are code, not text).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .types import DocumentError

DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNPACKED = 40 * 1024 * 1024
DOCX_MAX_RATIO = 100
MAX_NESTING = 100
PDF_MAX_PAGES = 500
MAX_TEXT_CHARS = 5 * 1024 * 1024


@dataclass
class Source:
    """A document as text, its format, and what reading it left out (``{"line", "text", "reason"}``,
    lines of the original file)."""

    text: str
    kind: str  # "text", "html", "docx", "pdf"
    dropped: list[dict] = field(default_factory=list)


_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<article|<main|<div|<p[\s>]|<h[1-6][\s>]|<section|<ul|<ol)",
                         re.IGNORECASE)


def looks_like_html(text):
    return _HTML_START.match(text[:2000]) is not None


def kind_of(name, data):
    """The format of an upload, from its first bytes (then its name): docx, pdf, html or text."""
    lowered = (name or "").lower()
    head = bytes(data[:8]) if isinstance(data, (bytes, bytearray)) else b""
    if head.startswith(b"%PDF") or lowered.endswith(".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or lowered.endswith(".docx"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if lowered.endswith((".html", ".htm")):
        return "html"
    return "text"


def decode_text(data):
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = bytes(data).count(b"\n", 0, exc.start) + 1
        raise DocumentError("The file is not UTF-8 text (nor a Word document or PDF). Save it as UTF-8 and try again",
                            line=line) from None


def read_source(name, data):
    """Read an upload (bytes) or pasted text (str) into a :class:`Source`."""
    if isinstance(data, str):
        if looks_like_html(data):
            return html_to_source(data)
        return Source(data, "text")
    kind = kind_of(name, data)
    if kind == "doc":
        raise DocumentError("This is an old Word .doc file: open it in Word or LibreOffice, save it as .docx and import that")
    if kind == "pdf":
        return Source(pdf_to_text(data), "pdf")
    if kind == "docx":
        return Source(docx_to_text(data), "docx")
    text = decode_text(data)
    if kind == "html" or looks_like_html(text):
        return html_to_source(text)
    return Source(text, "text")


def _capped(text, what):
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(f"The {what} holds more than {MAX_TEXT_CHARS // (1024 * 1024)} MB of text: split it into smaller files")
    return text


# --- HTML -----------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "canvas", "object", "math", "select", "button"}
_DROP = {"nav": "navigation", "header": "page header", "footer": "page footer", "aside": "sidebar",
         "figcaption": "image caption", "form": "form"}
_DROP_CLASSES = {
    "share": "share buttons", "social": "share buttons", "newsletter": "promotion", "promo": "promotion",
    "promotion": "promotion", "advert": "promotion", "advertisement": "promotion", "ad": "promotion", "ads": "promotion",
    "sponsored": "promotion", "cta": "promotion", "cookie": "cookie notice", "cookies": "cookie notice",
    "related": "recommended reading", "recommended": "recommended reading", "breadcrumb": "navigation",
    "breadcrumbs": "navigation", "comments": "comments", "sidebar": "sidebar", "byline": "byline", "author": "byline",
    "toc": "table of contents", "caption": "image caption", "credit": "image caption", "nav": "navigation",
    "menu": "navigation", "footer": "page footer",
}
_BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "figure", "table", "tr", "ul", "ol", "dl", "dt", "dd",
           "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "hr", "body", "details", "summary", "address"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr", "param"}


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []  # finished lines
        self.words = []  # the line being built
        self.stack = []  # open elements: (tag, drop_reason, skip)
        self.skip = 0
        self.drop = None  # (reason, html line, [texts])
        self.dropped = []
        self.lists = []  # ("ul"|"ol", counter)
        self.pre = 0
        self.heading = 0
        self.bold_line = None  # None or True/False: whether everything written on the line is bold
        self.bold = 0

    # line building
    def _flush(self, blank=True):
        text = "".join(self.words)
        self.words = []
        if self.pre:
            return
        text = " ".join(text.split())
        if text:
            if self.bold_line and not self.heading and not text.startswith(("- ", "#")):
                inner = text.replace("**", "").strip()
                if inner:
                    text = f"**{inner}**"
            else:
                text = text.replace("****", "")
            self.out.append(text)
        if blank and self.out and self.out[-1] != "":
            self.out.append("")
        self.bold_line = None

    def _write(self, text):
        if self.drop is not None:
            self.drop[2].append(text)
            return
        if self.skip:
            return
        if self.pre:
            self.words.append(text)
            return
        if text.strip():
            bold = self.bold > 0
            self.bold_line = bold if self.bold_line is None else (self.bold_line and bold)
        self.words.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and not self.skip and self.drop is None:
                self._flush(blank=False)
            elif tag == "hr" and not self.skip and self.drop is None:
                self._flush()
            elif tag == "img" and not self.skip:
                alt = (dict(attrs).get("alt") or "").strip()
                if alt:
                    self.dropped.append({"line": self.getpos()[0], "text": f"[image: {alt}]", "reason": "image (HTML)"})
            return
        if len(self.stack) >= MAX_NESTING:
            raise DocumentError(f"The page nests elements more than {MAX_NESTING} deep: it is not an article", line=self.getpos()[0])
        attributes = dict(attrs)
        reason = _DROP.get(tag)
        if reason is None:
            names = " ".join(filter(None, (attributes.get("class"), attributes.get("id"), attributes.get("role"))))
            for token in re.split(r"[\s_-]+", names.lower()):
                if token in _DROP_CLASSES:
                    reason = _DROP_CLASSES[token]
                    break
            if attributes.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
                reason = reason or "navigation"
        started_drop = False
        if tag in _SKIP:
            self.skip += 1
        elif reason is not None and self.drop is None and not self.skip:
            if tag in _BLOCKS or tag in _DROP:
                self._flush()
            self.drop = (reason, self.getpos()[0], [])
            started_drop = True
        self.stack.append((tag, started_drop, tag in _SKIP))
        if self.skip or self.drop is not None:
            if self.drop is not None and tag in _BLOCKS:
                self.drop[2].append("\n")
            return
        if tag in _BLOCKS:
            self._flush(blank=tag not in ("li", "tr", "dt", "dd") and not (tag in ("ul", "ol") and self.lists))
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}. "
            else:
                marker = "- "
            self.words.append("  " * depth + marker)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
            self.words.append("#" * self.heading + " ")
        elif tag == "pre":
            self.out.append("```")
            self.pre += 1
        elif tag in ("strong", "b"):
            self.bold += 1
            if not self.heading:
                self.words.append("**")
        elif tag == "code" and not self.pre:
            self.words.append("`")
        elif tag in ("td", "th"):
            self.words.append(" ")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        # close up to the matching element (html.parser does not repair unclosed tags)
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                break
        else:
            return
        while len(self.stack) > k:
            open_tag, started_drop, skipped = self.stack.pop()
            self._close(open_tag, started_drop, skipped)

    def _close(self, tag, started_drop, skipped):
        if skipped:
            self.skip -= 1
            return
        if started_drop:
            reason, line, texts = self.drop
            self.drop = None
            for piece in " ".join("".join(texts).split(" ")).split("\n"):
                piece = " ".join(piece.split())
                if piece:
                    self.dropped.append({"line": line, "text": piece, "reason": f"{reason} (HTML)"})
            return
        if self.skip or self.drop is not None:
            if self.drop is not None and tag in _BLOCKS:
                self.drop[2].append("\n")
            return
        if tag == "pre":
            self.pre -= 1
            self.out.append("".join(self.words).strip("\n"))
            self.words = []
            self.out.extend(["```", ""])
            return
        if tag in ("strong", "b"):
            self.bold -= 1
            if not self.heading:
                self.words.append("**")
        elif tag == "code" and not self.pre:
            self.words.append("`")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.heading = 0
            return
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._flush(blank=not self.lists)
        elif tag in _BLOCKS:
            self._flush(blank=tag not in ("li", "tr", "dt"))

    def handle_data(self, data):
        if self.pre and not self.skip and self.drop is None:
            self.words.append(data)
        else:
            self._write(data.replace("\n", " "))


def html_to_source(html):
    """A web page as text, with its navigation and other page furniture listed as dropped."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except DocumentError:
        raise
    except Exception as exc:  # html.parser is lenient; this is a safety net
        raise DocumentError(f"The web page could not be read ({type(exc).__name__})") from None
    while parser.stack:
        parser._close(*parser.stack.pop())
    parser._flush()
    text = "\n".join(parser.out).strip("\n") + "\n"
    if not text.strip():
        raise DocumentError("The web page has no text outside its navigation, scripts and styles")
    return Source(_capped(text, "page"), "html", parser.dropped)


# --- Word ------------------------------------------------------------------------------------

def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError("The file is not a readable Word document (.docx): it is damaged or not a .docx") from None
    entries = archive.infolist()
    if len(entries) > DOCX_MAX_ENTRIES:
        raise DocumentError(f"The Word document holds {len(entries):,} files inside; at most {DOCX_MAX_ENTRIES:,} are read")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > DOCX_MAX_UNPACKED or total > DOCX_MAX_UNPACKED:
            raise DocumentError(
                f"The Word document unpacks to more than {DOCX_MAX_UNPACKED // (1024 * 1024)} MB: "
                "it may be a zip bomb, and is not read"
            )
        if entry.file_size > 1024 * 1024 and entry.file_size > DOCX_MAX_RATIO * max(entry.compress_size, 1):
            raise DocumentError(
                f"A part of the Word document ({entry.filename}) unpacks {entry.file_size // max(entry.compress_size, 1):,} "
                "times its size: it looks like a zip bomb, and is not read"
            )
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise DocumentError("The file is a zip archive but not a Word document (.docx): it has no word/document.xml")
    return archive


def _heading_level(style_name):
    name = (style_name or "").lower()
    if name == "title":
        return 1
    if name in ("toc heading", "subtitle"):
        return 2
    if name.startswith("heading "):
        number = name[8:].strip()
        if number.isdigit():
            return min(max(int(number), 1), 6)
    return 0


def _numbering_formats(document):
    """``{numId: {level: format}}`` from the document's numbering part ("bullet", "decimal", ...)."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for definition in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for level in definition.findall(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            ilvl = level.get(qn("w:ilvl")) or "0"
            if ilvl.isdigit():
                levels[int(ilvl)] = fmt.get(qn("w:val")) if fmt is not None else "decimal"
        abstract[definition.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            formats[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
    return formats


def _numbering_of(paragraph):
    """``(numId, level)`` of a numbered or bulleted paragraph (its own or its style's), else None."""
    from docx.oxml.ns import qn

    candidates = [paragraph._p.pPr]
    style = paragraph.style
    for _ in range(5):  # a style and the styles it is based on
        if style is None:
            break
        candidates.append(style.element.pPr)
        style = style.base_style
    num_id = level = None
    for ppr in candidates:
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num is None:
            continue
        if num_id is None and num.find(qn("w:numId")) is not None:
            num_id = num.find(qn("w:numId")).get(qn("w:val"))
        if level is None and num.find(qn("w:ilvl")) is not None:
            level = num.find(qn("w:ilvl")).get(qn("w:val"))
    if num_id is None or num_id == "0":
        return None
    return num_id, min(int(level), 8) if level and level.isdigit() else 0


def _paragraph_line(paragraph, state):
    """A Word paragraph as one line of text (or None when it is empty), and whether it is a list
    item. Numbered paragraphs get their number as Word would show it (counted per list, so a
    question list keeps counting across the paragraphs between its items), bullets a ``-``."""
    text = paragraph.text.replace("\t", " ").strip()
    if not text:
        return None, False
    style = paragraph.style.name if paragraph.style is not None else ""
    level = _heading_level(style)
    if level:
        state["counters"].clear()
        return "#" * level + " " + " ".join(text.split()), False
    lowered = style.lower()
    numbering = _numbering_of(paragraph)
    if numbering is not None or lowered.startswith(("list number", "list bullet")):
        num_id, depth = numbering or (lowered, 0)
        suffix = lowered.rsplit(" ", 1)[-1]
        if numbering is None and suffix.isdigit():
            depth = int(suffix) - 1
        fmt = state["formats"].get(num_id, {}).get(depth)
        if fmt is None:
            fmt = "decimal" if lowered.startswith("list number") else "bullet"
        if fmt in ("bullet", "none"):
            return "  " * depth + "- " + text, True
        counters = state["counters"].setdefault(num_id, {})
        counters[depth] = counters.get(depth, 0) + 1
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]
        return "  " * depth + f"{counters[depth]}. " + text, True
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs):
        return f"**{' '.join(text.split())}**", False
    return text, False


def _block_lines(parent, depth, out, state):
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if depth > 5:
        raise DocumentError("The Word document nests tables more than 5 deep: it is not read")
    element = parent.element.body if hasattr(parent, "element") and hasattr(parent.element, "body") else parent._element
    stack = [iter(element.iterchildren())]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if len(stack) > MAX_NESTING:
            raise DocumentError(f"The Word document nests its content more than {MAX_NESTING} deep: it is not read")
        if child.tag == qn("w:p"):
            line, listed = _paragraph_line(Paragraph(child, parent), state)
            if line is None:
                continue
            if out and out[-1] != "" and not (listed and out[-1].lstrip().startswith(("- ",)) or
                                             listed and out[-1].lstrip()[:1].isdigit()):
                out.append("")
            out.extend(line.split("\n"))
        elif child.tag == qn("w:tbl"):
            table = Table(child, parent)
            for row in table.rows:
                for cell in row.cells:
                    _block_lines(cell, depth + 1, out, state)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")):
            stack.append(iter(child.iterchildren()))
    return out


def docx_to_text(data):
    """A .docx as text: headings as ``#``, list paragraphs as ``-``/``1.`` items, wholly bold
    paragraphs as ``**bold**``, tables cell by cell, a blank line between paragraphs."""
    _check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        out = _block_lines(document, 0, [], {"formats": _numbering_formats(document), "counters": {}})
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(f"The Word document could not be read ({type(exc).__name__}): it may be damaged") from None
    text = "\n".join(out).strip("\n")
    if not text.strip():
        raise DocumentError("The Word document has no text")
    return _capped(text + "\n", "Word document")


# --- PDF -------------------------------------------------------------------------------------

def pdf_to_text(data):
    """A PDF's text layer as text: lines rebuilt from the text positions, a blank line where the
    gap between lines is larger than usual, lines broken by the page width joined, larger text
    as headings and wholly bold lines as ``**bold**``."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise DocumentError("The PDF is encrypted (password-protected): save a copy without a password and import that")
        pages = reader.pages
        if len(pages) > PDF_MAX_PAGES:
            raise DocumentError(f"The PDF has {len(pages):,} pages; at most {PDF_MAX_PAGES} are read: split it")
        fragments_by_page = []
        total = 0
        for page in pages:
            fragments = []

            def visit(text, cm, tm, font_dict, font_size, fragments=fragments):
                if not text or not text.strip():
                    return
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1
                name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
                fragments.append((round(y, 1), x, text, round(font_size * scale, 1), name))

            page.extract_text(visitor_text=visit)
            total += sum(len(f[2]) for f in fragments)
            if total > MAX_TEXT_CHARS:
                raise DocumentError(f"The PDF holds more than {MAX_TEXT_CHARS // (1024 * 1024)} MB of text: split it")
            fragments_by_page.append(fragments)
    except DocumentError:
        raise
    except Exception as exc:
        if type(exc).__name__ == "LimitReachedError":  # pypdf's cap on what a stream may unpack to
            raise DocumentError("A part of the PDF unpacks to more than pypdf reads: it may be a decompression bomb, "
                                "and is not read") from None
        text = str(exc).lower()
        if "decrypt" in text or "encrypt" in text or "password" in text:
            raise DocumentError("The PDF is encrypted (password-protected): save a copy without a password and import that") from None
        raise DocumentError(f"The file is not a readable PDF ({type(exc).__name__}): it is damaged or not a PDF") from None
    if not any(fragments_by_page):
        raise DocumentError(
            "The PDF has no text layer: it looks like scanned pages (pictures of text). "
            "Import a PDF with selectable text, or paste the text"
        )
    return _pdf_lines(fragments_by_page)


_LIST_START = re.compile("(?:[-*+\u2022\u25e6\u25aa\u00b7]|\\d{1,3}[.)]|q\\d{1,4}[.:)])\\s", re.IGNORECASE)


def _pdf_lines(fragments_by_page):
    lines = []  # (text, size, bold, gap_before, chars)
    for fragments in fragments_by_page:
        rows = {}
        for y, x, text, size, font in fragments:
            key = next((k for k in rows if abs(k - y) <= max(size, 1) * 0.3), y)
            rows.setdefault(key, []).append((x, text, size, font))
        previous_y = None
        for y in sorted(rows, reverse=True):
            parts = sorted(rows[y], key=lambda part: part[0])
            text = " ".join("".join(p[1] for p in parts).replace("\n", " ").split())
            if not text:
                continue
            size = max(p[2] for p in parts)
            bold = all(("bold" in p[3].lower() or "black" in p[3].lower() or "heavy" in p[3].lower())
                       for p in parts if p[1].strip())
            gap = None if previous_y is None else previous_y - y
            lines.append([text, size, bold, gap])
            previous_y = y
    if not lines:
        return ""
    sizes = {}
    for text, size, _bold, _gap in lines:
        sizes[size] = sizes.get(size, 0) + len(text)
    body = max(sizes, key=sizes.get)
    heading_sizes = sorted({size for _t, size, _b, _g in lines if size >= body * 1.15}, reverse=True)
    gaps = sorted(g for _t, size, _b, g in lines if g is not None and g > 0 and size == body)
    usual = gaps[len(gaps) // 4] if gaps else body * 1.2
    widths = sorted(len(t) for t, size, _b, _g in lines if size == body)
    full = widths[int(len(widths) * 0.9)] * 0.8 if widths else 80

    out = []
    previous = None  # (text, size, bold) of the line before, when it may continue
    for text, size, bold, gap in lines:
        paragraph_break = gap is None or gap <= 0 or gap > usual * 1.35
        level = heading_sizes.index(size) + 1 if size in heading_sizes else 0
        if (
            previous is not None
            and not paragraph_break
            and not level
            and previous[1] == size
            and previous[2] == bold
            and len(previous[0]) >= full
            and _LIST_START.match(text) is None
        ):
            if bold and out[-1].endswith("**"):
                out[-1] = out[-1][:-2] + " " + text + "**"
            else:
                out[-1] = out[-1] + " " + text
            previous = (text, size, bold) if len(text) >= full else None
            continue
        if paragraph_break and out and out[-1] != "":
            out.append("")
        if level:
            line = "#" * min(level, 6) + " " + text
        elif _LIST_START.match(text) and text[0] in "\u2022\u25e6\u25aa\u00b7":
            line = "- " + text[1:].strip()
        else:
            line = text
        if bold and not level:
            line = f"**{line}**"
        out.append(line)
        previous = (text, size, bold) if not level and len(text) >= full else None
    return "\n".join(out).strip("\n") + "\n"
