"""One-to-one rotation schedules: the solver, its checker and its figures."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.engine.errors import InfeasibleError
from meute.engine.rotations import PairingInstance, is_valid_schedule, schedule_figures, solve_rotations
from meute.engine.rotations.bounds import Bound, lp_bound
from tests.engine.instances import make, uniform


def random_instance(n: int, rounds: int, seed: int, **kw: object) -> PairingInstance:
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 50, size=(n, n))
    w = np.triu(w, 1)
    return make(w + w.T, rounds, **kw)  # type: ignore[arg-type]


def pairs_of(rounds: list[list[list[int]]]) -> list[tuple[int, int]]:
    return [(min(p, q), max(p, q)) for tables in rounds for t in tables for p, q in combinations(t, 2)]


# ------------------------------------------------------------------ exact answers


def test_four_people_over_three_rounds_meet_everyone_once() -> None:
    inst = uniform(4, 3)
    result = solve_rotations(inst)
    assert is_valid_schedule(inst, result.rounds) == []
    assert sorted(pairs_of(result.rounds)) == list(combinations(range(4), 2))


def test_it_avoids_the_greedy_trap_of_one_round() -> None:
    # greedy takes p1-p2 (10) and is left with p3-p4 (1); the best round is 9 + 9
    inst = make([[0, 10, 9, 0], [10, 0, 0, 9], [9, 0, 0, 1], [0, 9, 1, 0]], 1)
    result = solve_rotations(inst)
    assert sorted(pairs_of(result.rounds)) == [(0, 2), (1, 3)]
    assert schedule_figures(inst, result.rounds)["total_relevance"] == 18


def test_it_reaches_the_lp_bound_when_the_best_subgraph_splits_into_rounds() -> None:
    # six people, two rounds: the two heavy perfect matchings are the optimum
    w = np.ones((6, 6), dtype=int)
    for p, q in [(0, 1), (2, 3), (4, 5), (0, 2), (1, 4), (3, 5)]:
        w[p, q] = w[q, p] = 20
    np.fill_diagonal(w, 0)
    inst = make(w, 2)
    result = solve_rotations(inst)
    assert schedule_figures(inst, result.rounds)["total_relevance"] == 120 == lp_bound(inst)


def test_colleagues_and_forbidden_pairs_never_meet() -> None:
    inst = random_instance(
        10,
        5,
        seed=3,
        companies=["a", "a", "b", "b", None, None, "c", "c", "c", None],
        forbidden=((4, 5), (0, 9)),
    )
    result = solve_rotations(inst)
    met = set(pairs_of(result.rounds))
    assert {(0, 1), (2, 3), (6, 7), (6, 8), (7, 8), (4, 5), (0, 9)}.isdisjoint(met)
    assert is_valid_schedule(inst, result.rounds) == []


def test_every_requested_pair_meets_even_at_zero_relevance() -> None:
    inst = random_instance(12, 3, seed=5, requested=((0, 1), (2, 3), (0, 4)))
    w = inst.weights.copy()
    for p, q in inst.requested:
        w[p, q] = w[q, p] = 0
    inst = make(w, 3, requested=inst.requested)
    result = solve_rotations(inst)
    assert schedule_figures(inst, result.rounds)["requested_met"] == 3


def test_a_requested_pair_of_colleagues_is_reported_not_met() -> None:
    inst = random_instance(6, 2, seed=1, companies=["a", "a", None, None, None, None], requested=((0, 1),))
    result = solve_rotations(inst)
    assert (0, 1) not in pairs_of(result.rounds)
    assert result.notes == ["requested pair p1-p2 cannot meet (colleagues)"]


def test_more_requests_than_rounds_keeps_the_heaviest() -> None:
    inst = random_instance(8, 1, seed=2, requested=((0, 1), (0, 2)))
    result = solve_rotations(inst)
    assert len(result.notes) == 1 and "dropped" in result.notes[0]
    assert schedule_figures(inst, result.rounds)["requested_met"] == 1


def test_an_odd_count_gets_one_table_of_three_and_nobody_rests() -> None:
    inst = random_instance(21, 4, seed=7)
    result = solve_rotations(inst)
    assert is_valid_schedule(inst, result.rounds) == []
    for tables in result.rounds:
        assert sorted(len(t) for t in tables) == [2] * 9 + [3]
    fig = schedule_figures(inst, result.rounds)
    assert fig["max_rests"] == 0 and fig["repeat_meetings"] == 0


def test_with_rests_for_an_odd_count_everyone_rests_once_before_anyone_twice() -> None:
    inst = uniform(5, 5)
    result = solve_rotations(inst, odd="rest")
    assert is_valid_schedule(inst, result.rounds) == []
    resting = [set(range(5)) - {i for t in tables for i in t} for tables in result.rounds]
    assert [len(r) for r in resting] == [1] * 5
    assert set().union(*resting) == set(range(5))  # five rounds, five different people resting
    assert sorted(pairs_of(result.rounds)) == list(combinations(range(5), 2))


def test_two_people_meet_once_and_then_again_rather_than_idle() -> None:
    inst = uniform(2, 2)
    result = solve_rotations(inst)
    assert result.rounds == [[[0, 1]], [[0, 1]]]
    assert "some pairs must meet twice" in result.notes[0]


def test_a_lone_participant_has_nobody_to_meet() -> None:
    result = solve_rotations(uniform(1, 3))
    assert result.rounds == [[], [], []]


def test_tables_of_more_than_two_are_not_this_solvers_job() -> None:
    with pytest.raises(InfeasibleError):
        solve_rotations(uniform(6, 2, table_size=3))


def test_the_seed_only_breaks_ties() -> None:
    inst = random_instance(30, 4, seed=11)
    a = schedule_figures(inst, solve_rotations(inst, seed=1).rounds)
    b = schedule_figures(inst, solve_rotations(inst, seed=2).rounds)
    assert abs(a["total_relevance"] - b["total_relevance"]) <= 0.01 * a["total_relevance"]


def test_it_scores_close_to_the_lp_bound_and_serves_the_worst_fairly() -> None:
    inst = random_instance(60, 5, seed=4)
    result = solve_rotations(inst)
    fig = schedule_figures(inst, result.rounds, bound=Bound(lp_bound(inst), "lp"))
    assert fig["ratio_lp"] >= 0.98
    assert fig["worst_share"] >= 0.75
    assert fig["repeat_meetings"] == 0


# ------------------------------------------------------------------ properties


@st.composite
def instances(draw: st.DrawFn) -> PairingInstance:
    n = draw(st.integers(2, 14))
    rounds = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    companies = [draw(st.sampled_from([None, "a", "b", "c"])) for _ in range(n)]
    forbidden = tuple(sorted({(int(p), int(q)) for p, q in rng.integers(0, n, size=(n // 3, 2)) if p < q}))
    requested = tuple(sorted({(int(p), int(q)) for p, q in rng.integers(0, n, size=(n // 4, 2)) if p < q}))
    w = rng.integers(0, 30, size=(n, n))
    w = np.triu(w, 1)
    return make(w + w.T, rounds, companies=companies, forbidden=forbidden, requested=requested)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["trio", "rest"]))
def test_no_generated_instance_yields_a_schedule_that_breaks_a_hard_rule(
    inst: PairingInstance, odd: str
) -> None:
    result = solve_rotations(inst, odd=odd)
    assert is_valid_schedule(inst, result.rounds, check_rests=False) == []
    assert len(result.rounds) == inst.rounds


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 21), st.integers(1, 6), st.integers(0, 1000))
def test_with_no_constraint_nobody_repeats_or_rests_twice_before_all_rested(
    n: int, rounds: int, seed: int
) -> None:
    rounds = min(rounds, n - 1)
    inst = random_instance(n, rounds, seed=seed)
    for odd in ("trio", "rest"):
        result = solve_rotations(inst, odd=odd, seed=seed)
        assert is_valid_schedule(inst, result.rounds) == []
        fig = schedule_figures(inst, result.rounds)
        assert fig["max_rests"] <= (1 if n % 2 else 0)
        if odd == "rest" or n % 2 == 0:
            assert fig["repeat_meetings"] == 0


# ------------------------------------------------------------------ the checker and the figures


def test_the_checker_names_every_broken_rule() -> None:
    inst = uniform(6, 1, companies=["a", "a", None, None, None, None], forbidden=((2, 3),))
    rounds = [[[0, 1], [2, 3], [4, 5, 0]], [[1, 2]]]
    assert is_valid_schedule(inst, rounds) == [
        "schedule has 2 rounds, instance allows 1",
        "round 1: colleagues p1 and p2 (company a)",
        "round 1: forbidden pair p3-p4",
        "round 1: p1 sits at two tables",
    ]


def test_the_checker_allows_one_table_of_three_per_round_only() -> None:
    inst = uniform(7, 1)
    assert is_valid_schedule(inst, [[[0, 1, 2], [3, 4, 5]]], check_rests=False) == [
        "round 1: 2 tables of three; one-to-one mode allows one, for an odd count"
    ]
    assert is_valid_schedule(inst, [[[0, 1, 2, 3], [4, 5], [6]]]) == [
        "round 1: table of 4 in one-to-one mode",
        "round 1: table of 1 in one-to-one mode",
    ]


def test_the_checker_reads_tables_of_two_to_k_in_table_mode() -> None:
    inst = uniform(9, 1, table_size=4)
    assert is_valid_schedule(inst, [[[0, 1, 2, 3], [4, 5, 6], [7, 8]]]) == []
    assert is_valid_schedule(inst, [[[0, 1, 2, 3, 4], [5, 6, 7, 8]]]) == [
        "round 1: table of 5, tables seat 2 to 4"
    ]


def test_the_checker_flags_a_second_rest_before_everyone_rested() -> None:
    inst = uniform(5, 3)
    rounds = [[[1, 2], [3, 4]], [[1, 3], [2, 4]], [[0, 1], [2, 3]]]
    assert is_valid_schedule(inst, rounds) == ["round 2: p1 rests again before everyone has rested as often"]
    fair = [[[1, 2], [3, 4]], [[0, 3], [2, 4]], [[0, 1], [2, 3]]]
    assert is_valid_schedule(inst, fair) == []


def test_figures_follow_the_referees_definitions() -> None:
    inst = make([[0, 4, 1, 1], [4, 0, 1, 1], [1, 1, 0, 4], [1, 1, 4, 0]], 2, requested=((0, 2),))
    rounds = [[[0, 1], [2, 3]], [[0, 1], [2, 3]]]
    fig = schedule_figures(inst, rounds, bound=Bound(10.0, "lp"), fair=1.0)
    assert fig["total_relevance"] == 8
    assert fig["repeat_meetings"] == 2
    assert fig["distinct_meetings"] == 2
    assert fig["worst_share"] == 0.8  # 4 out of the best 4 + 1
    assert fig["ratio_lp"] == 0.8 and fig["bound_method"] == "lp"
    assert fig["worst_over_fair"] == 0.8
    assert (fig["requested_met"], fig["requested_total"]) == (0, 1)
    assert fig["max_rests"] == 0


def _crowded_room(seed: int = 0) -> PairingInstance:
    """40 people, 4 rounds: three hubs everyone wants (40), sparse small weights elsewhere."""
    rng = np.random.default_rng(seed)
    n = 40
    w = np.triu(np.where(rng.random((n, n)) < 0.15, rng.integers(1, 6, size=(n, n)), 0), 1)
    w[:3, 3:] = 40
    w = w + w.T
    np.fill_diagonal(w, 0)
    return PairingInstance(ids=tuple(f"p{i}" for i in range(n)), companies=(None,) * n, weights=w, rounds=4)


def test_a_crowded_room_spends_up_to_the_crowded_allowance_on_the_worst_served() -> None:
    from meute.engine.rotations import worst_served

    inst = _crowded_room()
    # the Lagrangian phase alone (the max-min graph has its own allowance: tests/engine/test_maxmin.py)
    crowded = solve_rotations(inst, maxmin_seconds=0)
    plain = solve_rotations(inst, crowded_cost=0.0, maxmin_seconds=0)
    assert crowded.stats["crowded"] is True
    assert is_valid_schedule(inst, crowded.rounds) == []
    total = schedule_figures(inst, crowded.rounds)["total_relevance"]
    assert total >= (1 - 0.008) * crowded.stats["lp_best_total"] - 1e-6
    worst_c, worst_p = worst_served(inst, crowded.rounds), worst_served(inst, plain.rounds)
    assert worst_c is not None and worst_p is not None and worst_c[1] >= worst_p[1]
