"""The integral max-min meeting graph: lift the worst-served person when a few people are in demand.

In a crowded room (a few decision-makers wanted by nearly everyone) the
fractional LPs share each in-demand person among all who want them, a slice
each, while a real person meets only ``rounds`` others. The LP's fair share is
then far above what any schedule can give, and the Lagrangian weights of
:func:`meute.engine.rotations.solve_rotations`, which keep the LP integral,
cannot say who should get the few meetings with them.

:func:`maxmin_bmatching` answers that question exactly, as a mixed-integer
program solved by HiGHS's branch and cut (:func:`meute.engine.lp.solve_milp`):
one binary per candidate pair, everyone at most ``capacity`` meetings, the
forced pairs (satisfiable requests) in, the total held to a floor, and the
largest t such that everyone gets at least t of their own best:

    maximise   t + eps * (sum_e w_e x_e) / floor
    subject to sum_{e at i} x_e <= capacity_i                 (every person i)
               sum_{e at i} w_e x_e >= t * own_i              (every person with own_i > 0)
               sum_e w_e x_e >= floor
               x_e = 1 for forced pairs, x_e in {0, 1}

Its best solution within the time limit is a meeting graph (a b-matching) to
colour into rounds; its dual bound is a bound on the worst share of every
schedule that keeps those rules (:func:`integral_fair_bound`, on all the
positive pairs), tighter than the fractional max-min LP because it knows that a
person meets whole people.

Complexity: NP-hard in general (it contains the max-min allocation problem);
the model has one column per pair and 2n + 1 rows, and HiGHS's incumbent after a
few seconds is what the solver keeps. Small rooms (36 x 4) are solved to
optimality in seconds.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from meute.engine.lp import solve_milp
from meute.engine.rotations.bounds import allowed_pairs
from meute.engine.rotations.instance import PairingInstance

__all__ = ["MaxMin", "integral_fair_bound", "maxmin_bmatching"]

#: The tie-break weight of the total in the objective: the largest total possible is worth 0.0001 of share.
_EPS = 1e-4


@dataclass(frozen=True)
class MaxMin:
    """The best meeting graph found: ``x`` (0/1 per candidate pair), its worst ``share``, the proven
    ``bound`` on the worst share of any graph keeping the same rules, and whether it is ``optimal``."""

    x: np.ndarray
    share: float
    bound: float
    optimal: bool


def maxmin_bmatching(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    capacity: np.ndarray,
    lower: np.ndarray,
    inv_own: np.ndarray,
    min_total: float,
    seconds: float,
    initial: np.ndarray | None = None,
    max_nodes: int | None = None,
) -> MaxMin | None:
    """The b-matching on pairs ``(a[e], b[e])`` that maximises the worst share (module docstring).

    Parameters
    ----------
    n : int
        People, indexed 0..n-1.
    a, b, w : arrays of m
        The candidate pairs and their weights.
    capacity : array of n ints
        The most meetings each person may have.
    lower : array of m floats
        1 for a pair that must meet, else 0.
    inv_own : array of n floats
        1 / (each person's own best), 0 for people left out of the worst share.
    min_total : float
        The floor on the total weight.
    seconds : float
        HiGHS's time limit.
    initial : array of m floats, optional
        A feasible 0/1 graph to start from (ignored if it breaks a rule).
    max_nodes : int, optional
        Stop after this many branch-and-bound nodes (1: the root's cuts and heuristics,
        whose sub-MIP finds graphs within 0.01 of the optimum on the popular rooms), so
        that the answer does not depend on the machine's speed.

    Returns
    -------
    MaxMin, or None if no feasible graph was found in time.

    Examples
    --------
    One round: 0 can meet 1 or 2 (4 each), and 3 can meet 1 (1) or 2 (2). The total
    is 6 either way, but with 0-1 and 2-3 the worst-served (2) gets 2 of their 4, where
    0-2 and 1-3 leave 1 with 1 of 4.

    >>> a, b = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3])
    >>> w = np.array([4.0, 4.0, 1.0, 2.0])
    >>> inv = 1 / np.array([4.0, 4.0, 4.0, 2.0])
    >>> r = maxmin_bmatching(4, a, b, w, np.ones(4, int), np.zeros(4), inv, 0.0, 5.0)
    >>> r.x.tolist(), round(r.share, 2), round(r.bound, 3), r.optimal
    ([1.0, 0.0, 0.0, 1.0], 0.5, 0.5, True)
    """
    m = len(w)
    if m == 0 or not (np.asarray(inv_own) > 0).any():  # nobody to lift: t would be unbounded
        return None
    w = np.asarray(w, dtype=np.float64)
    pos = np.asarray(inv_own) > 0
    # the largest total possible: half the sum of everyone's ``capacity`` best weights
    best = np.zeros(n)
    for i, (ends, ws) in enumerate(_by_person(n, a, b, w)):
        best[i] = np.sort(ws)[::-1][: int(capacity[i])].sum() if len(ends) else 0.0
    scale = max(float(best.sum()) / 2, float(min_total), 1.0)
    # column e: degree rows a, b; share rows n + a, n + b (only for people with an own best); the total row
    rows = [a, b]
    vals = [np.ones(m), np.ones(m)]
    rows += [n + a[pos[a]], n + b[pos[b]]]
    vals += [-w[pos[a]] * inv_own[a[pos[a]]], -w[pos[b]] * inv_own[b[pos[b]]]]
    cols = [np.arange(m), np.arange(m), np.flatnonzero(pos[a]), np.flatnonzero(pos[b])]
    rows.append(np.full(m, 2 * n))
    vals.append(-w)
    cols.append(np.arange(m))
    people = np.flatnonzero(pos)
    rows.append(n + people)
    vals.append(np.ones(len(people)))
    cols.append(np.full(len(people), m))
    row = np.concatenate(rows).astype(np.int64)
    val = np.concatenate(vals)
    col = np.concatenate(cols).astype(np.int64)
    order = np.lexsort((row, col))
    row, val, col = row[order], val[order], col[order]
    start = np.searchsorted(col, np.arange(m + 2))
    cost = np.concatenate([-_EPS * w / scale, [-1.0]])
    row_upper = np.concatenate([np.asarray(capacity, dtype=np.float64), np.zeros(n), [-float(min_total)]])
    col_lower = np.concatenate([np.asarray(lower, dtype=np.float64), [0.0]])
    col_upper = np.concatenate([np.ones(m), [np.inf]])
    integral = np.concatenate([np.ones(m, dtype=bool), [False]])
    start_x = None
    if initial is not None:
        x0 = np.asarray(initial, dtype=np.float64).round()
        deg = np.bincount(a, x0, n) + np.bincount(b, x0, n)
        if (deg <= capacity).all() and (x0 >= lower).all() and float(w @ x0) >= min_total - 1e-9:
            t0 = _worst(n, a, b, w, x0, inv_own)
            start_x = np.concatenate([x0, [t0]])
    found = solve_milp(
        cost,
        start,
        row,
        val,
        row_upper,
        col_lower=col_lower,
        col_upper=col_upper,
        integral=integral,
        time_limit=seconds,
        max_nodes=max_nodes,
        initial=start_x,
    )
    if found is None:
        return None
    x = found.x[:m].round() + 0.0  # no -0.0
    # HiGHS bounds t + eps * total / scale from above; the total is at least min_total, so
    # t <= bound - eps * min_total / scale (loose by at most eps * (1 - min_total / scale))
    bound = max(0.0, -found.bound - _EPS * float(min_total) / scale)
    return MaxMin(x, _worst(n, a, b, w, x, inv_own), bound, found.optimal)


def _by_person(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each person, the indexes of their pairs and the weights."""
    ends = np.concatenate([a, b])
    weights = np.concatenate([w, w])
    order = np.argsort(ends, kind="stable")
    cut = np.searchsorted(ends[order], np.arange(n + 1))
    return [(order[cut[i] : cut[i + 1]], weights[order[cut[i] : cut[i + 1]]]) for i in range(n)]


