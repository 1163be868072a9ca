"""Test helpers that write a corpus document's text as a Word file (python-docx) and as a PDF
with a text layer (written here by hand: two standard fonts, one text object per line), the way
a team's own files would carry it: ``#`` lines become headings, ``- `` lines bullets, wholly
``**bold**`` lines bold paragraphs, every other line a paragraph. Corpus documents meant for
these formats keep one paragraph per line (Word and PDF wrap text themselves)."""

import io
import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 612, 792
MARGIN = 72
BODY_SIZE, HEADING_SIZE = 11, 16
LINE_STEP, PARAGRAPH_GAP = 14, 10
WRAP = 88  # characters of 11 pt Helvetica across the page, about


def _bold_text(line):
    s = line.strip()
    if len(s) > 4 and s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]:
        return s[2:-2].strip()
    return None


def text_to_docx(text):
    import docx

    document = docx.Document()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line[level:].strip(), level=min(level, 4))
        elif line.startswith(("- ", "* ")):
            depth = (len(raw) - len(raw.lstrip())) // 2
            document.add_paragraph(line[2:].strip(), style="List Bullet" if not depth else "List Bullet 2")
        elif _bold_text(line) is not None:
            document.add_paragraph().add_run(_bold_text(line)).bold = True
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_string(text):
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _layout(text):
    """(font, size, x, text) per line and the vertical step before it, paged."""
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    pending_gap = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            pending_gap = PARAGRAPH_GAP
            continue
        if line.startswith("#"):
            font, size, x = "F2", HEADING_SIZE, MARGIN
            chunks = [line.lstrip("#").strip()]
            pending_gap = max(pending_gap, PARAGRAPH_GAP)
        elif line.startswith(("- ", "* ")):
            font, size, x = "F1", BODY_SIZE, MARGIN + 12
            chunks = textwrap.wrap("\u2022 " + line[2:].strip(), WRAP - 3) or [""]
        elif _bold_text(line) is not None:
            font, size, x = "F2", BODY_SIZE, MARGIN
            chunks = textwrap.wrap(_bold_text(line), WRAP - 6) or [""]
        else:
            font, size, x = "F1", BODY_SIZE, MARGIN
            chunks = textwrap.wrap(line, WRAP) or [""]
        for k, chunk in enumerate(chunks):
            step = (size + 6 if size > BODY_SIZE else LINE_STEP) + (pending_gap if k == 0 else 0)
            if y - step < MARGIN:
                pages.append(current)
                current, y = [], PAGE_HEIGHT - MARGIN
            y -= step
            current.append((font, size, x, y, chunk))
        pending_gap = PARAGRAPH_GAP if line.startswith("#") else 0
    if current:
        pages.append(current)
    return pages


def text_to_pdf(text):
    """A PDF whose text layer is ``text`` (cp1252 characters only), one page after another."""
    pages = _layout(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        stream = b"".join(
            b"BT /%s %d Tf 1 0 0 1 %d %d Tm %s Tj ET\n" % (font.encode(), size, x, y, _pdf_string(chunk))
            for font, size, x, y, chunk in lines
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, content)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
