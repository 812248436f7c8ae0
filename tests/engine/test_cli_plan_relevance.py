"""`meute plan` and `meute relevance` from the command line: good runs and each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meute.engine.cli import main
from meute.engine.slots import is_valid_plan, parse_instance, plan_from_json

LABELLED = Path(__file__).resolve().parents[2] / "meute" / "engine" / "data" / "profiles_labelled.json"

SLOTS = {
    "format": "meute.slots-instance/1",
    "slots": 3,
    "tables": 2,
    "participants": [{"id": x, "available": [0, 1, 2]} for x in ("a", "b", "c", "d")],
    "meetings": [
        {"id": "m1", "between": ["a", "b"], "priority": 2},
        {"id": "m2", "between": ["a", "c"]},
        {"id": "m3", "between": ["c", "d"], "priority": 3},
    ],
}

PROFILES = {
    "format": "meute.profiles/1",
    "rounds": 4,
    "table_size": 2,
    "participants": [
        {"id": "p1", "name": "Marie", "seeks": "un site internet", "wishes": ["p2"]},
        {"id": "p2", "name": "Paul", "offers": "Création de sites web", "wishes": ["p1"]},
        {"id": "p3", "offers": "Plomberie", "avoid": ["p1"]},
    ],
}


def write(tmp_path: Path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_plan_writes_a_valid_plan_and_prints_its_figures(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", write(tmp_path, "i.json", SLOTS), "-o", str(out), "--seed", "3"]) == 0
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["format"] == "meute.slot-plan/1"
    assert is_valid_plan(parse_instance(SLOTS), plan_from_json(plan)) == []
    assert len(plan["placed"]) == 3
    assert "placed 3/3 meetings" in capsys.readouterr().err


def test_relevance_writes_a_pairing_instance(tmp_path, capsys):
    out = tmp_path / "instance.json"
    assert main(["relevance", write(tmp_path, "p.json", PROFILES), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "meute.pairing-instance/1"
    assert (doc["rounds"], doc["table_size"]) == (4, 2)
    assert doc["requested"] == [["p1", "p2"]]
    assert doc["forbidden"] == [["p1", "p3"]]
    assert any("Marie" in r["why"] and "Paul" in r["why"] for r in doc["reasons"])
    assert "3 profiles scored" in capsys.readouterr().err


def test_relevance_reads_the_labelled_set(tmp_path):
    assert main(["relevance", str(LABELLED), "-o", str(tmp_path / "o.json")]) == 0


def bad_slots(**change):
    return {**SLOTS, **change}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "malformed JSON at line 1"),
        (bad_slots(format="meute.pairing-instance/1"), "format: expected 'meute.slots-instance/1'"),
        (bad_slots(slots="16"), "slots: expected an integer"),
        (bad_slots(tables=-3), "tables: must be >= 1"),
        (
            bad_slots(participants=[{"id": "a", "available": [0]}, {"id": "a", "available": [1]}]),
            "participants: duplicate id 'a'",
        ),
        (
            bad_slots(participants=[{"id": "a", "available": [3]}]),
            "participant a: available slot 3 out of range",
        ),
        (bad_slots(participants=[{"id": "a", "available": [-1]}]), "participant a: available: must be >= 0"),
        (bad_slots(meetings=[{"id": "m1", "between": ["a", "x"]}]), "meeting m1: unknown participant 'x'"),
        (bad_slots(meetings=[{"id": "m1", "between": ["a", "a"]}]), "meeting m1: between names 'a' twice"),
        (
            bad_slots(meetings=[{"id": "m1", "between": ["a", "b"], "priority": 1.5}]),
            "meeting m1: priority: expected an integer",
        ),
    ],
)
def test_plan_refuses_bad_input_with_one_clear_line(tmp_path, capsys, data, message):
    code = main(["plan", write(tmp_path, "i.json", data), "-o", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.startswith("meute plan: ") and err.count("\n") == 1
    assert not (tmp_path / "o.json").exists()


def test_plan_refuses_a_missing_file(tmp_path, capsys):
    assert main(["plan", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plan_refuses_a_non_positive_time_limit(tmp_path, capsys):
    path = write(tmp_path, "i.json", SLOTS)
    assert main(["plan", path, "-o", str(tmp_path / "o.json"), "--time-limit", "0"]) == 2
    assert "--time-limit" in capsys.readouterr().err


def bad_profiles(**change):
    return {**PROFILES, **change}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("[1, 2", "malformed JSON"),
        (bad_profiles(format="meute.slots-instance/1"), "format: expected 'meute.profiles/1'"),
        (bad_profiles(rounds=-1), "rounds: must be >= 1"),
        (bad_profiles(table_size=2.5), "table_size: expected an integer"),
        (bad_profiles(participants=[{"id": "p1"}, {"id": "p1"}]), "participants: duplicate id 'p1'"),
        (
            bad_profiles(participants=[{"id": "p1", "wishes": ["p9"]}]),
            "participant p1: wishes: unknown participant 'p9'",
        ),
        (
            bad_profiles(participants=[{"id": "p1", "avoid": ["p9"]}]),
            "participant p1: avoid: unknown participant 'p9'",
        ),
        (bad_profiles(participants=[{"id": "p1", "naf": "4322"}]), "participant p1: naf"),
        (
            bad_profiles(participants=[{"id": "p1", "offers": 12}]),
            "participant p1: offers: expected a string",
        ),
        (
            bad_profiles(participants=[{"name": "Marie"}]),
            "participants[0]: expected an object with a string id",
        ),
    ],
)
def test_relevance_refuses_bad_input_with_one_clear_line(tmp_path, capsys, data, message):
    code = main(["relevance", write(tmp_path, "p.json", data), "-o", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.startswith("meute relevance: ") and err.count("\n") == 1
    assert not (tmp_path / "o.json").exists()