def _worst(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, x: np.ndarray, inv_own: np.ndarray) -> float:
    util = np.bincount(a, w * x, n) + np.bincount(b, w * x, n)
    shares = util[inv_own > 0] * inv_own[inv_own > 0]
    return float(shares.min()) if len(shares) else 0.0


def integral_fair_bound(
    instance: PairingInstance,
    *,
    fixed: Collection[tuple[int, int]] = (),
    min_total: float = 0.0,
    seconds: float = 60.0,
) -> MaxMin | None:
    """The max-min program on every positive allowed pair: its ``bound`` holds for every one-to-one schedule.

    A schedule without repeats is a b-matching with at most ``rounds`` meetings
    each (an even count, tables of two), so if it meets the ``fixed`` pairs and
    keeps ``min_total`` its worst share is at most ``bound`` (HiGHS's dual
    bound, proven even when the time limit stops the search; the tie-break on
    the total is taken off). With an odd count a table of three adds meetings,
    and the bound no longer applies.
    """
    n, R = instance.n, instance.rounds
    a, b = allowed_pairs(instance, positive_only=True)
    if fixed:
        key = np.unique(np.concatenate([a * n + b, np.array([min(p) * n + max(p) for p in fixed])]))
        a, b = key // n, key % n
    forced = {(min(p), max(p)) for p in fixed}
    lower = np.array([(int(p), int(q)) in forced for p, q in zip(a, b, strict=True)], dtype=np.float64)
    w = instance.weights[a, b].astype(np.float64)
    own = np.asarray(instance.own_bound, dtype=np.float64)
    inv_own = np.where(own > 0, 1.0 / np.where(own > 0, own, 1.0), 0.0)
    return maxmin_bmatching(n, a, b, w, np.full(n, R), lower, inv_own, min_total, seconds)
