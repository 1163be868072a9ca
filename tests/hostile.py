"""Hostile values for property-based tests (hypothesis): what a probe, a broken client or a
pasted file sends where a form or the page's script would send something sensible.

- ``texts``: NUL, lone surrogates, keys with a trailing newline, Unicode line separators,
  right-to-left marks, emoji, number-like and markup-like strings, and very long strings.
- ``json_values``: any JSON value built from hostile scalars (huge integers, NaN and
  Infinity, wrong types everywhere), and ``json_anything`` adds raw JSON text: nesting far
  deeper than Python's parser allows, NaN/Infinity literals, number literals too long to read.
- ``variants(template, values)``: a valid request (form fields or a JSON object) with some
  fields kept, some replaced by hostile values, some left out, and hostile extra keys.
- ``form_body``/``query_string``/``json_body``: the bytes a client would send. Lone
  surrogates are encoded as their (invalid) UTF-8 bytes, as a hostile client would do;
  Django's test client cannot encode them itself.
"""

import json
import math
import uuid
from urllib.parse import quote

from hypothesis import strategies as st

NASTY_TEXTS = [
    "", " ", "\x00", "a\x00b", "%00", "\ud800", "x\udfffy", "\udbff", "key\n", "a" * 64 + "\n", "abcdefgh\n",
    "\r\n", "\t", "\n\n\n", "\u2028", "line\u2029break", "\u202eevil", "\u200f", "\u200b", "\ufeff", "\ufffd",
    "🦜", "👩🏽‍💻", "e\u0301", "\U0010ffff", "-1", "0", "00", "1.5", "3.0", "4 ", " 4", "+4", "2147483648",
    "9223372036854775808", "1" * 40, "1e309", "NaN", "Infinity", "-Infinity", "true", "false", "null", "None",
    "[]", "{}", "[[[[]]]]", '{"a": 1}', "'", '"', "\\", "%", "_", "' OR '1'='1", "<script>x</script>",
    "{{ request }}", "{% debug %}", "../../etc/passwd", "javascript:alert(1)", "//evil.example", "=cmd|' /C calc'!A0",
    "2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59", "x" * 81, "x" * 201, "x" * 401,
]
# Long strings: one character repeated past the limits the app knows about (80, 200, 400,
# 2000, 5000, 20,000 characters) and past the 64 KB autosave body.
LONG_LENGTHS = [81, 201, 401, 2001, 5001, 20_001, 70_000]
LONG_CHARACTERS = ["x", "é", "🦜", "\x00", "\ud800", " ", "\n", "1"]

HUGE_INTEGERS = [-1, 0, 2**15, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 10**30, -(10**30)]
ODD_FLOATS = [math.nan, math.inf, -math.inf, 1e308, -0.0, 0.5, 2.0, 1e-320]

long_texts = st.builds(lambda n, c: c * n, st.sampled_from(LONG_LENGTHS), st.sampled_from(LONG_CHARACTERS))
texts = st.one_of(
    st.sampled_from(NASTY_TEXTS),
    # Any code point, control characters and lone surrogates included.
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=20),
    long_texts,
)
short_texts = st.one_of(st.sampled_from([t for t in NASTY_TEXTS if len(t) < 80]),
                        st.text(alphabet=st.characters(codec=None), max_size=10))
integers = st.one_of(st.sampled_from(HUGE_INTEGERS), st.integers())
json_scalars = st.one_of(st.none(), st.booleans(), integers, st.sampled_from(ODD_FLOATS), st.floats(), texts)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(short_texts, children, max_size=4),
    max_leaves=10,
)


