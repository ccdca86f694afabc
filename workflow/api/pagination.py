"""Cursor pagination: each page is one indexed range query, however deep."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Newest first by id: ids only grow, so a cursor never skips or repeats a row."""

    ordering = "-pk"
    page_size_query_param = "page_size"
    max_page_size = 200


class OldestFirstPagination(IdCursorPagination):
    """Oldest first (timelines, reference lists)."""

    ordering = "pk"
