"""Request bodies: JSON only, with the characters PostgreSQL cannot store refused in words
(config.middleware refuses them in forms and query strings; a JSON body is the view's)."""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE = "The request contains a character that cannot be stored (a NUL or a broken character). Remove it."


def _has_unstorable(value, depth=0):
    if depth > 32:
        raise ParseError("The JSON is nested too deeply.")
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(_has_unstorable(k, depth + 1) or _has_unstorable(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_unstorable(v, depth + 1) for v in value)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # nesting deeper than Python's parser goes: not a ValueError
            raise ParseError("The JSON is nested too deeply.") from None
        if _has_unstorable(data):
            raise ParseError(UNSTORABLE)
        return data
