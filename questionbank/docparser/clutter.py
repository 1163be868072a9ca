"""Pass 0 of the document parser: the lines that are not part of any question (web-page clutter
and tables of contents), found before the lines are classified. ``find_clutter(lines)`` returns
``{line index: reason}``; the parser blanks those lines (so line numbers stay true) and lists
every one of them as dropped, with its number and text. Nothing is dropped silently.

What counts, each pattern matched against the whole line (markup, bullets and leading symbols
removed) so that a sentence of an answer that merely mentions a word is kept:

* image lines, captions and credits: ``![..](..)``, ``Image: ...``, ``Figure 2 - ...``, ``Photo
  by X on Unsplash``, ``Source: ...``, ``Credit: ...``;
* promotions: a short line selling something (``Enroll now``, ``50% off``, ``Join our
  newsletter``, ``Our course ...``, ``Sign up for free``...);
* share and navigation lines: ``Share this article``, ``Tweet``, ``Back to top``, ``Next post``,
  ``Show answer`` (the button of a folded answer),
  breadcrumbs (``Home > Blog > ...``), ``Was this helpful?``, lists of network names;
* bylines and dates: ``By Jane Doe``, ``Written by ...``, ``Posted on ...``, ``Last updated ...``,
  ``8 min read``, ``Advertisement``;
* printed pages: a page number line (``Page 2 of 3``, ``Northwind | Confidential | Page 2``),
  and the running header and footer lines next to them, found as the same line repeated within
  three lines of the page numbers (or of the start and end of the document);
* markup of toggles and callouts that wiki exports (Notion, Confluence) leave in Markdown: a line
  that is only ``<details>``, ``</details>``, ``<aside>`` or ``</aside>``; a
  ``<summary>Model answer</summary>`` line is not dropped but read as its text
  (``unwrap_summaries``), so the toggle's title works as a label or a question;
* blocks: a title such as ``Table of contents``, ``Contents``, ``In this article``,
  ``Recommended reading``, ``Related articles``, ``You may also like``, with the lines listed
  under it (up to the first blank line after them, a heading or a rule), and any line ending in
  a dotted leader and a page number (``Overfitting ........ 4``).

Code fences are left alone.
"""

import re

from .lines import strip_symbols

_MAX_CLUTTER_CHARS = 300  # clutter is short; a long line is somebody's paragraph

