"""The integral max-min meeting graph (issue 15): exact on hand-made cases, a bound, and used by the solver."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from meute.engine.rotations import solve_rotations
from meute.engine.rotations.bounds import lp_bound
from meute.engine.rotations.checker import is_valid_schedule, worst_and_total
from meute.engine.rotations.maxmin import integral_fair_bound, maxmin_bmatching
from tests.engine.instances import make

# Four people, one round: 0-1 (10) and 2-3 (1) give the best total, 0-2 and 1-3 (5 each) the fairest.
A = np.array([0, 2, 0, 1])
B = np.array([1, 3, 2, 3])
W = np.array([10.0, 1.0, 5.0, 5.0])
INV = 1 / np.array([10.0, 10.0, 5.0, 5.0])  # each person's own best with one round


def test_the_fairest_graph_beats_the_heaviest():
    found = maxmin_bmatching(4, A, B, W, np.ones(4, int), np.zeros(4), INV, 0.0, 5.0)
    assert found is not None and found.optimal
    assert found.x.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert found.share == pytest.approx(0.5)
    assert found.bound == pytest.approx(0.5, abs=1e-4)  # the tie-break on the total loosens it a little


def test_the_total_floor_binds():
    found = maxmin_bmatching(4, A, B, W, np.ones(4, int), np.zeros(4), INV, 11.0, 5.0)
    assert found is not None
    assert found.x.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert found.share == pytest.approx(0.2)  # 2-3 meet at 1 of their 5


def test_a_forced_pair_stays_in():
    lower = np.array([1.0, 0.0, 0.0, 0.0])  # 0-1 must meet
    found = maxmin_bmatching(4, A, B, W, np.ones(4, int), lower, INV, 0.0, 5.0)
    assert found is not None and found.x[0] == 1.0
    assert found.share == pytest.approx(0.2)


def test_no_graph_above_an_impossible_floor():
    assert maxmin_bmatching(4, A, B, W, np.ones(4, int), np.zeros(4), INV, 100.0, 5.0) is None


def _brute_force(inst, floor):
    """The best worst share over every b-matching of the positive pairs (tiny rooms only)."""
    n, R = inst.n, inst.rounds
    pairs = [
        (p, q)
        for p, q in itertools.combinations(range(n), 2)
        if inst.allowed[p, q] and inst.weights[p, q] > 0
    ]
    own = inst.own_bound
    best = -1.0
    for mask in range(1 << len(pairs)):
        chosen = [pairs[e] for e in range(len(pairs)) if mask >> e & 1]
        deg = np.zeros(n, int)
        util = np.zeros(n)
        for p, q in chosen:
            deg[p] += 1
            deg[q] += 1
            util[p] += inst.weights[p, q]
            util[q] += inst.weights[p, q]
        if (deg > R).any() or util.sum() / 2 < floor:
            continue
        best = max(best, float((util[own > 0] / own[own > 0]).min()))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_integral_fair_bound_is_the_exact_optimum_on_tiny_rooms(seed):
    rng = np.random.default_rng(seed)
    w = np.triu(rng.integers(0, 4, (6, 6)) * (rng.random((6, 6)) < 0.6), 1)
    w = w + w.T
    inst = make(w, 2)
    floor = 0.9 * lp_bound(inst)
    found = integral_fair_bound(inst, min_total=floor, seconds=10.0)
    exact = _brute_force(inst, floor)
    assert found is not None and found.optimal
    assert found.share == pytest.approx(exact)
    assert exact <= found.bound <= exact + 1e-4


def crowded_room(seed: int, n: int = 24, rounds: int = 3, hubs: int = 2):
    """Everybody wants the hubs (weight 9); the rest of the room matters little (0 to 2)."""
    rng = np.random.default_rng(seed)
    w = np.triu(rng.integers(0, 3, (n, n)) * (rng.random((n, n)) < 0.3), 1)
    w[:hubs, :] = 9
    w = np.triu(w, 1)
    w = w + w.T
    return make(w, rounds)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_solver_lifts_the_worst_served_to_near_the_exact_optimum_in_a_crowded_room(seed):
    inst = crowded_room(seed)
    ours = solve_rotations(inst, seed=seed)
    off = solve_rotations(inst, seed=seed, maxmin_seconds=0)
    assert not is_valid_schedule(inst, ours.rounds)
    assert ours.stats["crowded"] and "maxmin_share" in ours.stats
    worst, total = worst_and_total(inst, ours.rounds)
    worst_off, _ = worst_and_total(inst, off.rounds)
    assert worst >= worst_off
    exact = integral_fair_bound(inst, min_total=0.99 * lp_bound(inst), seconds=20.0)
    assert exact is not None and exact.optimal
    assert worst >= exact.bound - 0.03
    assert total >= 0.99 * lp_bound(inst) - 1e-6  # maxmin_cost: 1 % of the total at most
    assert solve_rotations(inst, seed=seed).rounds == ours.rounds  # a node limit, not a clock, stops it


def test_an_even_room_skips_the_max_min_graph():
    rng = np.random.default_rng(4)
    w = np.triu(rng.integers(1, 6, (20, 20)), 1)
    inst = make(w + w.T, 4)
    result = solve_rotations(inst)
    assert not result.stats["crowded"]
    assert "maxmin_share" not in result.stats
    assert result.rounds == solve_rotations(inst, maxmin_seconds=0).rounds
