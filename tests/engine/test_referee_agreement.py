"""Our checkers and figures agree with the independent referee of ../shared/referee.

The referee is not part of the project (a user's clone has no ../shared): these
tests run where it is (REFEREE_DIR, or ../shared/referee beside the clone, as on
the team's machines and in CI) and are skipped elsewhere. Each solver's own
checker is what the rest of the suite relies on; here it must give the same
verdict as the referee on valid schedules and on schedules broken on purpose,
and the same figures.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from meute.engine.rotations import (
    is_valid_schedule,
    is_valid_tables,
    parse_instance,
    parse_schedule,
    schedule_figures,
    schedule_to_json,
    solve_rotations,
    solve_tables,
)
from meute.engine.slots import is_valid_plan, plan_from_json, plan_meetings, plan_to_json
from meute.engine.slots import parse_instance as parse_slots

REFEREE = Path(os.environ.get("REFEREE_DIR", Path(__file__).resolve().parents[3] / "shared" / "referee"))

pytestmark = pytest.mark.skipif(
    not (REFEREE / "referee.py").exists(), reason=f"the independent referee is not at {REFEREE}"
)


def shared(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"referee_{name}", REFEREE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def break_schedule(doc: dict[str, Any], schedule: dict[str, Any], how: str) -> dict[str, Any]:
    """A copy of ``schedule`` with one rule broken on purpose."""
    out = copy.deepcopy(schedule)
    first = out["rounds"][0]
    company: dict[str, str] = {p["id"]: p.get("company") for p in doc["participants"]}
    if how == "twice in a round":
        first[0].append(first[1][0])
    elif how == "colleagues":
        a = next(p for p in company if company[p] and sum(c == company[p] for c in company.values()) > 1)
        b = next(p for p in company if p != a and company[p] == company[a])
        for t in first:
            for p in (a, b):
                if p in t:
                    t.remove(p)
        out["rounds"][0] = [t for t in first if t] + [[a, b]]
    elif how == "forbidden":
        a, b = doc["forbidden"][0]
        out["rounds"][0] = [[p for p in t if p not in (a, b)] for t in first]
        out["rounds"][0] = [t for t in out["rounds"][0] if t] + [[a, b]]
    elif how == "table too big":
        first[0].extend(first[1])
        del first[1]
    elif how == "too many rounds":
        out["rounds"].append(copy.deepcopy(out["rounds"][0]))
    return out


@pytest.mark.parametrize("table_size", [2, 4])
@pytest.mark.parametrize(
    "how", ["", "twice in a round", "colleagues", "forbidden", "table too big", "too many rounds"]
)
def test_the_checker_and_the_referee_give_the_same_verdict(table_size: int, how: str) -> None:
    referee, make = shared("referee"), shared("make_instance").make
    doc = make(40 if table_size == 2 else 36, 4, table_size, seed=3, requested_fraction=0.05)
    doc["forbidden"] = doc.get("forbidden") or [[doc["participants"][0]["id"], doc["participants"][5]["id"]]]
    inst = parse_instance(doc)
    rounds = (solve_rotations(inst) if table_size == 2 else solve_tables(inst)).rounds
    schedule = break_schedule(doc, schedule_to_json(inst, rounds), how)
    verdict = referee.referee(doc, schedule)
    try:
        ours = parse_schedule(inst, schedule)
    except Exception as exc:  # our reader refuses some broken files outright
        assert not verdict["valid"], f"we refuse ({exc}), the referee accepts"
        return
    errors = (
        is_valid_schedule(inst, ours, check_rests=False) if table_size == 2 else is_valid_tables(inst, ours)
    )
    if table_size > 2:
        errors = [e for e in errors if " rests " not in e]  # the referee does not judge rests
    assert (errors == []) == verdict["valid"], (errors[:3], verdict["errors"][:3])
    assert verdict["valid"] == (how == "")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_our_figures_are_the_referees(seed: int) -> None:
    referee, make = shared("referee"), shared("make_instance").make
    doc = make(61, 5, seed=seed, requested_fraction=0.1)
    inst = parse_instance(doc)
    rounds = solve_rotations(inst, seed=seed).rounds
    # a repeat on purpose, so that repeats are compared too
    rounds[-1] = rounds[0]
    verdict = referee.referee(doc, schedule_to_json(inst, rounds))
    ours = schedule_figures(inst, rounds)
    for key in ("total_relevance", "distinct_meetings", "repeat_meetings", "requested_met", "worst_share"):
        assert ours[key] == verdict[key], key


@pytest.mark.parametrize("how", ["", "double-booked", "table clash", "unavailable", "table out of range"])
def test_the_slot_checker_and_the_referee_give_the_same_verdict(how: str) -> None:
    referee, make = shared("slots_referee"), shared("make_slots_instance").make
    data = make(60, 10, 12, 300, seed=4)
    inst = parse_slots(data)
    plan = plan_to_json(plan_meetings(inst))
    rng = random.Random(how)
    placed = plan["placed"]
    by_id = {m["id"]: m for m in data["meetings"]}
    if how == "double-booked":
        # move a meeting onto a slot where one of its people already meets
        a = placed[0]
        person = by_id[a["meeting"]]["between"][0]
        other = next(
            p for p in placed[1:] if person in by_id[p["meeting"]]["between"] and p["slot"] != a["slot"]
        )
        a["slot"], a["table"] = other["slot"], (other["table"] + 1) % data["tables"]
    elif how == "table clash":
        b = next(p for p in placed[1:] if p["slot"] == placed[0]["slot"]) if len(placed) > 1 else placed[0]
        b["table"] = placed[0]["table"]
    elif how == "unavailable":
        avail = {p["id"]: set(p["available"]) for p in data["participants"]}
        for p in placed:
            person = by_id[p["meeting"]]["between"][0]
            missing = sorted(set(range(data["slots"])) - avail[person])
            if missing:
                p["slot"] = rng.choice(missing)
                break
    elif how == "table out of range":
        placed[0]["table"] = data["tables"]
    verdict = referee.referee(data, plan)
    errors = is_valid_plan(inst, plan_from_json(plan))
    assert (errors == []) == verdict["valid"], (errors[:3], verdict["errors"][:3])
    assert verdict["valid"] == (how == "")
