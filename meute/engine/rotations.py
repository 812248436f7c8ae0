"""One-to-one rotation schedules: who meets whom in each round of a speed-meeting evening.

The objective is the total relevance of *distinct* meetings, so the problem is a
degree-constrained subgraph (everyone meets at most ``rounds`` others) followed
by an edge colouring of that subgraph into ``rounds`` matchings. The solver:

1. keeps each participant's ``K`` best allowed partners (K = 5 x rounds, 4 x
   beyond 1,000 people), so that 2,000 people stay a sparse graph; requested
   pairs are added and forced in (as many per person as there are rounds);
2. solves the b-matching LP on that graph with HiGHS (its optimum is integral
   on these graphs), several times: a Lagrangian relaxation of a fairness floor
   (everyone at least 95 % of the fractional fair share, itself an interior-
   point LP) raises the weights of whoever ends under the floor;
3. colours the chosen pairs into rounds, most certain first, with Kempe-chain
   swaps (the bipartite edge-colouring argument, which almost always works on
   these graphs) and fills the seats left free in each round greedily;
4. improves each round by 2-opt exchanges (``ab, cd -> ac, bd``), then lifts
   the worst-served person by exchanges that involve them, within a small
   budget of total relevance;
5. for an odd count, a dummy participant stands for the rest, decided up
   front (everyone once before anyone twice); in the default ``odd="trio"``
   the resting person then joins the pair of the round that suits them best
   (the round's one table of three, formed before the fairness pass and then
   locked), so in fact nobody rests.

See docs/algorithms/rotations.md for the reasoning and measured figures.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from meute.engine.bounds import Bound, best_bound
from meute.engine.errors import InfeasibleError
from meute.engine.notes import Note
from meute.engine.pairing import PairingInstance, Rounds, parse_instance, schedule_to_json

__all__ = [
    "RotationResult",
    "is_valid_schedule",
    "run_schedule_cli",
    "schedule_figures",
    "solve_rotations",
]


@dataclass
class RotationResult:
    """A schedule and what the solver has to say about it.

    Attributes
    ----------
    rounds : list of rounds
        ``rounds[r]`` lists the tables (participant indices) of round r.
    notes : list of str
        Human-readable remarks (requested pairs that cannot meet, and so on).
    stats : dict
        Solver figures: LP value on the sparse graph, fractional fair share, timings.
    """

    rounds: Rounds
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- checker


def is_valid_schedule(instance: PairingInstance, rounds: Rounds, *, check_rests: bool = True) -> list[str]:
    """Every rule a schedule breaks, as readable lines (empty list: valid).

    Checks the referee's hard rules (at most ``instance.rounds`` rounds, nobody
    at two tables of a round, table sizes: pairs plus at most one table of three
    per round in one-to-one mode, 2 to ``table_size`` in table mode, no
    colleagues, no forbidden pair) and, with ``check_rests``, the rest rule:
    nobody rests a second time before everyone else has rested once (more
    generally, a (k+1)-th rest only once everyone has rested k times).

    Parameters
    ----------
    instance : PairingInstance
    rounds : list of rounds of tables of participant indices
    check_rests : bool, default True

    Returns
    -------
    list of str

    Notes
    -----
    O(R * n + sum over tables of size^2).

    Examples
    --------
    >>> from meute.engine.pairing import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": "a", "company": "x"}, {"id": "b", "company": "x"}],
    ...     "weights": [[0, 1], [1, 0]]})
    >>> is_valid_schedule(inst, [[[0, 1]]])
    ['round 1: colleagues a and b (company x)']
    """
    errors: list[str] = []
    n, k = instance.n, instance.table_size
    ids, companies = instance.ids, instance.companies
    forbidden = set(instance.forbidden)
    if len(rounds) > instance.rounds:
        errors.append(f"schedule has {len(rounds)} rounds, instance allows {instance.rounds}")
    rests = np.zeros(n, dtype=np.int64)
    for r, tables in enumerate(rounds, start=1):
        seated: set[int] = set()
        trios = 0
        for table in tables:
            members = []
            for i in table:
                if not (isinstance(i, int | np.integer) and 0 <= i < n):
                    errors.append(f"round {r}: unknown participant index {i!r}")
                    continue
                if i in seated:
                    errors.append(f"round {r}: {ids[i]} sits at two tables")
                seated.add(int(i))
                members.append(int(i))
            size = len(table)
            if k == 2:
                if size == 3:
                    trios += 1
                elif size != 2:
                    errors.append(f"round {r}: table of {size} in one-to-one mode")
            elif not 2 <= size <= k:
                errors.append(f"round {r}: table of {size}, tables seat 2 to {k}")
            for a, b in combinations(members, 2):
                if (min(a, b), max(a, b)) in forbidden:
                    errors.append(f"round {r}: forbidden pair {ids[a]}-{ids[b]}")
                if companies[a] is not None and companies[a] == companies[b]:
                    errors.append(f"round {r}: colleagues {ids[a]} and {ids[b]} (company {companies[a]})")
        if k == 2 and trios > 1:
            errors.append(f"round {r}: {trios} tables of three; one-to-one mode allows one, for an odd count")
        if check_rests and n > 1:
            resting = np.ones(n, dtype=bool)
            resting[list(seated)] = False
            after = rests + resting
            # i rests for the (rests[i] + 1)-th time: everyone else must have rested
            # rests[i] times by now, this round included.
            lowest = np.partition(after, 1)[:2]
            for p in np.flatnonzero(resting).tolist():
                others_min = lowest[1] if after[p] == lowest[0] else lowest[0]
                if others_min < rests[p]:
                    errors.append(f"round {r}: {ids[p]} rests again before everyone has rested as often")
            rests = after
    return errors


# --------------------------------------------------------------------------- figures


def _met_pairs(rounds: Rounds) -> dict[tuple[int, int], int]:
    met: dict[tuple[int, int], int] = {}
    for tables in rounds:
        for table in tables:
            for a, b in combinations(table, 2):
                p = (a, b) if a < b else (b, a)
                met[p] = met.get(p, 0) + 1
    return met


def schedule_figures(
    instance: PairingInstance,
    rounds: Rounds,
    *,
    bound: Bound | None = None,
    fair: float | None = None,
) -> dict[str, Any]:
    """The referee's quality figures of a schedule, computed the referee's way.

    Parameters
    ----------
    instance : PairingInstance
    rounds : list of rounds of tables of participant indices
    bound : Bound, optional
        Upper bound on total relevance; adds ``bound``, ``bound_method``,
        ``ratio_bound`` (and ``ratio_lp`` when the bound is the LP).
    fair : float, optional
        Fair bound on the worst share; adds ``fair_bound`` and ``worst_over_fair``.

    Returns
    -------
    dict
        ``total_relevance``, ``distinct_meetings``, ``repeat_meetings``,
        ``worst_share``, ``p10_share``, ``requested_met``, ``requested_total``,
        ``max_rests`` (the most rounds anyone rests) and the optional ratios.

    Notes
    -----
    O(sum over tables of size^2 + n^2) (the n^2 is the per-person normaliser).
    """
    n = instance.n
    W = instance.weights
    met = _met_pairs(rounds)
    utility = np.zeros(n)
    total = 0
    for a, b in met:
        w = int(W[a, b])
        total += w
        utility[a] += w
        utility[b] += w
    rests = np.full(n, len(rounds))
    for tables in rounds:
        for table in tables:
            for i in table:
                rests[i] -= 1
    own = instance.own_bound
    shares = np.sort(utility[own > 0] / own[own > 0])
    requested_met = sum(1 for p in instance.requested if p in met)
    out: dict[str, Any] = {
        "participants": n,
        "rounds": instance.rounds,
        "total_relevance": total,
        "distinct_meetings": len(met),
        "repeat_meetings": sum(t - 1 for t in met.values()),
        "worst_share": round(float(shares[0]), 4) if len(shares) else 1.0,
        "p10_share": round(float(shares[len(shares) // 10]), 4) if len(shares) else 1.0,
        "requested_met": requested_met,
        "requested_total": len(instance.requested),
        "max_rests": int(rests.max()) if n else 0,
    }
    if bound is not None:
        out["bound"] = round(bound.value, 1)
        out["bound_method"] = bound.method
        out["ratio_bound"] = round(total / bound.value, 4) if bound.value else 1.0
        if bound.method == "lp":
            out["ratio_lp"] = out["ratio_bound"]
    if fair is not None:
        out["fair_bound"] = round(fair, 4)
        out["worst_over_fair"] = round(out["worst_share"] / fair, 4) if fair else 1.0
    return out


# --------------------------------------------------------------------------- solver


class _Colouring:
    """Rounds as colours of an edge colouring: ``mate[r][v]`` is v's partner in round r or -1.

    Plain Python lists on purpose: the Kempe chains walk one vertex at a time,
    where numpy's per-element access would cost ten times more.
    """

    def __init__(self, size: int, rounds: int) -> None:
        self.R = rounds
        self.mate = [[-1] * size for _ in range(rounds)]
        self.count = [0] * size

    def assign(self, r: int, u: int, v: int) -> None:
        self.mate[r][u] = v
        self.mate[r][v] = u
        self.count[u] += 1
        self.count[v] += 1

    def _path(self, start: int, first: int, second: int, limit: int) -> list[int] | None:
        """The maximal path from `start` alternating colours first, second, ..."""
        path = [start]
        colours = (first, second)
        v, step = start, 0
        while True:
            nxt = self.mate[colours[step & 1]][v]
            if nxt < 0:
                return path
            path.append(nxt)
            v = nxt
            step += 1
            if step > limit:
                return None

    def _flip(self, path: list[int], first: int, second: int) -> None:
        colours = (first, second)
        for s in range(len(path) - 1):
            c = colours[s & 1]
            self.mate[c][path[s]] = -1
            self.mate[c][path[s + 1]] = -1
        for s in range(len(path) - 1):
            c = colours[(s + 1) & 1]
            self.mate[c][path[s]] = path[s + 1]
            self.mate[c][path[s + 1]] = path[s]

    def place(self, u: int, v: int, limit: int) -> bool:
        """Give edge uv a round, moving others along a Kempe chain if needed."""
        R = self.R
        if self.count[u] >= R or self.count[v] >= R:
            return False
        mate = self.mate
        free_u = [r for r in range(R) if mate[r][u] < 0]
        free_v = [r for r in range(R) if mate[r][v] < 0]
        common = set(free_u).intersection(free_v)
        if common:
            self.assign(min(common), u, v)
            return True
        if limit <= 0:
            return False
        for alpha in free_u:
            for beta in free_v:
                # v has an alpha edge: flip the alpha/beta chain from v so alpha frees at v.
                path = self._path(v, alpha, beta, limit)
                if path is not None and path[-1] != u:
                    self._flip(path, alpha, beta)
                    self.assign(alpha, u, v)
                    return True
                path = self._path(u, beta, alpha, limit)
                if path is not None and path[-1] != v:
                    self._flip(path, beta, alpha)
                    self.assign(beta, u, v)
                    return True
        return False


def _candidates(instance: PairingInstance, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a < b) among each participant's k best allowed partners."""
    n = instance.n
    masked = np.where(instance.allowed, instance.weights, -1)
    k = min(k, n - 1)
    top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    cols = top.ravel()
    ok = masked[rows, cols] >= 0
    a = np.minimum(rows[ok], cols[ok])
    b = np.maximum(rows[ok], cols[ok])
    key = np.unique(a.astype(np.int64) * n + b)
    return (key // n).astype(np.int64), (key % n).astype(np.int64)


def _requested_capped(instance: PairingInstance, notes: list[str]) -> list[tuple[int, int]]:
    """The requested pairs that can meet, at most `rounds` per person (heaviest kept)."""
    ids, R = instance.ids, instance.rounds
    load = [0] * instance.n
    forbidden = set(instance.forbidden)
    kept: list[tuple[int, int]] = []
    for a, b in sorted(instance.requested, key=lambda p: -int(instance.weights[p])):
        if not instance.allowed[a, b]:
            if (a, b) in forbidden:
                notes.append(
                    Note(
                        "requested_forbidden",
                        "requested pair {a}-{b} cannot meet (forbidden)",
                        a=ids[a],
                        b=ids[b],
                    )
                )
            else:
                notes.append(
                    Note(
                        "requested_colleagues",
                        "requested pair {a}-{b} cannot meet (colleagues)",
                        a=ids[a],
                        b=ids[b],
                    )
                )
        elif load[a] >= R or load[b] >= R:
            notes.append(
                Note(
                    "requested_dropped",
                    "requested pair {a}-{b} dropped: more requests than rounds",
                    a=ids[a],
                    b=ids[b],
                )
            )
        else:
            load[a] += 1
            load[b] += 1
            kept.append((a, b))
    return kept


def _bmatching_lp(
    n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, R: int | np.ndarray, lower: np.ndarray
) -> np.ndarray:
    """Fractional b-matching (degree <= R, a number or one per person) maximising w, forced pairs at 1."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    m = len(w)
    if m == 0:
        return np.zeros(0)
    rows = np.concatenate([a, b])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    deg = coo_matrix((np.ones(2 * m), (rows, cols)), shape=(n, m)).tocsr()
    bounds = np.column_stack([lower, np.ones(m)])
    cap = np.broadcast_to(np.asarray(R, dtype=np.float64), (n,))
    res = linprog(-w, A_ub=deg, b_ub=cap, bounds=bounds, method="highs")
    if res.status != 0:  # forced pairs never exceed R per person, so this is feasible
        raise InfeasibleError(f"the matching LP failed: {res.message}")
    return np.asarray(res.x)


def _fair_share(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, R: int, own: np.ndarray) -> float:
    """The fractional fair share on a sparse graph (a lower estimate of the fair bound).

    Interior point: several times faster than simplex on this degenerate
    max-min LP, and only its value is needed.
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

    m = len(w)
    if m == 0:
        return 0.0
    rows = np.concatenate([a, b])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    deg = coo_matrix((np.ones(2 * m), (rows, cols)), shape=(n, m))
    util = coo_matrix((-np.concatenate([w, w]), (rows, cols)), shape=(n, m))
    A = vstack([hstack([deg, csr_matrix((n, 1))]), hstack([util, csr_matrix(own.reshape(-1, 1))])]).tocsr()
    c = np.zeros(m + 1)
    c[-1] = -1
    res = linprog(
        c, A_ub=A, b_ub=np.concatenate([np.full(n, float(R)), np.zeros(n)]), bounds=(0, 1), method="highs-ipm"
    )
    return float(-res.fun) if res.status == 0 else 0.0


def _two_opt(pairs: np.ndarray, locked: np.ndarray, Wx: np.ndarray, avail: np.ndarray) -> int:
    """Improving 2-opt exchanges inside one round, applied in place; returns how many.

    Every exchange ``ab, cd -> ac, bd`` (or ``ad, bc``) of the round is scored at
    once with numpy; the best disjoint improving ones are applied together,
    and the round is scored again until nothing improves.
    """
    done = 0
    m = len(pairs)
    if m < 2:
        return 0
    for _ in range(30):
        A, B = pairs[:, 0], pairs[:, 1]
        wp = Wx[A, B]
        best_gain = np.full((m, m), -np.inf)
        best_kind = np.zeros((m, m), dtype=np.int8)
        for kind, (X, Y) in enumerate(((A, B), (B, A)), start=1):
            # a_i meets X_j and b_i meets Y_j
            gain = Wx[A[:, None], X[None, :]] + Wx[B[:, None], Y[None, :]] - wp[:, None] - wp[None, :]
            ok = avail[A[:, None], X[None, :]] & avail[B[:, None], Y[None, :]]
            gain = np.where(ok, gain, -np.inf)
            better = gain > best_gain
            best_gain = np.where(better, gain, best_gain)
            best_kind[better] = kind
        best_gain[locked, :] = -np.inf
        best_gain[:, locked] = -np.inf
        i_idx, j_idx = np.nonzero(np.triu(best_gain > 1e-9, 1))
        if len(i_idx) == 0:
            break
        order = np.argsort(-best_gain[i_idx, j_idx], kind="stable")
        touched = np.zeros(m, dtype=bool)
        applied = 0
        for o in order.tolist():
            i, j = int(i_idx[o]), int(j_idx[o])
            if touched[i] or touched[j]:
                continue
            touched[i] = touched[j] = True
            a, b = int(pairs[i, 0]), int(pairs[i, 1])
            c, d = int(pairs[j, 0]), int(pairs[j, 1])
            if best_kind[i, j] == 2:
                c, d = d, c
            avail[a, b] = avail[b, a] = avail[c, d] = avail[d, c] = True
            avail[a, c] = avail[c, a] = avail[b, d] = avail[d, b] = False
            pairs[i] = (a, c)
            pairs[j] = (b, d)
            applied += 1
        done += applied
        if not applied:
            break
    return done


def _fairness_pass(
    mates: np.ndarray,
    locked: set[tuple[int, int]],
    W: np.ndarray,
    avail: np.ndarray,
    util: np.ndarray,
    own: np.ndarray,
    budget: float,
    deadline: float | None,
) -> tuple[int, float]:
    """Raise the worst share by 2-opt exchanges that involve the worst-served person.

    Repeatedly: take the person u with the lowest share; among all exchanges
    ``ua, cd -> uc, ad`` in any round, keep those after which all four people
    are better off than u was (so the minimum rises), and apply the one that
    lifts the minimum most, the cheapest first among equals; stop when no
    exchange helps u or the total relevance spent would exceed ``budget``.
    Returns (exchanges, relevance spent).

    Notes
    -----
    Each step is O(R n) vectorised; at most a few steps per person.
    """
    size = len(util)
    R = len(mates)
    inv = np.where(own > 0, 1.0 / np.where(own > 0, own, 1.0), 0.0)
    share = np.where(own > 0, util * inv, np.inf)
    spent = 0.0
    steps = 0
    stuck: set[int] = set()
    cost_unit = max(1.0, float(np.median(own[own > 0])) / 100) if (own > 0).any() else 1.0
    for _ in range(20 * size):
        if deadline is not None and time.perf_counter() > deadline:
            break
        order = np.argsort(share)
        u = -1
        for cand in order[:2].tolist():
            if cand not in stuck:
                u = cand
                break
        if u < 0 or not np.isfinite(share[u]):
            break
        second = float(share[order[1]]) if size > 1 else np.inf
        best: tuple[float, float, int, int, int] | None = None
        for r in range(R):
            a = int(mates[r][u])
            if a < 0 or (min(u, a), max(u, a)) in locked:
                continue
            m_r = mates[r]
            c = np.flatnonzero((m_r >= 0) & (np.arange(size) != u) & (np.arange(size) != a))
            d = m_r[c]
            ok = avail[u, c] & avail[a, d]
            if not ok.any():
                continue
            c, d = c[ok], d[ok]
            if locked:
                keep = np.array(
                    [
                        (min(x, y), max(x, y)) not in locked
                        for x, y in zip(c.tolist(), d.tolist(), strict=False)
                    ]
                )
                c, d = c[keep], d[keep]
                if len(c) == 0:
                    continue
            w_ua, w_cd = W[u, a], W[c, d]
            su = share[u] + (W[u, c] - w_ua) * inv[u]
            sa = np.where(own[a] > 0, share[a] + (W[a, d] - w_ua) * inv[a], np.inf)
            sc = np.where(own[c] > 0, share[c] + (W[u, c] - w_cd) * inv[c], np.inf)
            sd = np.where(own[d] > 0, share[d] + (W[a, d] - w_cd) * inv[d], np.inf)
            new_min = np.minimum(np.minimum(su, sa), np.minimum(sc, sd))
            delta = W[u, c] + W[a, d] - w_ua - w_cd
            good = (new_min > share[u] + 1e-9) & (spent - delta <= budget)
            if not good.any():
                continue
            # the most lift of the minimum per unit of relevance spent
            lifted = np.minimum(new_min, second + 1e-3) - share[u]
            score = np.where(good, lifted / (np.maximum(-delta, 0.0) + cost_unit), -np.inf)
            k = int(np.argmax(score))
            cand = (float(score[k]), float(delta[k]), r, int(c[k]), int(d[k]))
            if best is None or cand[:2] > best[:2]:
                best = cand
        if best is None:
            stuck.add(u)
            if len(stuck) >= 1 and u == int(order[0]):
                break
            continue
        _, delta_best, r, c_, d_ = best
        a_ = int(mates[r][u])
        for x, y, sign in ((u, a_, -1), (c_, d_, -1), (u, c_, 1), (a_, d_, 1)):
            util[x] += sign * W[x, y]
            util[y] += sign * W[x, y]
            avail[x, y] = avail[y, x] = sign < 0
        mates[r][u], mates[r][c_] = c_, u
        mates[r][a_], mates[r][d_] = d_, a_
        for x in (u, a_, c_, d_):
            share[x] = util[x] * inv[x] if own[x] > 0 else np.inf
        spent -= delta_best
        steps += 1
    return steps, spent


def solve_rotations(
    instance: PairingInstance,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    odd: str = "trio",
    fairness_cost: float = 0.0017,
    fair_target: float = 0.95,
    lagrange_iters: int = 6,
    lagrange_step: float = 3.0,
    neighbours: int | None = None,
) -> RotationResult:
    """A one-to-one schedule of ``instance.rounds`` rounds maximising the relevance of distinct meetings.

    Hard rules are always kept (no colleagues, no forbidden pair, nobody twice
    in a round); pairs are never repeated while anyone has an unmet allowed
    partner; every requested pair meets when the rounds allow it (at most
    ``rounds`` requests per person).

    Parameters
    ----------
    instance : PairingInstance
        With ``table_size == 2``.
    seed : int, default 0
        Breaks ties between equally good choices.
    time_limit : float, optional
        Seconds; the improvement passes stop when it is spent (the schedule is valid anyway).
    odd : {"trio", "rest"}, default "trio"
        For an odd count: one table of three per round, or one person resting
        per round (nobody rests twice before everyone has rested once).
    fairness_cost : float, default 0.0017
        The most fairness may cost: the schedule's total stays above
        ``1 - fairness_cost`` of the best total the LP finds (0 turns fairness off).
        The Lagrangian floor and the fairness pass share this allowance.
    fair_target : float, default 0.95
        The Lagrangian floor, as a fraction of the fractional fair share
        (0 skips the fair LP and the floor).
    lagrange_iters : int, default 6
        Most LPs solved to push everyone over the floor (the best is kept).
    lagrange_step : float, default 3.0
        Subgradient step: how fast the weights of people under the floor grow;
        halved back towards the last affordable weights when an LP costs more
        than the allowance.
    neighbours : int, optional
        How many best partners of each person the sparse graph keeps (default 5 x rounds, at least 24).

    Returns
    -------
    RotationResult

    Raises
    ------
    InfeasibleError
        If table_size is not 2 (tables have their own solver).

    Notes
    -----
    With K neighbours, m <= n K candidate pairs: building the graph is O(n^2),
    the LP is HiGHS on m variables and n rows (near-linear in practice on
    these sparse, integral LPs), colouring is O(m R) plus the Kempe chains,
    a 2-opt sweep of a round is O(n^2 / 4) vectorised, and a fairness step
    O(R n). Measured: 400 x 8 in well under a second.

    Examples
    --------
    >>> from meute.engine.pairing import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 3,
    ...     "participants": [{"id": p} for p in "abcd"],
    ...     "weights": [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]]})
    >>> sorted(tuple(t) for rnd in solve_rotations(inst).rounds for t in rnd)
    [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    """
    if instance.table_size != 2:
        raise InfeasibleError(
            "solve_rotations makes one-to-one rounds; tables of more go to meute.engine.tables"
        )
    if odd not in ("trio", "rest"):
        raise ValueError(f"odd must be 'trio' or 'rest', not {odd!r}")
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    n, R = instance.n, instance.rounds
    notes: list[str] = []
    stats: dict[str, Any] = {}
    if n < 2:
        return RotationResult(
            [[] for _ in range(R)], [Note("too_few", "fewer than two participants: nobody to meet")], stats
        )
    if n - 1 < R:
        notes.append(
            Note(
                "too_many_rounds",
                "{rounds} rounds but only {partners} possible partners each: some pairs must meet twice",
                rounds=R,
                partners=n - 1,
            )
        )
    rng = np.random.default_rng(seed)

    # 1. sparse candidate graph + requested pairs
    requested = _requested_capped(instance, notes)
    # 5R neighbours lose nothing measurable against the full LP; 4R beyond 1,000
    # people keeps the LPs within the time budget (about 0.03 % of the bound).
    k = neighbours or max((5 if n <= 1000 else 4) * R, 24)
    a, b = _candidates(instance, k)
    if requested:
        ra = np.array([p[0] for p in requested], dtype=np.int64)
        rb = np.array([p[1] for p in requested], dtype=np.int64)
        key = np.unique(np.concatenate([a * n + b, ra * n + rb]))
        a, b = key // n, key % n
    w = instance.weights[a, b].astype(np.float64)
    lower = np.isin(a * n + b, np.array([x * n + y for x, y in requested], dtype=np.int64)).astype(float)
    stats["candidate_pairs"] = len(w)

    # An odd count: a dummy participant stands for the rest, and who rests in
    # which round is decided up front, everyone once before anyone twice (a
    # seeded permutation; people with as many requests as rounds come last).
    size = n + (n % 2)
    dummy = n if n % 2 else -1
    capacity = np.full(n, R)
    rest_order: list[int] = []
    if dummy >= 0:
        load = np.bincount(np.array([p for pq in requested for p in pq], dtype=np.int64), minlength=n)
        perm = rng.permutation(n)
        perm = perm[np.argsort(load[perm] >= R, kind="stable")]
        rest_order = [int(perm[r % n]) for r in range(R)]
        np.subtract.at(capacity, rest_order, 1)

    # 2. the b-matching LP: its optimum is (almost always) integral on these graphs.
    # Fairness by Lagrangian relaxation of a floor on everyone's share: weights
    # w_ij (1 + mu_i + mu_j) keep the LP integral (easy to split into rounds),
    # and subgradient steps raise mu for whoever ends under the floor. The
    # floor is a fraction of the fractional fair share (an interior-point LP).
    t0 = time.perf_counter()
    own = np.asarray(instance.own_bound, dtype=np.float64)
    inv_own = np.where(own > 0, 1.0 / np.where(own > 0, own, 1.0), 0.0)
    floor = 0.0
    if fair_target > 0 and len(w):
        fa, fb = _candidates(instance, max(2 * R, 12))
        stats["fair_sparse"] = round(
            _fair_share(n, fa, fb, instance.weights[fa, fb].astype(float), R, own), 4
        )
        floor = fair_target * stats["fair_sparse"]
    # In trio mode a resting person gets their missing meeting back (and one more)
    # at the table of three: judge their LP share against R - 1 meetings' worth.
    inv_own_lp = inv_own.copy()
    if odd == "trio" and rest_order:
        inv_own_lp[rest_order] *= R / max(R - 1, 1)
    # The first LP (mu = 0) gives the best total; every later one must stay
    # within the fairness allowance (less what colouring usually loses), else
    # the weights go halfway back to the last affordable ones.
    mu = np.zeros(n)
    best_key: tuple[float, float] | None = None
    x, mu_best, mu_ok = np.zeros(len(w)), mu, mu
    best_total = 0.0
    for _it in range(lagrange_iters if floor > 0 and fairness_cost > 0 else 1):
        if _it and deadline is not None and time.perf_counter() > deadline:
            break
        x_try = _bmatching_lp(n, a, b, w * (1.0 + mu[a] + mu[b]), capacity, lower)
        total_try = float(w @ x_try)
        if _it == 0:
            best_total = total_try
        elif total_try < (1.0 - 0.6 * fairness_cost) * best_total:
            mu = (mu_ok + mu) / 2
            continue
        mu_ok = mu
        util_lp = np.bincount(a, w * x_try, n) + np.bincount(b, w * x_try, n)
        shares = np.where(own > 0, util_lp * inv_own_lp, np.inf)
        worst = float(shares.min())
        it_key = (min(worst, floor), total_try)
        if best_key is None or it_key > best_key:
            best_key = it_key
            x, mu_best = x_try, mu.copy()
        if worst >= floor or (deadline is not None and time.perf_counter() > deadline):
            break
        # aim at the lowest tenth only: raising everyone under an unreachable
        # floor costs much total for little lift of the worst (decision-makers)
        aim = min(floor, float(np.quantile(shares[np.isfinite(shares)], 0.1)))
        mu = mu + lagrange_step * np.maximum(0.0, aim - shares) / max(aim, 1e-9)
    mu = mu_best
    stats["lp_best_total"] = round(best_total, 1)
    w_eff = w * (1.0 + mu[a] + mu[b])
    stats["lp_sparse"] = round(float(w @ x), 1)
    stats["lp_worst_share"] = round(best_key[0], 4) if best_key else None
    stats["lp_fractional"] = int(np.sum((x > 1e-6) & (x < 1 - 1e-6)))
    stats["lp_seconds"] = round(time.perf_counter() - t0, 3)

    # 3. colour into rounds: forced pairs, then the LP's by certainty, then the rest by weight;
    # 4. fill the seats left free in each round.
    t0 = time.perf_counter()
    Wx = np.zeros((size, size))
    Wx[:n, :n] = instance.weights
    # the 2-opt pass works on the Lagrangian weights, so it keeps the floor's trade-offs
    Wl = Wx.copy()
    Wl[:n, :n] *= 1.0 + mu[:, None] + mu[None, :]
    base = np.zeros((size, size), dtype=bool)  # the hard rules alone
    base[:n, :n] = instance.allowed
    if dummy >= 0:
        base[dummy, :n] = base[:n, dummy] = True
    jitter = rng.random(len(w)) * 1e-3  # seed-driven tie-breaking only
    order = np.lexsort((-(w_eff + jitter), -np.round(x, 6), -lower))
    best_try: tuple[tuple[int, float], np.ndarray, np.ndarray, int] | None = None
    # A repeat is forced only in small, tight rooms, where a dozen reshuffled
    # orders (cheap there) usually find a schedule without one; mid-sized rooms
    # try three orders (near-ties broken differently) and keep the best total.
    tries = 12 if n <= 64 else 3 if n <= 1000 else 1
    for attempt in range(tries):
        if attempt and n <= 64:
            head = int(lower.sum())
            order = np.concatenate([order[:head], rng.permutation(order[head:])])
        elif attempt:
            shake = w_eff + rng.random(len(w)) * 2.0
            order = np.lexsort((-shake, -np.round(x, 6), -lower))
        mates, avail, unplaced, repeats = _colour_and_fill(
            size, R, dummy, rest_order, a, b, x, order, Wx, base, 4 * n, rng
        )
        seated = mates >= 0
        total = float(Wx[np.nonzero(seated)[1], np.where(seated, mates, 0)[seated]].sum())
        score = (repeats, -total)
        if best_try is None or score < best_try[0]:
            best_try = (score, mates, avail, unplaced)
        if repeats == 0 and n <= 64:
            break
    assert best_try is not None
    _, mates, avail, unplaced = best_try
    stats["lp_pairs_unplaced"] = unplaced
    stats["colour_seconds"] = round(time.perf_counter() - t0, 3)

    # 5. 2-opt per round on total relevance, then the fairness pass
    t0 = time.perf_counter()
    locked_pairs = set(requested)
    moves = 0
    # beyond 1,000 people a sweep costs seconds for a handful of moves: skipped
    for _sweep in range(2 if n <= 1000 else 0):
        swept = 0
        for r in range(R):
            if deadline is not None and time.perf_counter() > deadline:
                break
            pairs = _round_pairs(mates[r])
            locked = np.array([(int(p), int(q)) in locked_pairs for p, q in pairs], dtype=bool)
            swept += _two_opt(pairs, locked, Wl, avail)
            mates[r][pairs[:, 0]] = pairs[:, 1]
            mates[r][pairs[:, 1]] = pairs[:, 0]
        moves += swept
        if not swept:
            break
    stats["two_opt_moves"] = moves
    stats["two_opt_seconds"] = round(time.perf_counter() - t0, 3)

    # 6. an odd count's resting person joins a pair (trio mode), before the
    # fairness pass so that it sees their real meetings; the trio is then locked
    trios: dict[int, tuple[int, int, int]] = {}
    if odd == "trio" and dummy >= 0:
        for r in range(R):
            x_ = int(mates[r][dummy])
            if x_ < 0:
                continue
            pairs = _round_pairs(mates[r])
            best, best_t = (-1, -1.0), -1
            for t, (p, q) in enumerate(pairs.tolist()):
                # two new meetings first; one new and one repeat beats resting (small rooms)
                if dummy in (p, q) or (p, q) in locked_pairs:
                    continue
                if base[x_, p] and base[x_, q] and (avail[x_, p] or avail[x_, q]):
                    score = (
                        int(avail[x_, p]) + int(avail[x_, q]),
                        Wx[x_, p] * avail[x_, p] + Wx[x_, q] * avail[x_, q],
                    )
                    if score > best:
                        best, best_t = score, t
            if best_t >= 0:
                p, q = (int(v) for v in pairs[best_t])
                trios[r] = (p, q, x_)
                avail[x_, p] = avail[p, x_] = avail[x_, q] = avail[q, x_] = False
                locked_pairs.update({(p, q), (x_, dummy)})

    t0 = time.perf_counter()
    if fairness_cost > 0:
        util = np.zeros(size)
        for r in range(R):
            idx = np.flatnonzero(mates[r] > np.arange(size))
            np.add.at(util, idx, Wx[idx, mates[r][idx]])
            np.add.at(util, mates[r][idx], Wx[idx, mates[r][idx]])
        for p, q, x_ in trios.values():
            util[x_] += Wx[x_, p] + Wx[x_, q]
            util[p] += Wx[x_, p]
            util[q] += Wx[x_, q]
        own_x = np.zeros(size)
        own_x[:n] = own
        total = float(util.sum() / 2)
        # what is left of the allowance, and never less than 0.08 %: when
        # colouring lost more than usual, fairness is not dropped altogether
        budget = max(total - (1.0 - fairness_cost) * best_total, 0.0008 * total)
        steps, spent = _fairness_pass(mates, locked_pairs, Wx, avail, util, own_x, budget, deadline)
        stats["fairness_moves"] = steps
        stats["fairness_spent"] = round(spent, 1)
    stats["fairness_seconds"] = round(time.perf_counter() - t0, 3)

    # 7. rounds as tables
    rounds: Rounds = []
    for r in range(R):
        pairs = _round_pairs(mates[r])
        tables = [[int(p), int(q)] for p, q in pairs if p != dummy and q != dummy]
        if r in trios:
            p, q, x_ = trios[r]
            tables = [t if t != [p, q] else [p, q, x_] for t in tables]
        rounds.append(tables)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return RotationResult(rounds, notes, stats)


def _colour_and_fill(
    size: int,
    R: int,
    dummy: int,
    rest_order: list[int],
    a: np.ndarray,
    b: np.ndarray,
    x: np.ndarray,
    order: np.ndarray,
    Wx: np.ndarray,
    base: np.ndarray,
    limit: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Edge-colour the candidate pairs in `order`, then fill each round; (mates, avail, unplaced, repeats)."""
    col = _Colouring(size, R)
    for r, x_rest in enumerate(rest_order):
        col.assign(r, dummy, x_rest)
    chosen = x[order] > 1e-6
    unplaced = 0
    for e, in_lp in zip(order.tolist(), chosen.tolist(), strict=True):
        if not col.place(int(a[e]), int(b[e]), limit=limit if in_lp else 8) and in_lp:
            unplaced += 1
    avail = base.copy()
    mates = np.array(col.mate, dtype=np.int64)
    for r in range(R):
        idx = np.flatnonzero(mates[r] >= 0)
        avail[idx, mates[r][idx]] = False
    repeats = 0
    for r in range(R):
        repeats += _fill_round(mates[r], Wx, avail, base, dummy, rng)
    return mates, avail, unplaced, repeats


def _round_pairs(mate_r: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(mate_r > np.arange(len(mate_r)))
    return np.column_stack([idx, mate_r[idx]]).astype(np.int64)


def _fill_round(
    mate_r: np.ndarray,
    Wx: np.ndarray,
    avail: np.ndarray,
    base: np.ndarray,
    dummy: int,
    rng: np.random.Generator,
) -> int:
    """Pair the people left free in one round: greedy by weight among unmet allowed
    pairs, then one exchange with a seated pair for whoever is left.

    A pair already met elsewhere is used only if nothing else works (a repeat
    beats sitting idle when the rounds outnumber the possible partners).
    """
    free = np.flatnonzero(mate_r < 0)
    if len(free) < 2:
        return 0
    repeats = 0
    sub_ok = avail[np.ix_(free, free)]
    sub_w = Wx[np.ix_(free, free)] + rng.random((len(free), len(free))) * 1e-6
    if dummy >= 0:
        # resting is the last resort: the dummy pairs after every real pair
        is_d = free == dummy
        sub_w[is_d, :] = -1.0
        sub_w[:, is_d] = -1.0
    iu, ju = np.nonzero(np.triu(sub_ok, 1))
    for o in np.argsort(-sub_w[iu, ju], kind="stable"):
        u, v = int(free[iu[o]]), int(free[ju[o]])
        if mate_r[u] < 0 and mate_r[v] < 0:
            mate_r[u], mate_r[v] = v, u
            avail[u, v] = avail[v, u] = False
    left = [int(v) for v in free if mate_r[v] < 0]
    while len(left) >= 2:
        u = left.pop()
        placed = False
        for v in list(left):
            # swap with a seated pair (p, q): u-p and v-q, both unmet and allowed
            seated = np.flatnonzero((mate_r >= 0) & (mate_r > np.arange(len(mate_r))))
            if len(seated) == 0:
                break
            p, q = seated, mate_r[seated]
            for x1, x2 in ((p, q), (q, p)):
                ok = avail[u, x1] & avail[v, x2]
                if ok.any():
                    gain = np.where(ok, Wx[u, x1] + Wx[v, x2] - Wx[x1, x2], -np.inf)
                    s = int(np.argmax(gain))
                    y1, y2 = int(x1[s]), int(x2[s])
                    avail[y1, y2] = avail[y2, y1] = True
                    mate_r[u], mate_r[y1] = y1, u
                    mate_r[v], mate_r[y2] = y2, v
                    avail[u, y1] = avail[y1, u] = avail[v, y2] = avail[y2, v] = False
                    left.remove(v)
                    placed = True
                    break
            if placed:
                break
        if not placed:
            # nothing unmet works: a repeat (still no colleague, no forbidden pair)
            for v in list(left):
                if base[u, v] and dummy not in (u, v):
                    mate_r[u], mate_r[v] = v, u
                    left.remove(v)
                    repeats += 1
                    break
    return repeats


# --------------------------------------------------------------------------- command line


def run_schedule_cli(args: argparse.Namespace) -> int:
    """``meute schedule INSTANCE.json -o SCHEDULE.json [--seed S] [--time-limit T]``.

    Reads and validates the instance, solves (one-to-one here; tables through
    :func:`meute.engine.tables.solve_tables`), checks the result with
    :func:`is_valid_schedule`, writes the schedule and prints its figures.
    """
    from meute.engine.bounds import FAIR_MAX_PAIRS, allowed_pairs, fair_bound
    from meute.engine.cli import read_json, say, write_json

    instance = parse_instance(read_json(args.instance))
    started = time.perf_counter()
    if instance.table_size > 2:
        try:
            from meute.engine.tables import solve_tables  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:  # pragma: no cover - until the tables solver lands
            raise InfeasibleError("tables of more than 2 are not supported by this version") from exc
        result: Any = solve_tables(instance, seed=args.seed, time_limit=args.time_limit)
    else:
        result = solve_rotations(instance, seed=args.seed, time_limit=args.time_limit)
    seconds = time.perf_counter() - started
    violations = is_valid_schedule(instance, result.rounds)
    if violations:  # pragma: no cover - a solver bug; refuse to write a broken schedule
        raise InfeasibleError(f"internal error, schedule breaks a rule: {violations[0]}")
    write_json(args.output, schedule_to_json(instance, result.rounds))
    bound = best_bound(instance)
    # The fair bound's max-min LP is slow (tens of seconds for 400 people): only for small rooms.
    fair = fair_bound(instance) if len(allowed_pairs(instance)[0]) <= FAIR_MAX_PAIRS else None
    fig = schedule_figures(instance, result.rounds, bound=bound, fair=fair)
    say(f"schedule: {instance.n} participants, {instance.rounds} rounds, written to {args.output}")
    say(f"solved in {seconds:.2f} s")
    label = "LP bound" if bound.method == "lp" else "top-R bound (the LP is too large)"
    say(f"total relevance: {fig['total_relevance']} = {fig['ratio_bound']:.2%} of the {label} {fig['bound']}")
    line = f"worst-served: {fig['worst_share']:.1%} of their best, 10th percentile {fig['p10_share']:.1%}"
    if fair is not None:
        line += f"; {fig['worst_over_fair']:.1%} of the fair bound {fig['fair_bound']:.1%}"
    elif "fair_sparse" in result.stats:
        line += f" (fair bound not computed: too large; the solver's estimate is {result.stats['fair_sparse']:.1%})"
    say(line)
    say(f"requested met: {fig['requested_met']} of {fig['requested_total']}")
    say(f"repeat meetings: {fig['repeat_meetings']}; most rests of anyone: {fig['max_rests']}")
    for note in result.notes:
        say(f"note: {note}")
    return 0
