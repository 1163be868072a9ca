"""A Word document (.docx, read with python-docx) as the text the document parser reads, its zip
checked before anything is unpacked: see ``readers``."""

import io
import zipfile

from .types import DOCX_MAX_ENTRIES, DOCX_MAX_RATIO, DOCX_MAX_UNPACKED, MAX_NESTING, DocumentError, capped

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
    return capped(text + "\n", "Word document")
