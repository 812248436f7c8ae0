"""Upper bounds on what a rotation schedule can score, to report how close a schedule is.

Three bounds, from cheap to tight:

- :func:`top_bound` (the "top-R bound"): each participant meets at most
  ``degree = rounds * (table_size - 1)`` distinct others, so the total is at most
  half the sum, over participants, of their ``degree`` best allowed weights.
- :func:`lp_bound`: the LP relaxation of the best degree-constrained subgraph
  (fractional b-matching), solved by HiGHS (:func:`meute.engine.lp.solve_lp`);
- :func:`dual_bound`: a bound on that LP from any prices (the solver's duals), in O(n^2);
- :func:`fair_bound`: the largest worst share that any fractional schedule can give.

Both LPs drop colleagues and forbidden pairs (the referee's LP keeps colleagues,
so ours can only be lower, i.e. tighter, and is still a valid bound).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from meute.engine.rotations.instance import PairingInstance

__all__ = [
    "LP_MAX_PAIRS",
    "Bound",
    "allowed_pairs",
    "best_bound",
    "degree_columns",
    "dual_bound",
    "fair_bound",
    "fair_bound_on",
    "lp_bound",
    "lp_bound_on",
    "lp_with_duals",
    "top_bound",
]

#: Above this many candidate pairs the full LP is left to :func:`top_bound` (memory and time).
LP_MAX_PAIRS = 400_000


@dataclass(frozen=True)
class Bound:
    """An upper bound on total relevance and the name of the method that gave it."""

    value: float
    method: str  # "lp" or "top-R"


def _degree(instance: PairingInstance) -> int:
    return instance.rounds * (instance.table_size - 1)


def allowed_pairs(instance: PairingInstance, positive_only: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays ``(a, b)``, ``a < b``, of the pairs that may meet (optionally only weight > 0).

    Notes
    -----
    O(n^2).
    """
    ok = np.triu(instance.allowed, 1)
    if positive_only:
        ok &= instance.weights > 0
    a, b = np.nonzero(ok)
    return a, b


def top_bound(instance: PairingInstance) -> float:
    """Half the sum, over participants, of their ``degree`` best allowed weights.

    Notes
    -----
    O(n^2) time with a partial sort per row; no LP. Valid because every
    meeting is counted by both of its ends.

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": "a"}, {"id": "b"}], "weights": [[0, 3], [3, 0]]})
    >>> top_bound(inst)
    3.0
    """
    n, degree = instance.n, _degree(instance)
    if n < 2:
        return 0.0
    degree = min(degree, n - 1)
    w = np.where(instance.allowed, instance.weights, 0).astype(np.float64)
    top = -np.partition(-w, degree - 1, axis=1)[:, :degree]
    return float(top.sum() / 2)


def lp_bound_on(
    n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, capacity: np.ndarray | int
) -> tuple[float, np.ndarray]:
    """Solve the fractional b-matching LP on the given pairs.

    Maximise ``sum w_e x_e`` subject to ``sum_{e at i} x_e <= capacity_i`` and
    ``0 <= x_e <= 1``.

    Returns
    -------
    (value, x)

    Notes
    -----
    HiGHS (dual simplex); m variables, n rows, 2m non-zeros, O(m) to build. Its basic
    solutions are half-integral, so most ``x_e`` come out 0 or 1.
    """
    value, x, _ = lp_with_duals(n, a, b, w, capacity)
    return value, x