_IMAGE = re.compile(
    r"(?:!\[[^\]]*\]\([^)]*\)"
    r"|(?:image|photo|picture|figure|fig\.|illustration|screenshot|diagram|chart)(?:[ \t]+\d+)?[ \t]*[:.\u2013\u2014-][ \t]"
    r"|(?:source|credit|credits|image[ \t]+credit|photo[ \t]+credit|image[ \t]+source|courtesy)[ \t]*:"
    r"|(?:photo|image|illustration|picture)[ \t]+(?:by|courtesy[ \t]+of|via|from)[ \t]"
    r"|\((?:image|photo|source|credit)[ \t]*:)",
    re.IGNORECASE,
)
_PROMOTION = re.compile(
    r"\b(?:enrol(?:l)?(?:[ \t]+now|[ \t]+today|[ \t]+in[ \t]+our)|sign[ \t]+up[ \t]+(?:now|today|for[ \t]+(?:free|our|the[ \t]+(?:course|newsletter|waitlist)))"
    r"|free[ \t]+trial|\d+[ \t]*%[ \t]*off\b|(?:promo|coupon|discount)[ \t]+code|limited[ \t]+time[ \t]+(?:offer|only|deal)|buy[ \t]+now|book[ \t]+a[ \t]+demo"
    r"|join[ \t]+(?:our|the)[ \t]+(?:newsletter|course|bootcamp|waitlist|community|cohort)"
    r"|subscribe[ \t]+(?:now|today|to[ \t]+(?:our|my|the)[ \t]+(?:newsletter|channel|blog|list|podcast))|get[ \t]+started[ \t]+for[ \t]+free"
    r"|download[ \t]+(?:our|the[ \t]+free|your[ \t]+free|a[ \t]+free)|our[ \t]+(?:course|bootcamp|masterclass|certification[ \t]+program|newsletter)"
    r"|register[ \t]+now|upgrade[ \t]+to[ \t]+(?:pro|premium)|start[ \t]+your[ \t]+free)\b"
    r"|^(?:advertisement|sponsored(?:[ \t]+(?:content|post|by[ \t]+.*))?|ad)[ \t]*:?$",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"(?:(?:share(?:[ \t]+(?:this|the)(?:[ \t]+(?:article|post|page|story))?)?(?:[ \t]+(?:on|via)[ \t]+\w+)?|tweet(?:[ \t]+this)?"
    r"|pin[ \t]+it|copy[ \t]+link|print(?:[ \t]+this[ \t]+(?:article|page))?|email[ \t]+this|follow[ \t]+us(?:[ \t]+on[ \t]+\w+)?"
    r"|back[ \t]+to[ \t]+top|skip[ \t]+to(?:[ \t]+main)?[ \t]+content|previous|next|prev|(?:previous|next|prev)[ \t]+(?:article|post|page|story|lesson|chapter)"
    r"|(?:show|reveal|see|view|hide|toggle)(?:[ \t]+the)?[ \t]+(?:answers?|solutions?)|click[ \t]+to[ \t]+(?:expand|reveal|show)"
    r"|home|menu|log[ \t]*in|sign[ \t]*in|search|comments?|leave[ \t]+a[ \t]+(?:comment|reply)|was[ \t]+this[ \t]+(?:article[ \t]+|page[ \t]+)?helpful"
    r"|did[ \t]+you[ \t]+(?:like|enjoy)[ \t]+this(?:[ \t]+(?:article|post))?|read[ \t]+more|about[ \t]+the[ \t]+author|all[ \t]+rights[ \t]+reserved"
    r"|cookie[ \t]+settings|accept[ \t]+(?:all[ \t]+)?cookies|privacy[ \t]+policy|terms[ \t]+of[ \t]+(?:use|service))[ \t]*[:?!.]?"
    r"|(?:share|related|tags?|categories|filed[ \t]+under|(?:previous|next|prev)[ \t]+(?:article|post|story|lesson|chapter)|read[ \t]+more|see[ \t]+also"
    r"|\u00a9|copyright)[ \t]*[:\u2192>\u00bb-][ \t]*.*|(?:\u00a9|copyright)[ \t]+\d{4}.*)",
    re.IGNORECASE,
)
_NETWORKS = {"twitter", "x", "facebook", "linkedin", "reddit", "email", "whatsapp", "hacker news", "mastodon", "copy link",
             "print", "share", "pinterest", "telegram", "bluesky", "threads"}
