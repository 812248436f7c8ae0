"""`meute team` from the command line: a team, no team (status 1), bad input (status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meute.cli import main as meute_main
from meute.engine.cli import main
from meute.engine.consortium import is_valid_team, parse_tender

TENDER = {
    "format": "meute.tender/1",
    "site": {"x": 0, "y": 0},
    "radius_km": 45,
    "capacity_share": 0.3,
    "firm_cost": 15,
    "together_bonus": 10,
    "lots": [
        {"id": "L1", "trade": "charpente", "amount": 120, "cert": None},
        {"id": "L2", "trade": "couverture", "amount": 80, "cert": "RGE"},
    ],
    "firms": [
        {
            "id": "f1",
            "trades": ["charpente", "couverture"],
            "x": 20,
            "y": 0,
            "turnover": 800,
            "certs": ["RGE"],
        },
        {"id": "f2", "trades": ["charpente"], "x": 5, "y": 0, "turnover": 500, "certs": ["Qualibat"]},
        {"id": "f3", "trades": ["couverture"], "x": 0, "y": 3, "turnover": 900, "certs": []},
    ],
    "together": [["f1", "f2"]],
}


def write(tmp_path: Path, data, name: str = "tender.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_team_writes_the_best_team_and_its_alternatives(tmp_path, capsys):
    out = tmp_path / "team.json"
    assert main(["team", write(tmp_path, TENDER), "-o", str(out), "--alternatives", "2"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "meute.team/1"
    assert doc["lots"] == {"L1": "f2", "L2": "f1"}
    assert doc["cost"] == 45 and doc["lower_bound"] == 45 and doc["gap"] == 0
    assert [alt["cost"] for alt in doc["alternatives"]] == [55]  # only two valid teams exist
    assert is_valid_team(parse_tender(TENDER), doc["lots"]) == []
    assert doc["reasons"]["L2"]["together_with"] == ["f2"]
    err = capsys.readouterr().err
    assert "team of 2 firm(s) for 2 lot(s), cost 45" in err and "gap 0.00 %" in err
    assert not list(tmp_path.glob(".*partial"))


def test_the_meute_command_hands_team_to_the_engine(tmp_path):
    out = tmp_path / "team.json"
    assert meute_main(["team", write(tmp_path, TENDER), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["alternatives"] == []


def test_no_team_exits_1_naming_each_lot_and_why(tmp_path, capsys):
    tender = {
        **TENDER,
        "lots": [*TENDER["lots"], {"id": "L3", "trade": "plomberie", "amount": 10, "cert": None}],
    }
    tender["firms"] = [{**f, "certs": []} for f in TENDER["firms"]]
    out = tmp_path / "team.json"
    assert main(["team", write(tmp_path, tender), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "lot L2 (couverture): 2 firm(s) have the trade but none the certification RGE" in err
    assert "lot L3 (plomberie): no firm has the trade plomberie" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{not json", [], "malformed JSON at line 1"),
        ({**TENDER, "radius_km": "far"}, [], "radius_km: must be a number, got 'far'"),
        (
            {**TENDER, "firms": [{**TENDER["firms"][0], "turnover": None}]},
            [],
            "firms[0].turnover: must be a number",
        ),
        (TENDER, ["--alternatives", "-1"], "--alternatives: must be at least 0"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(tmp_path, capsys, content, args, message):
    out = tmp_path / "team.json"
    assert main(["team", write(tmp_path, content), "-o", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err and err.count("\n") == 0
    assert not out.exists()


def test_a_bad_option_exits_2_through_argparse(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["team", write(tmp_path, TENDER), "-o", str(tmp_path / "t.json"), "--alternatives", "two"])
    assert exc.value.code == 2
    assert "invalid int value: 'two'" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["team", str(tmp_path / "nowhere.json"), "-o", str(tmp_path / "t.json")]) == 2
    assert "nowhere.json: cannot read" in capsys.readouterr().err


def test_an_unwritable_output_exits_2_and_leaves_nothing(tmp_path, capsys):
    out = tmp_path / "missing-dir" / "team.json"
    assert main(["team", write(tmp_path, TENDER), "-o", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err