def degree_columns(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The n x m incidence matrix of the pairs ``(a_e, b_e)`` in compressed-column form.

    Notes
    -----
    O(m).
    """
    m = len(a)
    start = np.arange(0, 2 * m + 1, 2)
    index = np.column_stack([a, b]).ravel()
    return start, index, np.ones(2 * m)


def lp_with_duals(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    capacity: np.ndarray | int,
    lower: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """The fractional b-matching LP of :func:`lp_bound_on` (pairs with ``lower_e = 1`` forced in).

    Returns
    -------
    (value, x, y)
        ``y >= 0``, one per participant: the duals of the degree rows, from which
        :func:`dual_bound` certifies a bound on the LP over *all* pairs.

    Notes
    -----
    HiGHS (dual simplex), O(m) to build.
    """
    from meute.engine.lp import solve_lp

    m = len(w)
    if m == 0:
        return 0.0, np.zeros(0), np.zeros(n)
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,))
    start, index, value = degree_columns(a, b)
    res = solve_lp(
        -np.asarray(w, dtype=np.float64),
        start,
        index,
        value,
        cap,
        col_lower=np.zeros(m) if lower is None else lower,
        col_upper=np.ones(m),
    )
    return -res.value, res.x, np.maximum(-res.row_dual, 0.0)


def dual_bound(instance: PairingInstance, y: np.ndarray, sweeps: int = 2) -> float:
    """An upper bound on :func:`lp_bound` (hence on any schedule's total) from prices ``y >= 0``.

    By LP duality, for any ``y >= 0``, ``degree * sum(y) + sum over allowed
    pairs of max(0, w_ij - y_i - y_j)`` bounds the fractional b-matching over
    all allowed pairs. The duals of an LP on a sparse subset of pairs (the
    solver's) make it nearly tight; ``sweeps`` rounds of exact coordinate
    descent (each ``y_i`` set to the ``degree``-th largest ``w_ij - y_j``, the
    best value given the others) can only lower it.

    Notes
    -----
    O(sweeps n^2 + n^2): a partial sort of each row per sweep.

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    ...     "weights": [[0, 3, 1], [3, 0, 1], [1, 1, 0]]})
    >>> dual_bound(inst, np.zeros(3))  # the LP optimum: a-b alone (the triangle at 1/2 gives 2.5)
    3.0
    """
    n, degree = instance.n, _degree(instance)
    if n < 2:
        return 0.0
    w = np.where(instance.allowed, instance.weights, 0).astype(np.float64)
    np.fill_diagonal(w, 0.0)
    y = np.maximum(np.asarray(y, dtype=np.float64), 0.0).copy()
    k = min(degree, n - 1)
    for _ in range(sweeps):
        for i in range(n):
            reduced = w[i] - y
            reduced[i] = 0.0
            # the k-th largest reduced weight, and never below 0
            y[i] = max(float(np.partition(reduced, n - k)[n - k]), 0.0)
    slack = np.maximum(w - y[:, None] - y[None, :], 0.0)
    np.fill_diagonal(slack, 0.0)
    return float(degree * y.sum() + np.triu(slack, 1).sum())


def _with_fixed(
    instance: PairingInstance, fixed: Collection[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The allowed pairs of positive weight, plus ``fixed`` ones; and 1 for the fixed, 0 else."""
    a, b = allowed_pairs(instance, positive_only=not fixed)
    if not fixed:
        return a, b, None
    key = a.astype(np.int64) * instance.n + b
    hit = np.isin(key, [min(i, j) * instance.n + max(i, j) for i, j in fixed])
    keep = (instance.weights[a, b] > 0) | hit
    return a[keep], b[keep], hit[keep].astype(float)


def lp_bound(instance: PairingInstance, *, fixed: Collection[tuple[int, int]] = ()) -> float:
    """LP relaxation of the best subgraph where everyone meets at most ``degree`` others.

    ``fixed`` pairs (the requested pairs a schedule meets) are forced in: the
    bound then holds for every schedule that meets them, and is lower (tighter)
    when meeting them costs relevance.

    Notes
    -----
    One HiGHS LP over all allowed pairs of positive weight: O(n^2) variables,
    so meant for a few hundred participants (about a second for 400); use
    :func:`best_bound` to fall back on :func:`top_bound` beyond that.
    """
    a, b, forced = _with_fixed(instance, fixed)
    return lp_with_duals(instance.n, a, b, instance.weights[a, b], _degree(instance), forced)[0]


def best_bound(instance: PairingInstance, max_pairs: int = LP_MAX_PAIRS) -> Bound:
    """The LP bound when the LP is small enough, else the top-R bound.

    Notes
    -----
    O(n^2) to count pairs, then :func:`lp_bound` or :func:`top_bound`.
    """
    a, _ = allowed_pairs(instance)
    if len(a) <= max_pairs:
        return Bound(lp_bound(instance), "lp")
    return Bound(top_bound(instance), "top-R")


def fair_bound_on(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    capacity: np.ndarray | int,
    own: np.ndarray,
    lower: np.ndarray | None = None,
    min_total: float | None = None,
) -> float:
    """Largest t such that a fractional b-matching on the given pairs gives every
    participant with ``own_i > 0`` a relevance of at least ``t * own_i``.

    ``lower`` (0 or 1 per pair) forces pairs in (requested pairs that must
    meet); ``min_total`` asks for a total relevance of at least that much (a
    schedule held to 99 % of the LP bound). Both can only lower t, and t stays
    a valid bound on every schedule that keeps those rules.

    Notes
    -----
    One HiGHS LP with m + 1 variables and 2n (+ 1) rows (4m + n non-zeros, O(m + n)
    to build), solved by interior point.
    """
    from meute.engine.lp import solve_lp

    m = len(w)
    if m == 0:
        return 0.0
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,))
    w = np.asarray(w, dtype=np.float64)
    # column e: 1 in the degree rows a_e, b_e; -w_e in the utility rows n + a_e, n + b_e;
    # the last column, t: own_i in utility row n + i
    start = np.concatenate([np.arange(0, 4 * m + 1, 4), [4 * m + n]])
    index = np.concatenate([np.column_stack([a, b, n + a, n + b]).ravel(), n + np.arange(n)])
    value = np.concatenate(
        [np.column_stack([np.ones(m), np.ones(m), -w, -w]).ravel(), np.asarray(own, float)]
    )
    rhs = np.concatenate([cap, np.zeros(n)])
    if min_total is not None:
        # one more row, -sum w_e x_e <= -min_total: entry 2n in every pair's column
        cols = np.column_stack([a, b, n + a, n + b, np.full(m, 2 * n)]).ravel()
        index = np.concatenate([cols, n + np.arange(n)])
        value = np.concatenate(
            [np.column_stack([np.ones(m), np.ones(m), -w, -w, -w]).ravel(), np.asarray(own, float)]
        )
        start = np.concatenate([np.arange(0, 5 * m + 1, 5), [5 * m + n]])
        rhs = np.concatenate([rhs, [-min_total]])
    c = np.zeros(m + 1)
    c[-1] = -1
    lo = np.zeros(m + 1)
    if lower is not None:
        lo[:m] = lower
    # interior point: several times faster than simplex on this degenerate max-min LP
    res = solve_lp(c, start, index, value, rhs, col_lower=lo, col_upper=np.ones(m + 1), solver="ipm")
    return -res.value


