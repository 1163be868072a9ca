"""A PDF's text layer (read with pypdf) as the text the document parser reads: see ``readers``."""

import io
import re

from .types import MAX_TEXT_CHARS, PDF_MAX_PAGES, DocumentError

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
