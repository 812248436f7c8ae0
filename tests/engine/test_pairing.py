"""Reading and validating meute.pairing-instance/1 and meute.schedule/1."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from meute.engine.errors import EngineInputError
from meute.engine.rotations import (
    instance_to_json,
    parse_instance,
    parse_schedule,
    schedule_to_json,
)


def doc(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "meute.pairing-instance/1",
        "rounds": 2,
        "table_size": 2,
        "participants": [{"id": "p1", "company": "c1"}, {"id": "p2", "company": "c1"}, {"id": "p3"}],
        "weights": [[0, 5, 3], [5, 0, 2], [3, 2, 0]],
        "forbidden": [["p3", "p2"]],
        "requested": [["p1", "p3"]],
    }
    base.update(overrides)
    return base


def test_it_reads_a_well_formed_instance() -> None:
    inst = parse_instance(doc())
    assert inst.ids == ("p1", "p2", "p3")
    assert inst.companies == ("c1", "c1", None)
    assert inst.weights.dtype == np.int64 and inst.weights[0, 1] == 5
    assert inst.forbidden == ((1, 2),)
    assert inst.requested == ((0, 2),)
    assert (inst.rounds, inst.table_size, inst.n) == (2, 2, 3)


def test_its_weights_are_read_only() -> None:
    with pytest.raises(ValueError):
        parse_instance(doc()).weights[0, 1] = 9


def test_allowed_excludes_colleagues_forbidden_pairs_and_oneself() -> None:
    ok = parse_instance(doc()).allowed
    assert ok.tolist() == [[False, False, True], [False, False, False], [True, False, False]]


def test_own_bound_is_the_sum_of_each_persons_best_weights() -> None:
    # 2 rounds of pairs: each person's two best weights, colleagues included (as the referee)
    assert parse_instance(doc()).own_bound.tolist() == [8.0, 7.0, 5.0]


def test_it_round_trips_through_json() -> None:
    inst = parse_instance(doc())
    again = parse_instance(instance_to_json(inst))
    assert again.ids == inst.ids and (again.weights == inst.weights).all()
    assert again.forbidden == inst.forbidden and again.requested == inst.requested


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "format: expected 'meute.pairing-instance/1', got 'x'"),
        ({"rounds": 0}, "rounds: expected at least 1, got 0"),
        ({"rounds": "8"}, "rounds: expected an integer, got '8'"),
        ({"table_size": 1}, "table_size: expected at least 2, got 1"),
        ({"participants": {}}, "participants: expected a list"),
        ({"participants": [{"id": "p1"}, {"id": "p1"}, {"id": "p3"}]}, "participants: duplicate id 'p1'"),
        (
            {"participants": [{"id": "p1"}, {"name": "x"}, {"id": "p3"}]},
            "participants: entry 2 has no string 'id'",
        ),
        ({"weights": [[0, 5, 3], [5, 0], [3, 2, 0]]}, "weights: row 2 has 2 entries, expected 3"),
        ({"weights": [[0, 5, 3], [5, 0, 2]]}, "weights: 2 rows, expected 3 (one per participant)"),
        ({"weights": [[0, 5, 3], [5, 0, 2], [4, 2, 0]]}, "weights: not symmetric at p1-p3 (3 vs 4)"),
        (
            {"weights": [[0, 5, 3], [5, 0, -2], [3, -2, 0]]},
            "weights: row 2, column 3 is -2, expected an integer >= 0",
        ),
        (
            {"weights": [[0, 5, 3], [5, 0, 2.5], [3, 2.5, 0]]},
            "weights: row 2, column 3 is 2.5, expected an integer >= 0",
        ),
        ({"weights": [[1, 5, 3], [5, 0, 2], [3, 2, 0]]}, "weights: diagonal entry of p1 is 1, expected 0"),
        ({"forbidden": [["p1", "p99"]]}, "forbidden: unknown participant 'p99'"),
        ({"requested": [["p1"]]}, "requested: entry 1 is not a pair of two ids"),
        ({"requested": [["p1", "p1"]]}, "requested: entry 1 pairs p1 with themself"),
    ],
)
def test_it_names_the_problem_of_bad_input(change: dict[str, Any], message: str) -> None:
    with pytest.raises(EngineInputError) as err:
        parse_instance(doc(**change))
    assert str(err.value) == message


def test_it_refuses_a_document_that_is_not_an_object() -> None:
    with pytest.raises(EngineInputError, match="instance: expected a JSON object"):
        parse_instance([1, 2])


def test_schedules_round_trip_between_ids_and_indices() -> None:
    inst = parse_instance(doc())
    data = schedule_to_json(inst, [[[0, 2]], [[1, 0]]])
    assert data == {"format": "meute.schedule/1", "rounds": [[["p1", "p3"]], [["p2", "p1"]]]}
    assert parse_schedule(inst, data) == [[[0, 2]], [[1, 0]]]


def test_a_schedule_naming_a_stranger_is_refused() -> None:
    with pytest.raises(EngineInputError, match="schedule: round 1: unknown participant 'p9'"):
        parse_schedule(parse_instance(doc()), {"format": "meute.schedule/1", "rounds": [[["p1", "p9"]]]})


def test_a_schedule_in_the_wrong_format_is_refused() -> None:
    with pytest.raises(EngineInputError) as err:
        parse_schedule(parse_instance(doc()), {"rounds": []})
    assert str(err.value) == "format: expected 'meute.schedule/1', got None"


def test_the_round_filler_never_breaks_up_a_locked_pair() -> None:
    from meute.engine.rotations.colouring import fill_round

    # 0-1 sit together (a requested pair); 2 and 3 are free but have met already.
    # The exchange 2-0, 3-1 would seat them on unmet pairs, at the cost of 0-1.
    Wx = np.ones((4, 4)) - np.eye(4)
    base = ~np.eye(4, dtype=bool)
    locked = np.zeros((4, 4), dtype=bool)
    locked[0, 1] = locked[1, 0] = True

    def fill(lock: np.ndarray | None) -> tuple[list[int], int]:
        mate = np.array([1, 0, -1, -1])
        avail = base.copy()
        avail[0, 1] = avail[1, 0] = avail[2, 3] = avail[3, 2] = False
        repeats = fill_round(mate, Wx, avail, base, -1, np.random.default_rng(0), lock)
        return mate.tolist(), repeats

    free_mates, free_repeats = fill(None)
    assert free_mates[0] in (2, 3) and free_repeats == 0  # the exchange, when nothing is locked
    assert fill(locked) == ([1, 0, 3, 2], 1)  # locked: 0-1 stays, and 2-3 meet again