def fair_bound(
    instance: PairingInstance,
    *,
    fixed: Collection[tuple[int, int]] = (),
    min_total: float | None = None,
) -> float:
    """The largest worst share (relevance over ``own_bound``) any fractional schedule can give.

    Parameters
    ----------
    instance : PairingInstance
    fixed : pairs (i, j), optional
        Pairs that must meet (the requested pairs a schedule meets): forced in.
    min_total : float, optional
        The least total relevance the schedule must keep (say 0.99 of :func:`lp_bound`).

    With neither, this is the referee's ``fair_bound``. With them, it bounds the
    worst share of the schedules that meet those requests and keep that total:
    the tighter figure to judge a schedule held to both rules.

    Notes
    -----
    One HiGHS LP over all allowed pairs of positive weight (O(n^2) variables).
    Colleague and forbidden pairs are out, as in the referee.

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": p} for p in "abcd"],
    ...     "weights": [[0, 4, 4, 0], [4, 0, 0, 1], [4, 0, 0, 1], [0, 1, 1, 0]]})
    >>> round(fair_bound(inst), 3)  # a-b, a-c, b-d, c-d at 1/2: b and c get 2.5 of their 4
    0.625
    >>> round(fair_bound(inst, fixed=[(0, 1)]), 3)  # a-b must meet: c is left with d (1 of 4)
    0.25
    """
    a, b, forced = _with_fixed(instance, fixed)
    return fair_bound_on(
        instance.n,
        a,
        b,
        instance.weights[a, b],
        _degree(instance),
        instance.own_bound,
        lower=forced,
        min_total=min_total,
    )
