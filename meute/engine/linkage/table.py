"""One sheet of a member list as read: the type that reading produces and mapping consumes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Table"]


@dataclass(frozen=True)
class Table:
    """One sheet: ``headers`` and ``rows`` of stripped text, ``row_numbers[i]`` the
    spreadsheet row of ``rows[i]`` (the header row being ``header_row``, 1-based)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    header_row: int
