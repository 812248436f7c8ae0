"""Reading member lists: encodings, delimiters, header rows, spreadsheets, and every refusal."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.engine.errors import EngineInputError
from meute.engine.linkage import guess_mapping, read_table, records_from_table
from meute.engine.linkage.read import MAX_BYTES

LIST = "Nom;Prénom;Société;Courriel;Portable\nLefèvre;Éloïse;SARL Boulangerie Lefèvre;eloise@exemple.fr;06 12 34 56 78\n"


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_reads_utf8_with_a_bom() -> None:
    table = read_table(b"\xef\xbb\xbf" + LIST.encode(), "a.csv")
    assert table.headers[0] == "Nom"
    assert table.rows[0][1] == "Éloïse"


def test_it_reads_cp1252_from_windows_excel() -> None:
    table = read_table(LIST.encode("cp1252"), "a.csv")
    assert table.rows[0][:2] == ("Lefèvre", "Éloïse")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_detects_the_delimiter(delimiter: str) -> None:
    table = read_table(LIST.replace(";", delimiter).encode(), "a.csv")
    assert len(table.headers) == 5


def test_it_finds_the_header_under_title_lines() -> None:
    data = ("Réseau Entreprendre Touraine\nListe 2026\n" + LIST).encode()
    table = read_table(data, "a.csv")
    assert table.header_row == 3
    assert table.row_numbers == (4,)


def test_it_reads_xlsx_with_dates() -> None:
    import datetime as dt

    data = xlsx(
        [
            ["Titre"],
            ["NOM Prénom", "Entreprise", "Date de naissance"],
            ["DUPONT Jean", "X", dt.datetime(1970, 5, 1)],
        ]
    )
    table = read_table(data, "a.xlsx")
    assert table.header_row == 2
    assert table.rows == (("DUPONT Jean", "X", "1970-05-01"),)


def test_it_reads_ods() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="Membres")
    for values in (["Nom", "Prénom", "Mail"], ["Martin", "Paul", "paul@exemple.fr"]):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    doc.save(out)
    table = read_table(out.getvalue(), "a.ods")
    assert table.headers == ("Nom", "Prénom", "Mail")
    assert table.rows == (("Martin", "Paul", "paul@exemple.fr"),)


def test_it_refuses_an_xlsx_formula_naming_row_and_column() -> None:
    data = xlsx([["Nom", "Site"], ["Martin", '=HYPERLINK("http://x.fr","x")']])
    with pytest.raises(EngineInputError, match=r"a\.xlsx: row 2, column B: a formula"):
        read_table(data, "a.xlsx")


def test_it_refuses_a_csv_formula() -> None:
    with pytest.raises(EngineInputError, match=r"row 2, column B: a formula"):
        read_table(b'Nom;Site\nMartin;=HYPERLINK("http://x.fr")\n', "a.csv")


def test_it_refuses_duplicated_headers() -> None:
    with pytest.raises(
        EngineInputError, match=r"a\.csv: row 1: the column name 'Nom' appears twice \(columns A and C\)"
    ):
        read_table(b"Nom;Prenom;Nom\nA;B;C\n", "a.csv")


def test_it_refuses_a_list_without_a_name_column() -> None:
    table = read_table(b"Entreprise;Mail\nX;x@x.fr\n", "a.csv")
    with pytest.raises(EngineInputError, match=r"a\.csv: row 1: no name column"):
        records_from_table(table)


def test_it_refuses_binary_data() -> None:
    with pytest.raises(EngineInputError, match="a binary file"):
        read_table(bytes(range(256)) * 10, "a.csv")


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(EngineInputError, match=r"a\.csv: the file is empty"):
        read_table(b"  \n", "a.csv")


def test_it_refuses_a_file_over_20_mb() -> None:
    with pytest.raises(EngineInputError, match="over the 20 MB limit"):
        read_table(b"x" * (MAX_BYTES + 1), "a.csv")


def test_it_refuses_a_zip_that_is_not_a_spreadsheet() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(EngineInputError, match="not a spreadsheet"):
        read_table(out.getvalue(), "a.xlsx")


def test_it_refuses_old_xls() -> None:
    with pytest.raises(EngineInputError, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls")


def test_it_maps_french_column_names() -> None:
    mapping = guess_mapping(
        ["Nom", "Prénom", "Raison sociale", "N° SIRET", "E-mail", "Tél.", "Portable", "Adresse", "CP", "Ville",
         "Date de naissance", "Code APE", "Fonction", "Date d'adhésion"]
    )  # fmt: skip
    assert mapping == {
        "surname": 0, "first_name": 1, "company": 2, "siret": 3, "email": 4, "phone": 5, "mobile": 6,
        "address": 7, "postcode": 8, "commune": 9, "birth_date": 10, "naf": 11, "role": 12, "joined": 13,
    }  # fmt: skip


def test_it_reports_invalid_cells_by_file_row_and_column() -> None:
    data = b"Nom;SIRET;Tel;Date de naissance\nMartin;12345678901234;01 02;31/02/1980\n"
    records, problems = records_from_table(read_table(data, "a.csv"))
    assert len(records) == 1 and records[0].siren == "" and records[0].phone == ""
    assert [str(p).split(":")[0:2] for p in problems] == [["a.csv", " row 2, column B (SIRET)"]] + [
        ["a.csv", " row 2, column C (Tel)"],
        ["a.csv", " row 2, column D (Date de naissance)"],
    ]


def test_it_takes_the_siren_from_a_siret() -> None:
    records, problems = records_from_table(read_table(b"Nom;SIRET\nMartin;732 829 320 00074\n", "a.csv"))
    assert records[0].siren == "732829320" and not problems


cells = st.text(
    alphabet=st.characters(codec="cp1252", exclude_characters="\r\n\x00=", exclude_categories=("Cc",)),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_it_reads_back_what_a_spreadsheet_writes(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Nom", "Prénom", "Société"])
    writer.writerows(rows)
    table = read_table(out.getvalue().encode(encoding), "a.csv")
    expected = [tuple(c.strip() for c in row) for row in rows if any(c.strip() for c in row)]
    assert table.headers == ("Nom", "Prénom", "Société")
    assert list(table.rows) == expected