_FOOTER = re.compile(r"all[ \t]+rights[ \t]+reserved|^(?:\u00a9|\(c\)|copyright)[ \t]*(?:\d{4}|[A-Z])", re.IGNORECASE)
_BREADCRUMB = re.compile(r"home[ \t]*(?:>|/|\u203a|\u00bb|\u2192)[ \t]*\S", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?i:(?:written|posted|published|reviewed|edited)[ \t]+by|by|author:)[ \t]+"
    r"[A-Z][\w.'\u2019-]*(?:[ \t]+(?:[A-Z][\w.'\u2019-]*|de|van|von|da|der|and|&))*(?:[ \t]*(?:[,|\u00b7\u2022\u2013\u2014-]|on[ \t]).*)?"
)
_MONTH = r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|yesterday|today)"
_DATE_LINE = re.compile(
    r"(?:(?:posted|published|updated|last[ \t]+updated|last[ \t]+modified|first[ \t]+published)(?:[ \t]+on|[ \t]*:)?[ \t]+" + _MONTH + r".*"
    r"|\d{1,3}[ \t]*(?:-[ \t]*)?min(?:ute)?s?[ \t]+read(?:[ \t]*[\u00b7|\u2022,-].*)?"
    r"|.*[\u00b7|\u2022][ \t]*\d{1,3}[ \t]*min(?:ute)?s?[ \t]+read.*)",
    re.IGNORECASE,
)
_BLOCK_TITLE = re.compile(
    r"(?:table[ \t]+of[ \t]+contents|contents|in[ \t]+this[ \t]+(?:article|post|guide)|on[ \t]+this[ \t]+page|jump[ \t]+to"
    r"|recommended(?:[ \t]+(?:reading|articles|posts|for[ \t]+you))?|further[ \t]+reading|related[ \t]+(?:articles|posts|reading|content|courses)"
    r"|you[ \t]+(?:may|might)[ \t]+also[ \t]+(?:like|enjoy)|read[ \t]+next|more[ \t]+(?:from|articles|posts|to[ \t]+read)(?:[ \t]+.*)?|popular[ \t]+(?:posts|articles)"
    r"|trending(?:[ \t]+now)?)[ \t]*:?",
    re.IGNORECASE,
)
_LEADER = re.compile(r".*\S[ \t]*(?:\.[ \t]*){4,}\d{1,4}|.*\S[ \t]*(?:\u2026[ \t]*)+\d{1,4}")
_BULLET = re.compile("[ \t]*(?:[-*+\u2022\u25e6\u25aa\u25b8\u25ba\u00b7]|\\d{1,3}[.)])[ \t]+")
_LINK_ONLY = re.compile(r"\[[^\]]+\]\([^)]*\)")
# "Page 2 of 3", alone or as the last part of a footer ("Northwind | Confidential | Page 2").
_PAGE_NUMBER = re.compile(
    r"(?:.*[|\u00b7\u2022\u2013\u2014-][ \t]*)?page[ \t]+\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?", re.IGNORECASE
)
_TOGGLE_TAG = re.compile(r"[ \t]*</?(?:details|aside|summary)(?:[ \t][^<>]*)?>[ \t]*", re.IGNORECASE)
_SUMMARY = re.compile(r"[ \t]*(?:<details(?:[ \t][^<>]*)?>[ \t]*)?<summary(?:[ \t][^<>]*)?>(.*?)</summary>[ \t]*", re.IGNORECASE)
_PAGE_EDGE = 3  # running headers and footers sit this many lines from a page break at most


def _plain(line):
    """The words of a line: no heading marks, bullets, bold, leading symbols or surrounding space."""
    s = line.strip()
    if s.startswith("#"):
        s = s.lstrip("#").strip()
    m = _BULLET.match(s)
    if m:
        s = s[m.end():]
    s = strip_symbols(s.replace("**", "").replace("__", "")).strip()
    if len(s) > 1 and s[0] in "*_" and s[-1] == s[0]:
        s = s[1:-1].strip()
    return s


