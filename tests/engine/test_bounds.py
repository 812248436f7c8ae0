"""Upper bounds on total relevance and on the worst share."""

from __future__ import annotations

import numpy as np

from meute.engine.rotations import PairingInstance
from meute.engine.rotations.bounds import (
    allowed_pairs,
    best_bound,
    dual_bound,
    fair_bound,
    lp_bound,
    lp_with_duals,
    top_bound,
)


def make(
    weights: list[list[int]],
    rounds: int,
    companies: list[str | None] | None = None,
    forbidden: tuple[tuple[int, int], ...] = (),
) -> PairingInstance:
    w = np.asarray(weights, dtype=np.int64)
    return PairingInstance(
        ids=tuple(f"p{i + 1}" for i in range(len(w))),
        companies=tuple(companies or [None] * len(w)),
        weights=w,
        forbidden=forbidden,
        rounds=rounds,
    )


TRIANGLE_PLUS = [[0, 5, 5, 1], [5, 0, 5, 1], [5, 5, 0, 1], [1, 1, 1, 0]]


def test_the_top_bound_is_half_the_sum_of_everyones_best_weights() -> None:
    # one round: each person's best is 5, 5, 5 and 1 -> (5 + 5 + 5 + 1) / 2
    assert top_bound(make(TRIANGLE_PLUS, 1)) == 8.0


def test_the_lp_bound_sees_that_a_triangle_cannot_pair_off() -> None:
    # one round: the fractional optimum takes the triangle at 1/2 each (7.5), which
    # saturates p1-p3, so p4 adds nothing; tighter than the top bound (8), above the
    # best real round (5 + 1)
    assert lp_bound(make(TRIANGLE_PLUS, 1)) == 7.5
    # two rounds: the whole triangle (15) saturates p1-p3 again
    assert lp_bound(make(TRIANGLE_PLUS, 2)) == 15.0


def test_colleagues_and_forbidden_pairs_are_out_of_every_bound() -> None:
    inst = make(TRIANGLE_PLUS, 1, companies=["a", "a", None, None], forbidden=((0, 2),))
    # left: p2-p3 (5), p1-p4, p2-p4, p3-p4 (1 each)
    assert lp_bound(inst) == 6.0
    assert top_bound(inst) == (1 + 5 + 5 + 1) / 2


def test_the_lp_bound_never_exceeds_the_top_bound() -> None:
    rng = np.random.default_rng(0)
    for _ in range(5):
        w = np.triu(rng.integers(0, 20, size=(12, 12)), 1)
        inst = make((w + w.T).tolist(), 3)
        assert lp_bound(inst) <= top_bound(inst) + 1e-6


def test_best_bound_falls_back_on_the_top_bound_for_large_instances() -> None:
    inst = make(TRIANGLE_PLUS, 2)
    assert best_bound(inst).method == "lp"
    small = best_bound(inst, max_pairs=2)
    assert (small.method, small.value) == ("top-R", top_bound(inst))


def test_the_fair_bound_is_one_when_everyone_can_have_their_best() -> None:
    w = [[0, 3, 1, 1], [3, 0, 1, 1], [1, 1, 0, 3], [1, 1, 3, 0]]
    assert abs(fair_bound(make(w, 1)) - 1.0) < 1e-6


def test_the_fair_bound_shares_a_person_everyone_wants() -> None:
    # p1 is everyone's best (10); others are worth 0 to each other; one round:
    # p1 splits one meeting three ways, so each gets at most 1/3 of their best
    w = [[0, 10, 10, 10], [10, 0, 0, 0], [10, 0, 0, 0], [10, 0, 0, 0]]
    assert abs(fair_bound(make(w, 1)) - 1 / 3) < 1e-6


def test_the_dual_bound_of_any_prices_is_never_below_the_lp_bound() -> None:
    rng = np.random.default_rng(1)
    for _ in range(5):
        w = np.triu(rng.integers(0, 20, size=(12, 12)), 1)
        inst = make((w + w.T).tolist(), 3, companies=["a", "a", "b", "b"] + [None] * 8)
        for y in (np.zeros(12), rng.random(12) * 10):
            assert dual_bound(inst, y) >= lp_bound(inst) - 1e-6


def test_the_dual_bound_from_the_lps_own_duals_is_the_lp_bound() -> None:
    inst = make(TRIANGLE_PLUS, 1)
    a, b = allowed_pairs(inst)
    value, _, y = lp_with_duals(inst.n, a, b, inst.weights[a, b], 1)
    assert value == 7.5
    assert abs(dual_bound(inst, y) - 7.5) < 1e-9


def test_the_dual_bound_from_a_sparse_lp_covers_the_pairs_left_out() -> None:
    # the LP on p1-p2 alone prices p1 and p2 at 0 (their row is slack): the bound
    # must still count p3 and p4, whom the sparse LP never saw
    inst = make(TRIANGLE_PLUS, 1)
    _, _, y = lp_with_duals(4, np.array([0]), np.array([1]), np.array([5.0]), 1)
    assert dual_bound(inst, y) >= lp_bound(inst)


def test_a_fixed_pair_lowers_the_lp_bound_when_it_costs_relevance() -> None:
    # one round; p1-p4 (worth 1) must meet: p2-p3 (5) is all that is left beside it
    inst = make(TRIANGLE_PLUS, 1)
    assert lp_bound(inst, fixed=[(0, 3)]) == 6.0
    assert lp_bound(inst, fixed=[(0, 3)]) <= lp_bound(inst)


def test_holding_the_total_can_only_lower_the_fair_bound() -> None:
    rng = np.random.default_rng(2)
    w = np.triu(rng.integers(0, 20, size=(10, 10)), 1)
    inst = make((w + w.T).tolist(), 2)
    free = fair_bound(inst)
    held = fair_bound(inst, min_total=0.99 * lp_bound(inst))
    assert held <= free + 1e-7
    assert fair_bound(inst, fixed=[(0, 1)], min_total=0.9 * lp_bound(inst, fixed=[(0, 1)])) <= free + 1e-7
