"""Upper bounds on what a rotation schedule can score, to report how close a schedule is.

Three bounds, from cheap to tight:

- :func:`top_bound` (the "top-R bound"): each participant meets at most
  ``degree = rounds * (table_size - 1)`` distinct others, so the total is at most
  half the sum, over participants, of their ``degree`` best allowed weights.
- :func:`lp_bound`: the LP relaxation of the best degree-constrained subgraph
  (fractional b-matching), solved by HiGHS through :func:`scipy.optimize.linprog`.
- :func:`fair_bound`: the largest worst share that any fractional schedule can give.

Both LPs drop colleagues and forbidden pairs (the referee's LP keeps colleagues,
so ours can only be lower, i.e. tighter, and is still a valid bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meute.engine.rotations.instance import PairingInstance

__all__ = [
    "FAIR_MAX_PAIRS",
    "LP_MAX_PAIRS",
    "Bound",
    "allowed_pairs",
    "best_bound",
    "fair_bound",
    "fair_bound_on",
    "lp_bound",
    "lp_bound_on",
    "top_bound",
]

#: Above this many candidate pairs the full LP is left to :func:`top_bound` (memory and time).
LP_MAX_PAIRS = 400_000
#: Above this many pairs the command line leaves out the fair bound (its LP takes tens of seconds).
FAIR_MAX_PAIRS = 20_000


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
    # scipy is imported on use: `meute replan` needs none of it and starts faster
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    m = len(w)
    if m == 0:
        return 0.0, np.zeros(0)
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,))
    rows = np.concatenate([a, b])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    A = coo_matrix((np.ones(2 * m), (rows, cols)), shape=(n, m)).tocsr()
    res = linprog(-np.asarray(w, dtype=np.float64), A_ub=A, b_ub=cap, bounds=(0, 1), method="highs")
    if res.status != 0:  # pragma: no cover - HiGHS solves these bounded LPs
        raise RuntimeError(f"LP failed: {res.message}")
    return float(-res.fun), np.asarray(res.x)


def lp_bound(instance: PairingInstance) -> float:
    """LP relaxation of the best subgraph where everyone meets at most ``degree`` others.

    Notes
    -----
    One HiGHS LP over all allowed pairs of positive weight: O(n^2) variables,
    so meant for a few hundred participants (about a second for 400); use
    :func:`best_bound` to fall back on :func:`top_bound` beyond that.
    """
    a, b = allowed_pairs(instance)
    return lp_bound_on(instance.n, a, b, instance.weights[a, b], _degree(instance))[0]


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
) -> float:
    """Largest t such that a fractional b-matching on the given pairs gives every
    participant with ``own_i > 0`` a relevance of at least ``t * own_i``.

    Notes
    -----
    One HiGHS LP with m + 1 variables and 2n rows (4m + n non-zeros, O(m + n) to build),
    solved by interior point.
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

    m = len(w)
    if m == 0:
        return 0.0
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n,))
    w = np.asarray(w, dtype=np.float64)
    rows = np.concatenate([a, b])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    deg = coo_matrix((np.ones(2 * m), (rows, cols)), shape=(n, m))
    util = coo_matrix((-np.concatenate([w, w]), (rows, cols)), shape=(n, m))
    A = vstack(
        [hstack([deg, csr_matrix((n, 1))]), hstack([util, csr_matrix(np.asarray(own, float).reshape(-1, 1))])]
    ).tocsr()
    rhs = np.concatenate([cap, np.zeros(n)])
    c = np.zeros(m + 1)
    c[-1] = -1
    # interior point: several times faster than simplex on this degenerate max-min LP
    res = linprog(c, A_ub=A, b_ub=rhs, bounds=(0, 1), method="highs-ipm")
    if res.status != 0:  # pragma: no cover
        raise RuntimeError(f"LP failed: {res.message}")
    return float(-res.fun)


def fair_bound(instance: PairingInstance) -> float:
    """The largest worst share (relevance over ``own_bound``) any fractional schedule can give.

    Notes
    -----
    One HiGHS LP over all allowed pairs of positive weight (O(n^2) variables).
    The referee computes the same figure, keeping colleague pairs out as here.
    """
    a, b = allowed_pairs(instance)
    return fair_bound_on(instance.n, a, b, instance.weights[a, b], _degree(instance), instance.own_bound)
