"""The HiGHS helper: the same answers as scipy.optimize.linprog."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import random as sparse_random

from meute.engine.lp import solve_lp


def test_solve_lp_agrees_with_linprog_on_random_packing_lps() -> None:
    rng = np.random.default_rng(0)
    for seed in range(5):
        A = sparse_random(15, 30, density=0.2, random_state=seed, format="csc") * 3
        cost = -rng.random(30)
        rhs = rng.random(15) * 2 + 0.5
        ours = solve_lp(cost, A.indptr, A.indices, A.data, rhs, col_lower=np.zeros(30), col_upper=np.ones(30))
        theirs = linprog(cost, A_ub=A, b_ub=rhs, bounds=(0, 1), method="highs")
        assert abs(ours.value - theirs.fun) < 1e-7
        assert np.allclose(ours.row_dual, theirs.ineqlin.marginals, atol=1e-7)
        ipm = solve_lp(
            cost,
            A.indptr,
            A.indices,
            A.data,
            rhs,
            col_lower=np.zeros(30),
            col_upper=np.ones(30),
            solver="ipm",
        )
        assert abs(ipm.value - theirs.fun) < 1e-6


def test_solve_lp_keeps_forced_columns_at_their_lower_bound() -> None:
    # max x0 + 2 x1 with x0 + x1 <= 1 and x0 forced to 1: x1 must give way
    r = solve_lp(
        np.array([-1.0, -2.0]),
        np.array([0, 1, 2]),
        np.array([0, 0]),
        np.array([1.0, 1.0]),
        np.array([1.0]),
        col_lower=np.array([1.0, 0.0]),
        col_upper=np.ones(2),
    )
    assert r.x.tolist() == [1.0, 0.0] and r.value == -1.0
