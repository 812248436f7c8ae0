"""Member lists as bytes -> a :class:`Table` of text cells, with the header found.

Reads CSV (encoding, delimiter and header row detected), XLSX (openpyxl) and
ODS (odfpy). Everything refused raises :class:`~meute.engine.errors.EngineInputError`
with one line naming the file, and the row and column when there is one.
No file system access: the caller passes the bytes and the file's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence

from meute.engine.errors import EngineInputError
from meute.engine.linkage.columns import column_letter, guess_mapping
from meute.engine.linkage.table import Table

__all__ = ["MAX_BYTES", "Table", "read_table"]

MAX_BYTES = 20 * 1024 * 1024
_HEADER_SEARCH = 10  # title lines above the header met in real lists: 0 to 4
_FORMULA = re.compile(r"^=\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")


def read_table(data: bytes, name: str) -> Table:
    """Read one member list (its first sheet) into a :class:`Table`.

    Promises: every row of the result has ``len(headers)`` cells, empty rows are
    dropped, headers are unique and non-empty (blank header columns are dropped
    when the column is blank too); cells are stripped strings (dates from
    spreadsheets as ``YYYY-MM-DD``). Refused with EngineInputError naming file,
    row and column: over :data:`MAX_BYTES`, empty, binary or not a spreadsheet,
    a formula cell, duplicated headers, no header row.

    Notes: O(size of the file); the delimiter and header are guessed on the first
    rows only.
    """
    if len(data) > MAX_BYTES:
        raise EngineInputError(f"{name}: {len(data) / 1e6:.1f} MB, over the 20 MB limit")
    if not data.strip():
        raise EngineInputError(f"{name}: the file is empty")
    if data[:4] == b"PK\x03\x04":
        grid: list[list[object]] = _read_zip(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EngineInputError(f"{name}: an old Excel (.xls) file: save it as .xlsx, .ods or .csv")
    else:
        grid = list(_read_csv(data, name))
    return _to_table(grid, name)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if b"\x00" in sample or controls > len(sample) // 100:
        raise EngineInputError(f"{name}: a binary file, not a spreadsheet (CSV, XLSX or ODS)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows Excel's "CSV" is cp1252; Latin-1 takes the few bytes cp1252 leaves undefined.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _read_csv(data: bytes, name: str) -> list[list[object]]:
    text = _decode(data, name)
    lines = text.splitlines()[:60]
    best, best_key = ",", (-1, -1)
    for delim in (";", ",", "\t"):
        counts = Counter(len(r) for r in csv.reader(lines, delimiter=delim) if any(c.strip() for c in r))
        width, often = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else (1, 0)
        key = (often if width > 1 else 0, width)
        if key > best_key:
            best, best_key = delim, key
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=best)]


def _read_zip(data: bytes, name: str) -> list[list[object]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        mimetype = archive.read("mimetype").decode(errors="replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise EngineInputError(f"{name}: a damaged ZIP archive, not a readable spreadsheet") from exc
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, name)
    if "opendocument.spreadsheet" in mimetype:
        return _read_ods(data, name)
    raise EngineInputError(f"{name}: a ZIP archive that is not a spreadsheet (XLSX or ODS)")


def _read_xlsx(data: bytes, name: str) -> list[list[object]]:
    import openpyxl  # imported here: only XLSX files need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise EngineInputError(f"{name}: not a readable XLSX file ({type(exc).__name__})") from exc
    sheet = book.worksheets[0]
    grid: list[list[object]] = []
    for r, row in enumerate(sheet.iter_rows(), start=1):
        cells: list[object] = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and _FORMULA.match(value)):
                raise EngineInputError(
                    f"{name}: row {r}, column {column_letter(c)}: a formula ({str(value)[:40]}):"
                    " paste the values instead"
                )
            cells.append(value)
        grid.append(cells)
    book.close()
    return grid


def _read_ods(data: bytes, name: str) -> list[list[object]]:
    from odf import opendocument, table, teletype  # imported here: only ODS files need it

    try:
        doc = opendocument.load(io.BytesIO(data))
    except Exception as exc:
        raise EngineInputError(f"{name}: not a readable ODS file ({type(exc).__name__})") from exc
    sheets = doc.spreadsheet.getElementsByType(table.Table)
    if not sheets:
        raise EngineInputError(f"{name}: an ODS file without a sheet")
    grid: list[list[object]] = []
    for r, row in enumerate(sheets[0].getElementsByType(table.TableRow), start=1):
        cells: list[object] = []
        for c_el in row.getElementsByType(table.TableCell):
            formula = c_el.getAttribute("formula")
            if formula:
                raise EngineInputError(
                    f"{name}: row {r}, column {column_letter(len(cells))}: a formula ({formula[:40]}):"
                    " paste the values instead"
                )
            repeat = int(c_el.getAttribute("numbercolumnsrepeated") or 1)
            value: object = c_el.getAttribute("datevalue") or teletype.extractText(c_el)
            cells.extend([value] * min(repeat, 200))
        repeat_rows = int(row.getAttribute("numberrowsrepeated") or 1)
        if any(_cell_text(v) for v in cells):
            grid.extend([cells] * min(repeat_rows, 1000))
        else:
            grid.extend([[]] * min(repeat_rows, 1))
    return grid


def _header_index(texts: Sequence[Sequence[str]]) -> int:
    best, best_score = -1, 0
    for i, row in enumerate(texts[:_HEADER_SEARCH]):
        score = len(guess_mapping(row))
        if score > best_score:
            best, best_score = i, score
    if best >= 0:
        return best
    for i, row in enumerate(texts[:_HEADER_SEARCH]):
        if sum(1 for c in row if c) >= 2:
            return i
    return -1


def _to_table(grid: Iterable[Sequence[object]], name: str) -> Table:
    texts = [[_cell_text(v) for v in row] for row in grid]
    for r, row in enumerate(texts, start=1):
        for c, cell in enumerate(row):
            if _FORMULA.match(cell):
                raise EngineInputError(
                    f"{name}: row {r}, column {column_letter(c)}: a formula ({cell[:40]}): paste the values instead"
                )
    h = _header_index(texts)
    if h < 0:
        raise EngineInputError(f"{name}: no header row (column names) in the first {_HEADER_SEARCH} rows")
    header = texts[h]
    body = [(r, row) for r, row in enumerate(texts[h + 1 :], start=h + 2) if any(row)]
    width = max([len(header), *(len(row) for _, row in body)])
    keep = [
        c
        for c in range(width)
        if (c < len(header) and header[c]) or any(c < len(row) and row[c] for _, row in body)
    ]
    headers: list[str] = []
    seen: dict[str, int] = {}
    for c in keep:
        title = header[c] if c < len(header) else ""
        if not title:
            raise EngineInputError(f"{name}: row {h + 1}, column {column_letter(c)}: a column without a name")
        key = title.casefold()
        if key in seen:
            raise EngineInputError(
                f"{name}: row {h + 1}: the column name {title!r} appears twice"
                f" (columns {column_letter(seen[key])} and {column_letter(c)})"
            )
        seen[key] = c
        headers.append(title)
    rows = tuple(tuple(row[c] if c < len(row) else "" for c in keep) for _, row in body)
    return Table(name, tuple(headers), rows, tuple(r for r, _ in body), h + 1)