def _reason(line):
    """Why a single line is clutter, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_CLUTTER_CHARS:
        return None
    text = _plain(stripped)
    if not text:
        return None
    if _IMAGE.match(text) or _IMAGE.match(stripped):
        return "image or caption"
    if text[-1:].isdigit() and ("...." in text.replace(" ", "") or "\u2026" in text) and _LEADER.fullmatch(text):
        return "table of contents"
    if _BREADCRUMB.match(text):
        return "navigation"
    if _NAVIGATION.fullmatch(text) and len(text) <= 80:
        return "share or navigation"
    words = [w.strip(",|\u00b7\u2022/").lower() for w in re.split(r"[ \t]*[,|\u00b7\u2022/][ \t]*|[ \t]{2,}", text) if w.strip(",|\u00b7\u2022/ ")]
    if len(words) >= 2 and all(w in _NETWORKS for w in words):
        return "share or navigation"
    if _BYLINE.fullmatch(text) and len(text) <= 120 and not text.rstrip().endswith("?"):
        return "byline"
    if _DATE_LINE.fullmatch(text) and len(text) <= 120:
        return "byline"
    if _FOOTER.search(stripped) and len(text) <= 160:
        return "page footer"
    if _PAGE_NUMBER.fullmatch(text) and len(text) <= 160:
        return "page header or footer"
    if _PROMOTION.search(text) and len(text) <= 200:
        return "promotion"
    return None


def _block_reason(text):
    if _BLOCK_TITLE.fullmatch(text):
        low = text.lower()
        if "content" in low or "this" in low or "jump" in low:
            return "table of contents"
        return "recommended reading"
    return None


def _fence_marker(stripped):
    for ch in "`~":
        if stripped.startswith(ch * 3):
            return ch
    return None


def find_clutter(lines):
    """``{index: reason}`` for every line of ``lines`` that is clutter (see the module docstring)."""
    found = {}
    fence = None
    n = len(lines)
    idx = 0
    while idx < n:
        line = lines[idx]
        stripped = line.strip()
        marker = _fence_marker(stripped)
        if fence is not None:
            if marker == fence:
                fence = None
            idx += 1
            continue
        if marker is not None:
            fence = marker
            idx += 1
            continue
        if not stripped:
            idx += 1
            continue
        text = _plain(stripped)
        block = _block_reason(text) if len(text) <= 60 else None
        if block is not None:
            found[idx] = block
            idx = _drop_block(lines, idx + 1, block, found)
            continue
        reason = "markup (a toggle or callout)" if _TOGGLE_TAG.fullmatch(line) else _reason(line)
        if reason is not None:
            found[idx] = reason
        idx += 1
    _drop_running_lines(lines, found)
    return found


def unwrap_summaries(lines):
    """Replace, in place, each ``<summary>Title</summary>`` line outside code fences by its title:
    a wiki export's toggle titled "Model answer" labels the text folded under it."""
    fence = None
    for idx, line in enumerate(lines):
        marker = _fence_marker(line.strip())
        if fence is not None:
            if marker == fence:
                fence = None
            continue
        if marker is not None:
            fence = marker
            continue
        m = _SUMMARY.fullmatch(line)
        if m is not None:
            lines[idx] = m.group(1).strip()


def _drop_running_lines(lines, found):
    """A printed document repeats its header and footer on every page: a line that occurs at
    least twice, each time within ``_PAGE_EDGE`` non-blank lines of a page number (or of the
    document's start or end), is one of them. Without page numbers nothing is dropped here, so
    a label or a bullet that merely repeats is safe."""
    filled = [idx for idx, line in enumerate(lines) if line.strip()]
    pages = [k for k, idx in enumerate(filled) if found.get(idx) == "page header or footer"]
    if not pages:
        return
    edges = set()
    for k in pages + [-1, len(filled)]:
        edges.update(range(k - _PAGE_EDGE, k + _PAGE_EDGE + 1))
    seen = {}
    for k, idx in enumerate(filled):
        text = lines[idx].strip()
        if len(text) <= 160 and not text.endswith("?"):
            seen.setdefault(text, []).append(k)
    for positions in seen.values():
        if len(positions) >= 2 and all(k in edges for k in positions):
            for k in positions:
                found.setdefault(filled[k], "page header or footer")


def _drop_block(lines, idx, reason, found):
    """Drop the lines listed under a block title: short lines, list items and links, up to a
    heading, a rule, or the first blank line once something was dropped. Returns the index to go
    on from."""
    n = len(lines)
    taken = 0
    while idx < n:
        stripped = lines[idx].strip()
        if not stripped:
            if taken:
                # a list whose items are separated by blank lines goes on with another item
                j = idx + 1
                while j < n and not lines[j].strip():
                    j += 1
                if j < n and (_BULLET.match(lines[j]) or _LINK_ONLY.fullmatch(_plain(lines[j]))) and not lines[j].lstrip().startswith("#"):
                    idx = j
                    continue
                return idx
            idx += 1
            continue
        if stripped.startswith("#") or stripped.startswith(("---", "***", "___", "```", "~~~")):
            return idx
        if len(stripped) > 160:
            return idx
        found[idx] = reason
        taken += 1
        idx += 1
    return idx
