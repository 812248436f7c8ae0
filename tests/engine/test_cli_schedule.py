"""`meute schedule` and `meute replan` on files: outputs, figures and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from meute.engine.cli import main
from meute.engine.rotations import is_valid_schedule, parse_instance, parse_schedule


def instance_doc(n: int = 12, rounds: int = 3, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    w = np.triu(rng.integers(0, 30, size=(n, n)), 1)
    return {
        "format": "meute.pairing-instance/1",
        "rounds": rounds,
        "table_size": 2,
        "participants": [{"id": f"p{i + 1}", "company": f"c{i // 2}"} for i in range(n)],
        "weights": (w + w.T).tolist(),
        "forbidden": [["p1", "p3"]],
        "requested": [["p2", "p5"]],
    }


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_schedule_writes_a_valid_schedule_and_prints_its_cheap_figures(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = instance_doc()
    out = tmp_path / "schedule.json"
    assert main(["schedule", write(tmp_path, "i.json", doc), "-o", str(out)]) == 0
    inst = parse_instance(doc)
    rounds = parse_schedule(inst, json.loads(out.read_text()))
    assert len(rounds) == 3 and is_valid_schedule(inst, rounds) == []
    printed = capsys.readouterr().err
    assert "of the LP dual bound" in printed and "(--figures: the exact LP)" in printed
    assert "worst-served:" in printed and "the solver's estimate of the fair share is" in printed
    assert "of the fair bound" not in printed
    assert "requested met: 1 of 1" in printed


def test_schedule_with_figures_prints_the_exact_lp_and_fair_bounds(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = instance_doc()
    out = tmp_path / "schedule.json"
    assert main(["schedule", write(tmp_path, "i.json", doc), "-o", str(out), "--figures"]) == 0
    printed = capsys.readouterr().err
    assert "of the LP bound" in printed and "dual" not in printed
    assert "worst-served:" in printed and "of the fair bound" in printed


def test_schedule_of_tables_prints_its_figures_without_a_fair_estimate(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # The tables solver has no LP duals nor fair estimate: its bound comes from
    # prices found by coordinate descent, and the report goes on without the fair share.
    doc = instance_doc() | {"table_size": 3}
    out = tmp_path / "schedule.json"
    assert main(["schedule", write(tmp_path, "i.json", doc), "-o", str(out)]) == 0
    printed = capsys.readouterr().err
    assert "of the LP dual bound" in printed
    assert "worst-served:" in printed and "fair" not in printed
    assert "repeat meetings:" in printed


def test_schedule_does_not_import_scipy_optimize(tmp_path: Path) -> None:
    # scipy.optimize costs more start-up than a 200 x 8 schedule takes to solve:
    # the engine loads HiGHS alone (meute.engine.lp).
    path = write(tmp_path, "i.json", instance_doc())
    code = (
        "import sys; from meute.engine.cli import main; "
        f"main(['schedule', {path!r}, '-o', {str(tmp_path / 'o.json')!r}]); "
        "print('scipy.optimize' in sys.modules, 'scipy.sparse' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "format: expected 'meute.pairing-instance/1', got 'x'"),
        ({"weights": [[0] * 12] * 11 + [[0] * 13]}, "weights: row 12 has 13 entries, expected 12"),
        ({"forbidden": [["p1", "p99"]]}, "forbidden: unknown participant 'p99'"),
        ({"rounds": -1}, "rounds: expected at least 1, got -1"),
    ],
)
def test_schedule_refuses_bad_input_with_one_line_and_status_2(
    tmp_path: Path,
    capsys,
    change: dict[str, Any],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    doc = instance_doc() | change
    code = main(["schedule", write(tmp_path, "i.json", doc), "-o", str(tmp_path / "s.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"meute schedule: {message}\n"
    assert not (tmp_path / "s.json").exists()


def test_schedule_reports_asymmetric_weights_by_ids(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = instance_doc()
    doc["weights"][2][6] += 1
    assert main(["schedule", write(tmp_path, "i.json", doc), "-o", str(tmp_path / "s.json")]) == 2
    assert "weights: not symmetric at p3-p7" in capsys.readouterr().err


def test_schedule_names_the_line_of_malformed_json(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "i.json", '{"format":\n  oops}')
    assert main(["schedule", path, "-o", str(tmp_path / "s.json")]) == 2
    assert "malformed JSON at line 2" in capsys.readouterr().err


def test_schedule_names_a_missing_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schedule", str(tmp_path / "nope.json"), "-o", str(tmp_path / "s.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_replan_rebuilds_and_reports_how_many_meetings_changed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = instance_doc(n=14, rounds=4)
    instance = write(tmp_path, "i.json", doc)
    planned = tmp_path / "s.json"
    assert main(["schedule", instance, "-o", str(planned)]) == 0
    new = tmp_path / "new.json"
    code = main(["replan", instance, str(planned), "--from-round", "3", "--absent", "p4,p9", "-o", str(new)])
    assert code == 0
    printed = capsys.readouterr().err
    assert "changed:" in printed and "kept:" in printed
    before = json.loads(planned.read_text())["rounds"]
    after = json.loads(new.read_text())["rounds"]
    assert after[:2] == before[:2]
    assert not {"p4", "p9"} & {p for tables in after[2:] for t in tables for p in t}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from-round", "9"], "--from-round: expected 1 to 4, got 9"),
        (["--from-round", "2", "--absent", "p99"], "--absent: unknown participant 'p99'"),
        (["--from-round", "2", "--arrived", "p1,zz"], "--arrived: unknown participant 'zz'"),
    ],
)
def test_replan_refuses_bad_options_with_one_line(
    tmp_path: Path,
    capsys,
    options: list[str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    doc = instance_doc(n=14, rounds=4)
    instance = write(tmp_path, "i.json", doc)
    planned = write(tmp_path, "s.json", {"format": "meute.schedule/1", "rounds": [[["p1", "p2"]]]})
    code = main(["replan", instance, planned, *options, "-o", str(tmp_path / "new.json")])
    assert code == 2
    assert capsys.readouterr().err == f"meute replan: {message}\n"


def test_replan_refuses_a_schedule_naming_a_stranger(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    instance = write(tmp_path, "i.json", instance_doc())
    planned = write(tmp_path, "s.json", {"format": "meute.schedule/1", "rounds": [[["p1", "q2"]]]})
    assert main(["replan", instance, planned, "--from-round", "2", "-o", str(tmp_path / "n.json")]) == 2
    assert "schedule: round 1: unknown participant 'q2'" in capsys.readouterr().err


def test_the_meute_command_runs_the_schedule_end_to_end(tmp_path: Path) -> None:
    instance = write(tmp_path, "i.json", instance_doc(n=8, rounds=2))
    bad = write(tmp_path, "bad.json", instance_doc(n=8, rounds=2) | {"format": "y"})
    ok = subprocess.run(
        [sys.executable, "-m", "meute.cli", "schedule", instance, "-o", str(tmp_path / "s.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run(
        [sys.executable, "-m", "meute.cli", "schedule", bad, "-o", str(tmp_path / "t.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.strip().splitlines() == [
        "meute schedule: format: expected 'meute.pairing-instance/1', got 'y'"
    ]


def test_replan_rebuilds_a_plan_of_tables(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = instance_doc(n=20, rounds=3) | {"table_size": 4, "requested": []}
    instance = write(tmp_path, "i.json", doc)
    planned = tmp_path / "s.json"
    assert main(["schedule", instance, "-o", str(planned)]) == 0
    new = tmp_path / "new.json"
    assert (
        main(["replan", instance, str(planned), "--from-round", "2", "--absent", "p4", "-o", str(new)]) == 0
    )
    assert "kept:" in capsys.readouterr().err
    after = json.loads(new.read_text())["rounds"]
    assert after[0] == json.loads(planned.read_text())["rounds"][0]
    for tables in after[1:]:
        assert sorted(p for t in tables for p in t) == sorted(f"p{i}" for i in range(1, 21) if i != 4)
        assert all(len(t) <= 4 for t in tables)
