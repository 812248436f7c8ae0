"""CSV and XLSX downloads of the observatory's tables, safe to open in any spreadsheet.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab, a carriage return or a line feed) gets an apostrophe before it (``engine.spreadsheet``'s
rule, used by every CSV Meute writes); in XLSX, text cells are also typed as text, so that
openpyxl never writes them as formulas. Numbers stay numbers; a suppressed cell (``None``) is
written "s", the statistical secret, and the table's note says so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime

from meute.engine.spreadsheet import csv_writer, safe_cell
from meute.observatory.figures import Cell, Table

__all__ = ["SECRET", "export_cell", "sheet_name", "table_csv", "table_xlsx", "tables_xlsx"]

SECRET = "s"


def export_cell(value: Cell) -> str | int | float:
    """A table cell as written to a file: formulas neutralised, None as "s".

    >>> export_cell("=1+1"), export_cell("@SUM(A1)"), export_cell(None), export_cell(12)
    ("'=1+1", "'@SUM(A1)", 's', 12)
    """
    if value is None:
        return SECRET
    cell = safe_cell(value)
    assert isinstance(cell, str | int | float)
    return cell


def table_csv(table: Table, *, delimiter: str = ";", bom: bool = True) -> str:
    """The table as CSV text: its title, a blank line, headers and rows, then its note if any.

    ``;`` and a byte-order mark by default, so that French spreadsheet software reads the
    columns and the accents right.
    """
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv_writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([table.title])
    writer.writerow([])
    writer.writerow(table.headers)
    writer.writerows([export_cell(v) for v in row] for row in table.rows)
    if table.note:
        writer.writerow([])
        writer.writerow([table.note])
    return out.getvalue()


_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_DATED = re.compile(r"\s+(jusqu'au|au) \d.*$")  # "… au 31 décembre 2025": the workbook says it once


def sheet_name(title: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique worksheet name from a title (at most 31 characters, none of []:*?/\\).

    >>> sheet_name("Personnes par secteur d'activité (sections NAF rév. 2) au 31/12/2025")
    "Personnes par secteur d'activit"
    >>> sheet_name("Réseaux", ["Réseaux"])
    'Réseaux (2)'
    """
    base = _FORBIDDEN.sub(" ", title).strip().strip("'") or "Feuille"
    name = base[:31]
    n = 2
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


def _fill_sheet(sheet: object, table: Table) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    sheet.append([export_cell(table.title)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    sheet.append([export_cell(h) for h in table.headers])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([export_cell(v) for v in row])
    if table.note:
        sheet.append([])
        sheet.append([export_cell(table.note)])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            elif cell.row > 3 and isinstance(cell.value, int):
                cell.number_format = "#,##0"
    sheet.freeze_panes = "A4"
    for j, header in enumerate(table.headers, start=1):
        longest = max(
            [len(str(header))] + [len(str(export_cell(r[j - 1]))) for r in table.rows if len(r) >= j]
        )
        sheet.column_dimensions[get_column_letter(j)].width = min(60, max(8, longest + 2))


def tables_xlsx(tables: Sequence[Table], *, created: datetime | None = None, title: str = "") -> bytes:
    """An XLSX workbook with one worksheet per table (in order), named after the titles.

    ``created`` is the date written in the workbook's properties (default a fixed one, so that
    the same tables give the same bytes).
    """
    from openpyxl import Workbook

    book = Workbook()
    when = created or datetime(2000, 1, 1)
    book.properties.created = when
    book.properties.modified = when
    book.properties.creator = "Meute"
    book.properties.title = title or (tables[0].title if tables else "")
    first = book.active
    assert first is not None
    names: list[str] = []
    for k, table in enumerate(tables):
        sheet = first if k == 0 else book.create_sheet()
        sheet.title = sheet_name(_DATED.sub("", table.title), names)
        names.append(sheet.title)
        _fill_sheet(sheet, table)
    if not tables:
        first.title = "Vide"
    out = io.BytesIO()
    book.save(out)
    return _fixed_dates(out.getvalue(), when)


def table_xlsx(table: Table, *, created: datetime | None = None) -> bytes:
    """One table as an XLSX workbook of one worksheet."""
    return tables_xlsx([table], created=created)


def _fixed_dates(data: bytes, when: datetime) -> bytes:
    """The same XLSX with every zip entry dated 1 January 1980 and ``when`` as its modification date.

    openpyxl writes the time of saving as the workbook's modification date: without this, the
    same tables would give other bytes each second.
    """
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            target.writestr(fixed, content)
    return out.getvalue()
