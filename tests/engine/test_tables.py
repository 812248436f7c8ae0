"""Tables of k: exact answers on designs, the limits, and properties on generated rooms."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.engine.errors import EngineInputError
from meute.engine.rotations import (
    PairingInstance,
    is_valid_schedule,
    is_valid_tables,
    repeat_free_limit,
    solve_tables,
)
from meute.engine.rotations.designs import _NEAR_ORTHOGONAL_6, _affine_lines, _golf_32_4, _net, officers_36


def room(
    n: int,
    k: int,
    rounds: int,
    *,
    weights: np.ndarray | None = None,
    companies: list[str | None] | None = None,
    forbidden: tuple[tuple[int, int], ...] = (),
    requested: tuple[tuple[int, int], ...] = (),
) -> PairingInstance:
    w = np.zeros((n, n), dtype=np.int64) if weights is None else weights
    return PairingInstance(
        ids=tuple(f"p{i + 1}" for i in range(n)),
        companies=tuple(companies or [None] * n),
        weights=w,
        forbidden=forbidden,
        requested=requested,
        rounds=rounds,
        table_size=k,
    )


def random_weights(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 50, size=(n, n))
    w = np.triu(w, 1)
    return w + w.T


def repeats_of(rounds: list[list[list[int]]]) -> int:
    met: dict[tuple[int, int], int] = {}
    for tables in rounds:
        for t in tables:
            for a, b in itertools.combinations(sorted(t), 2):
                met[(a, b)] = met.get((a, b), 0) + 1
    return sum(c - 1 for c in met.values())


def relevance_of(w: np.ndarray, rounds: list[list[list[int]]]) -> int:
    pairs = {
        (min(a, b), max(a, b)) for tables in rounds for t in tables for a, b in itertools.combinations(t, 2)
    }
    return int(sum(w[a, b] for a, b in pairs))


def random_tables(n: int, k: int, rounds: int, seed: int) -> list[list[list[int]]]:
    rng = random.Random(seed)
    m = -(-n // k)
    out = []
    for _ in range(rounds):
        people = list(range(n))
        rng.shuffle(people)
        out.append([people[t::m] for t in range(m)])
    return out


# --- designs -----------------------------------------------------------------


@pytest.mark.parametrize(("q", "d"), [(3, 2), (4, 2), (5, 2), (2, 3), (3, 3), (8, 2)])
def test_affine_geometry_meets_every_pair_exactly_once(q: int, d: int) -> None:
    rounds = _affine_lines(q, d)
    n = q**d
    assert len(rounds) == (n - 1) // (q - 1)
    assert repeats_of(rounds) == 0
    assert all(sorted(p for t in tables for p in t) == list(range(n)) for tables in rounds)
    assert all(len(t) == q for tables in rounds for t in tables)


def test_the_built_in_32_people_design_runs_ten_rounds_without_a_repeat() -> None:
    rounds = _golf_32_4()
    assert len(rounds) == 10
    assert repeats_of(rounds) == 0
    assert all(sorted(p for t in tables for p in t) == list(range(32)) for tables in rounds)
    assert all(len(t) == 4 for tables in rounds for t in tables)


def test_a_net_of_order_6_gives_three_repeat_free_rounds() -> None:
    rounds = _net(6, 6)
    assert len(rounds) == 3
    assert repeats_of(rounds) == 0


# --- exact answers -------------------------------------------------------------


def test_nine_people_at_tables_of_three_run_four_rounds_without_a_repeat() -> None:
    inst = room(9, 3, 4, weights=random_weights(9, 1))
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats == 0 == repeats_of(res.rounds)
    assert res.repeat_free_limit == 4
    # Four rounds of the affine plane of order 3: every pair meets exactly once.
    assert res.relevance == int(np.triu(inst.weights, 1).sum())


def test_sixteen_people_at_tables_of_four_run_five_rounds_without_a_repeat() -> None:
    inst = room(16, 4, 5)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats == 0
    assert res.repeat_free_limit == 5


def test_thirty_two_people_at_tables_of_four_run_ten_rounds_without_a_repeat() -> None:
    inst = room(32, 4, 10, weights=random_weights(32, 2))
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats == 0
    assert res.repeat_free_limit == 10
    assert len(res.rounds) == 10


def test_thirty_six_people_at_tables_of_six_stop_at_three_repeat_free_rounds() -> None:
    inst = room(36, 6, 4, weights=random_weights(36, 3))
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeat_free_limit == 3
    assert any("orthogonal Latin squares of order 6" in note for note in res.notes)
    # Impossible to avoid; the fourth round from two near-orthogonal squares repeats 2 pairs.
    assert res.repeats == 2


def test_the_near_orthogonal_squares_of_order_six_share_34_symbol_pairs() -> None:
    first, second = _NEAR_ORTHOGONAL_6
    for square in (first, second):
        assert all(sorted(row) == list(range(6)) for row in square)
        assert all(sorted(col) == list(range(6)) for col in zip(*square, strict=True))
    pairs = {(first[i][j], second[i][j]) for i in range(6) for j in range(6)}
    assert len(pairs) == 34
    rounds = officers_36()
    met = Counter(pair for tables in rounds for t in tables for pair in combinations(sorted(t), 2))
    assert sum(c - 1 for c in met.values()) == 2
    assert all(sorted(p for t in tables for p in t) == list(range(36)) for tables in rounds)


def test_three_rounds_of_thirty_six_at_tables_of_six_have_no_repeat() -> None:
    inst = room(36, 6, 3)
    res = solve_tables(inst)
    assert res.repeats == 0
    assert res.notes == []


def test_the_limit_is_floor_of_n_minus_one_over_k_minus_one_in_general() -> None:
    assert repeat_free_limit(120, 6).upper == 23
    assert repeat_free_limit(60, 5).upper == 14
    assert repeat_free_limit(10, 6).exact == 1  # two tables of 5: round 2 must regroup tablemates
    assert repeat_free_limit(6, 6).exact == 1


def test_more_rounds_than_the_limit_say_so_in_the_notes() -> None:
    inst = room(9, 3, 5)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats > 0
    assert any("asked for 5 rounds" in note for note in res.notes)


def test_tables_are_as_equal_as_possible_when_k_does_not_divide_n() -> None:
    inst = room(23, 5, 3)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    for tables in res.rounds:
        assert len(tables) == 5
        assert sorted(len(t) for t in tables) == [4, 4, 5, 5, 5]
    assert res.repeats == 0


def test_colleagues_and_forbidden_pairs_never_share_a_table() -> None:
    companies: list[str | None] = [f"c{i // 3}" for i in range(30)]
    inst = room(30, 5, 4, weights=random_weights(30, 4), companies=companies, forbidden=((0, 3), (4, 9)))
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats == 0


def test_a_company_larger_than_the_table_count_gets_more_tables() -> None:
    companies: list[str | None] = ["big"] * 5 + [None] * 7
    inst = room(12, 4, 2, companies=companies)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert all(len(tables) == 5 for tables in res.rounds)
    assert any("5 tables instead of 3" in note for note in res.notes)


def test_a_company_of_more_than_half_the_room_leaves_some_resting() -> None:
    companies: list[str | None] = ["big"] * 8 + [None] * 4
    inst = room(12, 4, 3, companies=companies)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert all(sum(len(t) for t in tables) == 8 for tables in res.rounds)


def test_requested_pairs_share_a_table() -> None:
    w = random_weights(24, 5)
    requested = ((0, 1), (2, 3), (4, 5), (6, 7))
    for a, b in requested:
        w[a, b] = w[b, a] = 0  # nothing but the request brings them together
    inst = room(24, 4, 2, weights=w, requested=requested)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    together = {
        (min(a, b), max(a, b))
        for tables in res.rounds
        for t in tables
        for a, b in itertools.combinations(t, 2)
    }
    assert set(requested) <= together


def test_relevance_beats_random_tables() -> None:
    w = random_weights(60, 6)
    inst = room(60, 5, 4, weights=w)
    res = solve_tables(inst)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.relevance == relevance_of(w, res.rounds)
    baseline = max(relevance_of(w, random_tables(60, 5, 4, s)) for s in range(5))
    assert res.relevance > 1.15 * baseline


def test_same_seed_same_plan() -> None:
    inst = room(20, 4, 3, weights=random_weights(20, 7))
    assert solve_tables(inst, seed=3).rounds == solve_tables(inst, seed=3).rounds


def test_tables_of_two_are_refused() -> None:
    with pytest.raises(EngineInputError, match="table_size"):
        solve_tables(room(6, 2, 2))


def test_one_person_gets_no_table() -> None:
    inst = room(1, 4, 2)
    res = solve_tables(inst)
    assert res.rounds == [[], []]
    assert is_valid_tables(inst, res.rounds) == []


# --- the checker -----------------------------------------------------------


def test_the_checker_names_every_broken_rule() -> None:
    inst = room(8, 4, 1, companies=["a", "a", None, None, None, None, None, None], forbidden=((2, 3),))
    assert any("two tables" in e for e in is_valid_tables(inst, [[[0, 2, 4], [2, 5, 6, 7]]]))
    assert any("table of 1" in e for e in is_valid_tables(inst, [[[0], [1, 2, 3, 4, 5, 6, 7]]]))
    assert any("colleagues" in e for e in is_valid_tables(inst, [[[0, 1, 4, 5], [2, 6, 3, 7]]]))
    assert any("forbidden" in e for e in is_valid_tables(inst, [[[0, 4, 5, 6], [1, 2, 3, 7]]]))
    assert any("rests" in e for e in is_valid_tables(inst, [[[0, 2, 4], [1, 3, 5, 6]]]))
    assert any("rounds" in e for e in is_valid_tables(inst, [[[0, 2, 4, 6], [1, 3, 5, 7]]] * 2))
    assert is_valid_tables(inst, [[[0, 2, 4, 6], [1, 3, 5, 7]]]) == []


# --- properties -------------------------------------------------------------


@st.composite
def rooms(draw: st.DrawFn) -> PairingInstance:
    n = draw(st.integers(min_value=0, max_value=26))
    k = draw(st.integers(min_value=3, max_value=8))
    rounds = draw(st.integers(min_value=1, max_value=5))
    n_companies = draw(st.integers(min_value=1, max_value=max(1, n)))
    companies = [draw(st.one_of(st.none(), st.integers(0, n_companies - 1).map(str))) for _ in range(n)]
    pairs = st.tuples(st.integers(0, max(0, n - 1)), st.integers(0, max(0, n - 1))).filter(
        lambda p: p[0] < p[1]
    )
    forbidden = tuple(sorted(set(draw(st.lists(pairs, max_size=6))))) if n > 1 else ()
    requested = tuple(sorted(set(draw(st.lists(pairs, max_size=4))))) if n > 1 else ()
    seed = draw(st.integers(0, 1000))
    return room(
        n,
        k,
        rounds,
        weights=random_weights(n, seed) if n else None,
        companies=companies,
        forbidden=forbidden,
        requested=requested,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rooms(), st.integers(0, 3))
def test_no_generated_room_gets_an_invalid_plan(inst: PairingInstance, seed: int) -> None:
    res = solve_tables(inst, seed=seed, max_iterations=100)
    assert is_valid_tables(inst, res.rounds) == []
    assert is_valid_schedule(inst, res.rounds, check_rests=False) == []  # the rotations' checker agrees
    assert len(res.rounds) == inst.rounds
    assert res.repeats == repeats_of(res.rounds)
    assert res.relevance == relevance_of(inst.weights, res.rounds)


@settings(max_examples=8, deadline=None)
@given(st.integers(8, 40), st.integers(3, 6), st.integers(0, 10_000))
def test_a_few_rounds_in_a_roomy_setting_never_repeat(n: int, k: int, seed: int) -> None:
    rounds = max(1, min(3, repeat_free_limit(n, k).upper // 2))
    if repeat_free_limit(n, k).upper < 2:
        rounds = 1
    inst = room(n, k, rounds, weights=random_weights(n, seed))
    res = solve_tables(inst, seed=seed, max_iterations=400)
    assert is_valid_tables(inst, res.rounds) == []
    assert res.repeats == 0
