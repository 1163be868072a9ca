"""The document parser's limits and public types: ``ParsedQuestion`` (one question read from a
document) and ``DocumentError`` (a document that cannot be read). ``questionbank.docparser``
is the entry point and states the format."""

from dataclasses import dataclass, field

TITLE_MAX = 200
LONG_QUESTION = 1000
MAX_DOCUMENT_WARNINGS = 200
MAX_QUESTIONS = 2000
BINARY_RATIO = 0.30
# Uploaded files (readers.py): a zip bomb, deep nesting or a huge text is refused before it is read.
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNPACKED = 40 * 1024 * 1024
DOCX_MAX_RATIO = 100
MAX_NESTING = 100
PDF_MAX_PAGES = 500
MAX_TEXT_CHARS = 5 * 1024 * 1024
MAX_LINE_CHARS = 20_000  # a paragraph of a long answer fits; a megabyte on one line is not a document

NO_QUESTIONS = (
    "No questions found: number them (Q1., 1.), start them with 'Question:', "
    "or put each question on its own line ending in '?' after a blank line (plain, bold or as a heading)"
)


@dataclass
class ParsedQuestion:
    title: str
    prompt: str
    why_we_ask: str = ""
    model_answer: str = ""
    evaluation: str = ""
    key_points: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    line: int = 0
    warnings: list[str] = field(default_factory=list)
    end_line: int = 0
    red_flags: list[str] = field(default_factory=list)
    section: str = ""  # the section title the question sits under, if any
    confidence: str = "high"  # high / medium / low: how sure the parser is this is one question
    confidence_reason: str = ""


@dataclass
class ParseResult:
    """Everything read from a document: its questions, document warnings and the lines dropped
    as clutter (``{"line", "text", "reason"}``), none of them silently."""

    questions: list[ParsedQuestion]
    warnings: list[str]
    dropped: list[dict]


class DocumentError(ValueError):
    """The document cannot be read. ``str(err)`` is ``"Line N: message"`` when the line is known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"Line {line}: {message}" if line is not None else message)

    def __reduce__(self):
        return (type(self), (self.message, self.line))


@dataclass
class Source:
    """A document as text, its format, and what reading it left out (``{"line", "text", "reason"}``,
    lines of the original file)."""

    text: str
    kind: str  # "text", "html", "docx", "pdf"
    dropped: list[dict] = field(default_factory=list)


def capped(text, what):
    """``text``, unless it is more than ``MAX_TEXT_CHARS`` (then a DocumentError naming ``what``)."""
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(f"The {what} holds more than {MAX_TEXT_CHARS // (1024 * 1024)} MB of text: split it into smaller files")
    return text

