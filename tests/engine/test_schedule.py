"""solve_schedule picks the solver; per-person figures; the shared input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meute.engine.errors import EngineInputError
from meute.engine.rotations import (
    PairingInstance,
    RotationResult,
    TablesResult,
    person_shares,
    schedule_figures,
    solve_rotations,
    solve_schedule,
    solve_tables,
    worst_served,
)
from meute.engine.validation import document, integer, rows_with_ids


def room(n: int, table_size: int, rounds: int = 3, seed: int = 0) -> PairingInstance:
    rng = np.random.default_rng(seed)
    w = np.triu(rng.integers(0, 20, size=(n, n)), 1)
    return PairingInstance(
        ids=tuple(f"p{i}" for i in range(n)),
        companies=(None,) * n,
        weights=w + w.T,
        rounds=rounds,
        table_size=table_size,
    )


def test_solve_schedule_gives_one_to_one_rooms_to_solve_rotations() -> None:
    inst = room(10, 2)
    res = solve_schedule(inst, seed=4)
    assert isinstance(res, RotationResult)
    assert res.rounds == solve_rotations(inst, seed=4).rounds


def test_solve_schedule_gives_tables_to_solve_tables() -> None:
    inst = room(12, 4)
    res = solve_schedule(inst, seed=1)
    assert isinstance(res, TablesResult)
    assert res.rounds == solve_tables(inst, seed=1).rounds


def test_person_shares_agree_with_the_referee_figures() -> None:
    inst = room(14, 2)
    rounds = solve_schedule(inst).rounds
    shares = person_shares(inst, rounds)
    fig = schedule_figures(inst, rounds)
    assert round(float(np.nanmin(shares)), 4) == fig["worst_share"]
    worst = worst_served(inst, rounds)
    assert worst is not None
    assert worst[1] == float(np.nanmin(shares)) and shares[worst[0]] == worst[1]


def test_nobody_worth_meeting_has_no_share() -> None:
    inst = PairingInstance(ids=("a", "b"), companies=(None, None), weights=np.zeros((2, 2), dtype=np.int64))
    shares = person_shares(inst, [[[0, 1]]])
    assert all(math.isnan(s) for s in shares)
    assert worst_served(inst, [[[0, 1]]]) is None


def test_the_shared_checks_word_their_messages() -> None:
    with pytest.raises(EngineInputError, match=r"^expected a JSON object$"):
        document([], "x/1")
    with pytest.raises(EngineInputError, match=r"^format: expected 'x/1', got 'y'$"):
        document({"format": "y"}, "x/1")
    with pytest.raises(EngineInputError, match=r"^rounds: expected at least 1, got 0$"):
        integer(0, "rounds", 1, too_low="expected at least {minimum}, got {value}")
    with pytest.raises(EngineInputError, match=r"^meetings: expected a list$"):
        rows_with_ids(None, "meetings")
    with pytest.raises(EngineInputError, match=r"^participants: entry 2 has no string 'id'$"):
        list(rows_with_ids([{"id": "a"}, {"id": 3}], "participants", numbered=True))
    with pytest.raises(EngineInputError, match=r"^meetings\[1\]: expected an object with a string id$"):
        list(rows_with_ids([{"id": "a"}, "b"], "meetings"))
