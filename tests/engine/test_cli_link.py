"""`meute link` on files: the file,row,person output, its report, decisions, and one-line errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from meute.engine.cli import main
from meute.engine.linkage import synth


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("lists")
    paths = []
    for i, member_list in enumerate(synth.generate(21, n_people=250, n_networks=5)):
        if i == 0:
            path = folder / f"{member_list.name}.xlsx"
            path.write_bytes(synth.to_xlsx_bytes(member_list))
        else:
            path = folder / f"{member_list.name}.csv"
            path.write_bytes(synth.to_csv_bytes(member_list))
        paths.append(path)
    return paths


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_it_writes_one_person_per_row_of_every_file(
    lists: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "people.csv"
    assert main(["link", *map(str, lists), "-o", str(out)]) == 0
    rows = read_rows(out)
    generated = synth.generate(21, n_people=250, n_networks=5)
    assert len(rows) == sum(len(m.rows) for m in generated)
    assert {r["file"] for r in rows} == {p.name for p in lists}
    first = generated[0]
    header_row = len(first.title_lines) + 1
    assert [int(r["row"]) for r in rows if r["file"] == lists[0].name][:2] == [header_row + 1, header_row + 2]
    report = capsys.readouterr().err
    assert "records: " in report and "people: " in report and " s" in report
    assert not list(tmp_path.glob(".*.tmp"))


def test_it_joins_a_person_across_files_and_honours_a_split(lists: list[Path], tmp_path: Path) -> None:
    generated = synth.generate(21, n_people=250, n_networks=5)
    where = {}
    for path, member_list in zip(lists, generated, strict=True):
        header = len(member_list.title_lines) + 1
        for k, person in enumerate(member_list.persons):
            where.setdefault(person, []).append((path.name, header + 1 + k))
    shared = next(rows for rows in where.values() if len(rows) == 2)
    out = tmp_path / "people.csv"
    assert main(["link", *map(str, lists), "-o", str(out)]) == 0
    person = {(r["file"], int(r["row"])): r["person"] for r in read_rows(out)}
    assert person[shared[0]] == person[shared[1]]
    decisions = tmp_path / "decisions.csv"
    (a_file, a_row), (b_file, b_row) = shared
    decisions.write_text(f"file_a,row_a,file_b,row_b,decision\n{a_file},{a_row},{b_file},{b_row},split\n")
    review = tmp_path / "review.csv"
    assert (
        main(
            ["link", *map(str, lists), "-o", str(out), "--decisions", str(decisions), "--review", str(review)]
        )
        == 0
    )
    person = {(r["file"], int(r["row"])): r["person"] for r in read_rows(out)}
    assert person[shared[0]] != person[shared[1]]
    assert review.read_text().startswith("file_a,row_a,file_b,row_b,match_probability,match_weight")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bad.csv: the file is empty"),
        (b"\x00\x01\x02binary" * 50, "bad.csv: a binary file"),
        (b"Entreprise;Mail\nX;x@x.fr\n", "bad.csv: row 1: no name column"),
        (b"Nom;Nom\nA;B\n", "bad.csv: row 1: the column name 'Nom' appears twice"),
        (b'Nom;Site\nA;=HYPERLINK("x")\n', "bad.csv: row 2, column B: a formula"),
    ],
)
def test_a_bad_file_gets_one_line_and_status_2(
    content: bytes, message: str, lists: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    out = tmp_path / "people.csv"
    assert main(["link", str(lists[0]), str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meute link: {message}") and err.count("\n") == 1
    assert not out.exists()


def test_a_missing_file_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_meute_command_runs_link_without_django(lists: list[Path], tmp_path: Path) -> None:
    code = (
        "import sys; from meute.cli import main; rc = main(sys.argv[1:]);"
        " assert 'django' not in sys.modules; sys.exit(rc)"
    )
    out = tmp_path / "people.csv"
    done = subprocess.run(
        [sys.executable, "-c", code, "link", *map(str, lists), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("file,row,person\n")


def test_a_threshold_outside_the_review_band_is_refused(
    lists: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["link", str(lists[0]), "-o", str(tmp_path / "o.csv"), "--threshold", "1.5"]) == 2
    assert "between 0.5 and 1" in capsys.readouterr().err
