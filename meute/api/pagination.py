"""Limit and offset pagination with bounds: at most MAX_LIMIT rows a page, offsets up to MAX_OFFSET.

Endpoints return :class:`Mapped` (rows and the function that turns one into its
schema), so only the page asked for is read and converted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000


class Mapped:
    """Rows (a queryset or a list) with the function that turns one row into its output schema."""

    def __init__(self, rows: QuerySet[Any] | Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.rows, self.convert = rows, convert

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def page(self, offset: int, limit: int) -> list[Any]:
        return [self.convert(row) for row in self.rows[offset : offset + limit]]


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    items_attribute = "items"

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Mapped, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": queryset.page(offset, limit),
            "count": queryset.count(),
            "limit": limit,
            "offset": offset,
        }
