"""Turn an uploaded Word document (``wordreader``), PDF (``pdfreader``) or web page
(``htmlreader``) into the plain text the document parser reads (Markdown-like: ``#`` headings, ``- `` bullets, ``**bold**`` lines, a blank line between
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

The limits are in ``types``.

Structural clutter of a web page (``<nav>``, ``<header>``, ``<footer>``, ``<aside>``,
``<figcaption>``, forms, and elements whose class or id says share, social, newsletter, promo,
advert, cookie, related, breadcrumb, comments, sidebar or byline) is left out of the text and
returned in ``Source.dropped`` with its line in the HTML. Scripts and styles are left out
unlisted (they are code, not text).
"""

import re

from .htmlreader import html_to_source
from .pdfreader import pdf_to_text
from .types import DocumentError, Source
from .wordreader import docx_to_text

__all__ = ["Source", "decode_text", "docx_to_text", "html_to_source", "kind_of", "pdf_to_text", "read_source"]



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