class Raw:
    """JSON text spliced in as it is, for what ``json.dumps`` will not write."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return f"Raw({self.text[:40]!r}{'…' if len(self.text) > 40 else ''} {len(self.text)} chars)"


def _deep(depth, kind):
    return {"list": "[" * depth + "]" * depth,
            "object": '{"a":' * depth + "1" + "}" * depth,
            "mixed": '[{"a":' * depth + "1" + "}]" * depth}[kind]


raw_json = st.one_of(
    # Python's parser recurses: past about 1000 levels it raises RecursionError, not ValueError.
    st.builds(_deep, st.sampled_from([40, 1000, 5000, 30_000]), st.sampled_from(["list", "object", "mixed"])).map(Raw),
    st.sampled_from(["NaN", "-Infinity", "1e999", "-1e999", "1" * 5000, "1." + "0" * 5000, '"\\ud800"',
                     '"\\u0000"', '"a\\udc00b"', '"\\uDBFF\\uDBFF"']).map(Raw),
)
json_anything = st.one_of(json_values, raw_json)


def to_json(value):
    """``value`` as JSON text, with any ``Raw`` parts spliced in and NaN/Infinity written as
    Python writes them."""
    parts = {}

    def default(obj):
        if isinstance(obj, Raw):
            marker = f"raw-{uuid.uuid4().hex}"
            parts[marker] = obj.text
            return marker
        raise TypeError(type(obj))

    text = json.dumps(value, default=default, allow_nan=True)
    for marker, raw in parts.items():
        text = text.replace(f'"{marker}"', raw, 1)
    return text


def json_body(value):
    """The bytes of a JSON request body; lone surrogates inside Raw text stay escapes, those in
    strings are written as \\u escapes by json.dumps (ensure_ascii)."""
    return to_json(value).encode("utf-8", "surrogatepass")


raw_bodies = st.one_of(
    st.sampled_from([b"", b" ", b"{", b"[", b"null", b"[]", b"{}", b'"x"', b"0", b"\x00", b"\xff\xfe\xfd",
                     b"\xef\xbb\xbf{}", b'{"a": 1}{"b": 2}', b"NaN", b"\xed\xa0\x80"]),
    st.binary(max_size=64),
)


@st.composite
def variants(draw, template, values=json_anything, *, extra_keys=short_texts):
    """``template`` (a valid request: a dict of fields) with each field kept, replaced by a
    hostile value, or left out; nested objects are varied the same way; plus a few hostile
    extra keys (a key with a newline among them). Every field is varied in every example: a
    form checks each field on its own, so one bad field rarely hides another's crash."""
    result = {}
    for key, valid in template.items():
        how = draw(st.sampled_from(["keep", "keep", "hostile", "hostile", "drop"]
                                   + (["vary", "vary"] if isinstance(valid, dict) else [])))
        if how == "keep":
            result[key] = valid
        elif how == "hostile":
            result[key] = draw(values)
        elif how == "vary":
            result[key] = draw(variants(valid, values, extra_keys=extra_keys))
    for _ in range(draw(st.integers(0, 2))):
        result[draw(extra_keys)] = draw(values)
    return result


# What a form field gets instead of what it expects: the wrong type of text, numbers out of
# range, "digits" that int() refuses (str.isdigit() accepts "²"), JSON nested too deep for
# the parser, and so on. No NUL or lone surrogate: those are refused before any view runs,
# so they would hide the rest of the request from it (``texts`` has them).
CONFUSED_TEXTS = [
    "abc", "", " ", "-1", "0", "1.5", "1e3", "0x10", "99999999999999999999", "1" * 5000, "2147483648", "-2147483649",
    "²", "¹²",
    "٣", "Ⅻ", "true", "on", "None", "[]", "{}", '{"a": 1}', "[" * 3000 + "]" * 3000, '{"a":' * 2000 + "1" + "}" * 2000,
    "x" * 81, "x" * 201, "x" * 2001, "🦜", "\u202e", "key\n", "2026-02-30", "10000-01-01T00:00", "a@b", "@@@",
    "http://", "https://exa mple.com", "javascript:alert(1)", "%s", "%(x)s", "{0}", "-", "--", "+", "=1+1",
]
confused_texts = st.one_of(st.sampled_from(CONFUSED_TEXTS), st.text(max_size=12))
form_texts = st.one_of(confused_texts, confused_texts, texts)
# A form field's value: one text, or several (a field posted more than once).
form_values = st.one_of(form_texts, form_texts, st.lists(form_texts, min_size=2, max_size=3))


def _pairs(data):
    for key, value in data.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            yield str(key), item if isinstance(item, str) else str(item)


def _quote(text):
    return quote(text, safe="", encoding="utf-8", errors="surrogatepass")


def form_body(data):
    """``data`` (field -> text or list of texts) as an application/x-www-form-urlencoded body."""
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in _pairs(data)).encode("ascii")


def query_string(data):
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in _pairs(data))


def multipart_safe(data):
    """``data`` for the test client's multipart encoder, which cannot write a lone surrogate:
    each becomes U+FFFD, which is also what Django makes of the invalid bytes a client sends."""
    def fix(value):
        if isinstance(value, str):
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return {fix(str(k)): fix(v) for k, v in data.items()}
