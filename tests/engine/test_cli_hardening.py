"""The engine's command line on hostile input: one line, status 2, never a traceback, no half file (issue 17)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from meute.engine.cli import main
from tests.engine.test_cli_plan_relevance import PROFILES, SLOTS

PAIRS = {
    "format": "meute.pairing-instance/1",
    "rounds": 2,
    "participants": [{"id": p} for p in "abcd"],
    "weights": [[0, 1, 2, 3], [1, 0, 1, 2], [2, 1, 0, 1], [3, 2, 1, 0]],
}


def refused(capsys: pytest.CaptureFixture[str], command: str, argv: list[str]) -> str:
    """Run the command: it must exit 2 with one line naming the command; returns that line."""
    code = main([command, *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"meute {command}: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(("command", "good"), [("relevance", PROFILES), ("schedule", PAIRS), ("plan", SLOTS)])
def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, capsys: Any, command: str, good: Any) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(json.dumps(good).encode("utf-8").replace(b'"a"', b'"\xe9"', 1) + b"\xff")
    err = refused(capsys, command, [str(path), "-o", str(tmp_path / "o.json")])
    assert "not UTF-8" in err


@pytest.mark.parametrize("command", ["relevance", "schedule", "plan"])
def test_json_nested_200000_deep_is_refused(tmp_path: Path, capsys: Any, command: str) -> None:
    path = tmp_path / "in.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    err = refused(capsys, command, [str(path), "-o", str(tmp_path / "o.json")])
    assert "nested too deeply" in err


def test_profiles_without_any_text_still_give_an_instance(tmp_path: Path, capsys: Any) -> None:
    # scikit-learn: "empty vocabulary; perhaps the documents only contain stop words".
    data = {**PROFILES, "participants": [{"id": "p1"}, {"id": "p2", "offers": "le la les"}, {"id": "p3"}]}
    src, out = tmp_path / "p.json", tmp_path / "o.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    assert main(["relevance", str(src), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["weights"] == [[0, 0, 0], [0, 0, 0], [0, 0, 0]]


@pytest.mark.parametrize(("command", "good"), [("relevance", PROFILES), ("schedule", PAIRS), ("plan", SLOTS)])
def test_an_output_in_a_missing_folder_is_refused_naming_it(
    tmp_path: Path, capsys: Any, command: str, good: Any
) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(good), encoding="utf-8")
    err = refused(capsys, command, [str(src), "-o", str(tmp_path / "nowhere" / "o.json")])
    assert "nowhere" in err and "cannot write" in err


def test_a_priority_of_1e40_is_refused_before_anything_is_written(tmp_path: Path, capsys: Any) -> None:
    data = json.loads(json.dumps(SLOTS))
    data["meetings"][0]["priority"] = 10**40
    src, out = tmp_path / "in.json", tmp_path / "o.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    err = refused(capsys, "plan", [str(src), "-o", str(out)])
    assert "meeting m1: priority: must be <= 1000000" in err
    assert not out.exists()


@pytest.mark.parametrize(("command", "good"), [("relevance", PROFILES), ("schedule", PAIRS)])
def test_a_lone_surrogate_in_an_id_never_truncates_an_existing_output(
    tmp_path: Path, capsys: Any, command: str, good: Any
) -> None:
    text = json.dumps(good).replace('"a"', '"\\ud800"').replace('"p1"', '"\\ud800"')
    src, out = tmp_path / "in.json", tmp_path / "o.json"
    src.write_text(text, encoding="utf-8")
    out.write_text("the previous result\n", encoding="utf-8")
    err = refused(capsys, command, [str(src), "-o", str(out)])
    assert "not valid Unicode" in err
    assert out.read_text(encoding="utf-8") == "the previous result\n"
    assert {p.name for p in tmp_path.iterdir()} == {"in.json", "o.json"}  # no temporary file left


@pytest.mark.parametrize(
    ("command", "good", "field", "value", "message"),
    [
        ("schedule", PAIRS, "rounds", 10**6, "rounds: must be <= 1000"),
        ("schedule", PAIRS, "table_size", 10**9, "table_size: must be <= 100"),
        ("plan", SLOTS, "slots", 10**7, "slots: must be <= 1000"),
        ("plan", SLOTS, "tables", 10**7, "tables: must be <= 10000"),
        ("relevance", PROFILES, "rounds", 10**100, "rounds: must be <= 1000, got a number of 101 digits"),
        ("relevance", PROFILES, "table_size", 10**6, "table_size: must be <= 100"),
    ],
)
def test_sizes_are_bounded_before_anything_is_allocated(
    tmp_path: Path, capsys: Any, command: str, good: Any, field: str, value: int, message: str
) -> None:
    # rounds=10**6 grew past 400 MB whatever --time-limit; slots=10**7 reached 13 GB in 60 s.
    src = tmp_path / "in.json"
    src.write_text(json.dumps({**good, field: value}), encoding="utf-8")
    started = time.perf_counter()
    err = refused(capsys, command, [str(src), "-o", str(tmp_path / "o.json")])
    assert message in err
    assert time.perf_counter() - started < 5


def test_the_largest_rounds_allowed_honour_the_time_limit(tmp_path: Path, capsys: Any) -> None:
    n = 30
    data = {
        "format": "meute.pairing-instance/1",
        "rounds": 1000,
        "participants": [{"id": f"p{i}"} for i in range(n)],
        "weights": [[0 if i == j else (i * j) % 7 + 1 for j in range(n)] for i in range(n)],
    }
    src, out = tmp_path / "in.json", tmp_path / "o.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    started = time.perf_counter()
    assert main(["schedule", str(src), "-o", str(out), "--time-limit", "5"]) == 0
    assert time.perf_counter() - started < 30
    assert len(json.loads(out.read_text(encoding="utf-8"))["rounds"]) == 1000
