"""A web page as the text the document parser reads (standard library ``html.parser``): see
``readers``, which states what is left out and listed."""

import re
from html.parser import HTMLParser

from .types import MAX_NESTING, DocumentError, Source, capped

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
    return Source(capped(text, "page"), "html", parser.dropped)
