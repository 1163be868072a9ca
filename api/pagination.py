"""Cursor pagination: ``next`` and ``previous`` links that stay right while rows are added
(an ATS paging through candidates never sees one twice or misses one)."""

from rest_framework.pagination import CursorPagination


class IdCursor(CursorPagination):
    """By id, oldest first: ids never change, so the cursor is stable. ``?limit=`` up to 200."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
