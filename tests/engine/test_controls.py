"""Control characters never leave the site in a file."""

from __future__ import annotations

import io

import pytest

from meute.engine.controls import multi_line, single_line
from meute.engine.spreadsheet import csv_writer, safe_cell

EVERY_CONTROL = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029])


def test_a_single_line_keeps_no_control_character_not_even_a_tab_or_a_break() -> None:
    assert single_line(f"a{EVERY_CONTROL}b") == "a" + " " * len(EVERY_CONTROL) + "b"


def test_a_multi_line_text_keeps_its_breaks_and_tabs_only() -> None:
    text = multi_line(f"a{EVERY_CONTROL}b")
    assert set(text) <= {"a", "b", " ", "\n", "\t"}
    assert multi_line("un\r\ndeux\rtrois\u2028quatre") == "un\ndeux\ntrois\nquatre"


@pytest.mark.parametrize("text", ["Soirée à Tours", "l'équipe « Touraine »", "😀 ok"])
def test_printable_text_is_left_as_it_is(text: str) -> None:
    assert single_line(text) == multi_line(text) == text


def test_a_csv_cell_keeps_no_control_character() -> None:
    out = io.StringIO()
    csv_writer(out, delimiter=";").writerow(["Ana\x00\x1b[31m", "x\ry"])
    assert "\x00" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert safe_cell("x\ry") == "x\ny"
