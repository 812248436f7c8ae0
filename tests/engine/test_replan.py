"""Re-planning the remaining rounds during the event."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from meute.engine.errors import EngineInputError
from meute.engine.rotations import PairingInstance, is_valid_schedule, replan, solve_rotations


def make(n: int, rounds: int, seed: int = 0, companies: list[str | None] | None = None) -> PairingInstance:
    rng = np.random.default_rng(seed)
    w = np.triu(rng.integers(1, 40, size=(n, n)), 1)
    return PairingInstance(
        ids=tuple(f"p{i + 1}" for i in range(n)),
        companies=tuple(companies or [None] * n),
        weights=w + w.T,
        rounds=rounds,
    )


def pairs(tables: list[list[int]]) -> set[tuple[int, int]]:
    return {(min(p, q), max(p, q)) for t in tables for p, q in combinations(t, 2)}


@pytest.fixture
def event() -> tuple[PairingInstance, list[list[list[int]]]]:
    """40 registered, two late registrations (p41, p42) the schedule does not know."""
    full = make(42, 6, seed=3)
    registered = PairingInstance(
        ids=full.ids[:40], companies=full.companies[:40], weights=full.weights[:40, :40], rounds=6
    )
    return full, solve_rotations(registered).rounds


def test_rounds_before_the_restart_stay_exactly_as_played(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=3, absent=[2, 8], arrived=[40])
    assert result.rounds[:2] == planned[:2]
    assert len(result.rounds) == 6


def test_absentees_sit_at_no_table_after_the_restart(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=3, absent=[2, 8, 9])
    for tables in result.rounds[2:]:
        assert {2, 8, 9}.isdisjoint(i for t in tables for i in t)


def test_arrivals_join_every_rebuilt_round_and_others_registered_late_do_not(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=4, absent=[5], arrived=[40])
    for tables in result.rounds[3:]:
        seated = [i for t in tables for i in t]
        assert 40 in seated and 41 not in seated
        assert sorted(seated) == sorted(set(range(40)) - {5} | {40})  # everyone present, once


def test_it_keeps_every_planned_meeting_the_change_does_not_touch(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=3, absent=[2, 8, 9], arrived=[40, 41])
    assert result.untouched > 0 and result.kept_share >= 0.9
    lost = sum(len({p for p in pairs(t) if {2, 8, 9} & set(p)}) for t in planned[2:])
    assert result.changed >= lost  # at least the absentees' meetings
    assert result.planned == sum(len(pairs(t)) for t in planned[2:])


def test_pairs_met_before_the_restart_do_not_meet_again(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=3, absent=[0, 1, 2], arrived=[40, 41])
    before = set().union(*(pairs(t) for t in result.rounds[:2]))
    after = [p for tables in result.rounds[2:] for p in pairs(tables)]
    assert before.isdisjoint(after)
    assert len(after) == len(set(after))
    assert is_valid_schedule(inst, result.rounds, check_rests=False) == []


def test_an_odd_count_after_the_change_gets_a_table_of_three(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=2, absent=[7])
    for tables in result.rounds[1:]:
        assert sorted(len(t) for t in tables) == [2] * 18 + [3]


def test_nothing_to_change_changes_nothing(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    result = replan(inst, planned, from_round=2)
    assert result.rounds == planned and result.changed == 0 and result.kept_share == 1.0


def test_colleagues_never_meet_after_a_replan() -> None:
    companies: list[str | None] = [f"c{i // 2}" for i in range(20)]
    inst = make(20, 4, seed=1, companies=companies)
    planned = solve_rotations(inst).rounds
    result = replan(inst, planned, from_round=2, absent=[0, 3, 4])
    assert is_valid_schedule(inst, result.rounds, check_rests=False) == []


def test_a_restart_outside_the_rounds_is_refused(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    with pytest.raises(EngineInputError, match="--from-round: expected 1 to 6, got 7"):
        replan(inst, planned, from_round=7)


def test_nobody_can_be_both_absent_and_arrived(event) -> None:  # type: ignore[no-untyped-def]
    inst, planned = event
    with pytest.raises(EngineInputError, match="both name 'p41'"):
        replan(inst, planned, from_round=2, absent=[40], arrived=[40])


def tables_instance(
    n: int, k: int, rounds: int, companies: list[str | None] | None = None
) -> PairingInstance:
    base = make(n, rounds, seed=5, companies=companies)
    return PairingInstance(
        ids=base.ids, companies=base.companies, weights=base.weights, rounds=rounds, table_size=k
    )


def test_tables_keep_their_people_and_seat_the_freed_where_they_repeat_least() -> None:
    from meute.engine.rotations import solve_tables

    registered = tables_instance(24, 4, 4)
    planned = solve_tables(registered).rounds
    full = tables_instance(26, 4, 4)  # two late registrations
    result = replan(full, planned, from_round=3, absent=[0, 5, 9], arrived=[24, 25])
    assert result.rounds[:2] == planned[:2]
    for tables in result.rounds[2:]:
        seated = sorted(p for t in tables for p in t)
        assert seated == sorted(set(range(26)) - {0, 5, 9})  # everyone present, nobody absent
        assert all(2 <= len(t) <= 4 for t in tables)
    # nobody meets twice: 24 people at tables of 4 over 4 rounds have room for it
    met = [pair for tables in result.rounds for t in tables for pair in combinations(sorted(t), 2)]
    assert len(met) == len(set(met))
    # every planned meeting between people still there is kept
    assert result.kept == result.untouched > 0
    assert result.changed == result.planned - result.kept
    assert result.added > 0


def test_tables_replan_never_seats_colleagues_together() -> None:
    from meute.engine.rotations import rule_breaks, solve_tables

    companies: list[str | None] = [f"c{i // 3}" for i in range(18)] + [None, None]
    registered = tables_instance(18, 3, 3, companies=companies[:18])
    planned = solve_tables(registered).rounds
    full = tables_instance(20, 3, 3, companies=companies)
    result = replan(full, planned, from_round=2, absent=[1, 4], arrived=[18, 19])
    assert rule_breaks(full, result.rounds) == []
    assert {18, 19} <= {p for t in result.rounds[1] for p in t}


def _ones(n: int, k: int, rounds: int, companies: list[str | None] | None = None) -> PairingInstance:
    w = np.ones((n, n), dtype=np.int64) - np.eye(n, dtype=np.int64)
    return PairingInstance(
        ids=tuple(f"p{i}" for i in range(n)),
        companies=tuple(companies or [None] * n),
        weights=w,
        rounds=rounds,
        table_size=k,
    )


SWAP_PLAN = [[[0, 1, 3], [4, 6, 7], [5, 8, 9]], [[3, 5, 7], [1, 4, 8], [0, 2, 6]]]


def test_replan_tables_swaps_someone_over_rather_than_repeat_a_meeting() -> None:
    from meute.engine.rotations import is_valid_replan, replan_tables

    # p1 leaves before round 2, whose plan rests p9. The only free seat, beside p4 and
    # p8, repeats p8-p9 (round 1): p0 moves there and p9 takes p0's seat, repeating nothing.
    inst = _ones(10, 3, 2)
    res = replan_tables(inst, SWAP_PLAN, from_round=2, absent=[1])
    assert res.rounds[1] == [[3, 5, 7], [0, 4, 8], [2, 6, 9]]
    assert is_valid_replan(inst, SWAP_PLAN, res.rounds, from_round=2, absent=[1]) == []
    met = [pair for tables in res.rounds for t in tables for pair in combinations(t, 2)]
    assert len(met) == len(set(met))
    # untouched: 3-5 3-7 5-7 4-8 0-2 0-6 2-6; the swap keeps all but 0-2 and 0-6
    assert (res.kept, res.untouched) == (5, 7)


def test_replan_tables_never_swaps_a_locked_seat() -> None:
    from meute.engine.rotations import replan_tables

    inst = _ones(10, 3, 2)
    locked = [(2, i) for i in (0, 2, 6, 3, 5, 7)]
    res = replan_tables(inst, SWAP_PLAN, from_round=2, absent=[1], locked=locked)
    # nobody may move: p9 takes the free seat and repeats, the one choice left
    assert res.rounds[1] == [[3, 5, 7], [4, 8, 9], [0, 2, 6]]
    assert res.kept == res.untouched == 7


def test_the_replan_checker_names_a_changed_past_round_and_a_seated_absentee() -> None:
    from meute.engine.rotations import is_valid_replan

    inst = _ones(6, 3, 2)
    planned = [[[0, 1, 2], [3, 4, 5]], [[0, 3, 4], [1, 2, 5]]]
    broken = [[[0, 1, 3], [2, 4, 5]], [[0, 3, 4], [1, 2, 5]]]
    assert is_valid_replan(inst, planned, broken, from_round=2, absent=[5]) == [
        "round 1: played already, but it changed",
        "round 2: absent p5 is seated",
    ]


def test_replan_tables_refuses_pairs() -> None:
    from meute.engine.rotations import replan_tables

    with pytest.raises(EngineInputError, match="tables of 3 or more"):
        replan_tables(_ones(4, 2, 2), [[[0, 1], [2, 3]]], from_round=1)


def test_replan_tables_unseats_whoever_would_repeat_a_meeting_and_seats_them_again() -> None:
    from meute.engine.rotations import is_valid_replan, replan_tables

    # Round 2 as planned repeats 0-1 and 7-8 of round 1 (a hand swap made it so): 1 and 8
    # leave their tables, and each takes the free seat where they meet nobody again.
    inst = _ones(9, 3, 2)
    planned = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1, 3], [2, 4, 6], [5, 7, 8]]]
    res = replan_tables(inst, planned, from_round=2)
    assert res.rounds[1] == [[0, 3, 8], [2, 4, 6], [1, 5, 7]]
    assert is_valid_replan(inst, planned, res.rounds, from_round=2) == []
    met = [pair for tables in res.rounds for t in tables for pair in combinations(t, 2)]
    assert len(met) == len(set(met))
    # of the nine planned meetings of round 2, 0-3 2-4 2-6 4-6 5-7 stay
    assert (res.kept, res.untouched) == (5, 9)


def test_replan_tables_keeps_a_locked_seat_that_repeats() -> None:
    from meute.engine.rotations import replan_tables

    inst = _ones(9, 3, 2)
    planned = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1, 3], [2, 4, 6], [5, 7, 8]]]
    res = replan_tables(inst, planned, from_round=2, locked=[(2, 0), (2, 1)])
    assert [0, 1, 3] in res.rounds[1]
