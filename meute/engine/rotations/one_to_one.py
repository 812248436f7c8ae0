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
   locked), so in fact nobody rests;
6. in a crowded room (a few people in demand whom the LP shares out in
   slices), asks HiGHS's branch and cut for the integral max-min meeting graph
   (:mod:`meute.engine.rotations.maxmin`: everyone's worst share as high as
   possible, the requests in, 99 % of the best total kept), starting from the
   schedule above, colours it the same way, and keeps it if the worst-served
   gains.

See docs/algorithms/rotations.md for the reasoning and measured figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from meute.engine.errors import InfeasibleError
from meute.engine.notes import Note
from meute.engine.rotations.bounds import fair_bound_on, lp_with_duals
from meute.engine.rotations.checker import worst_and_total
from meute.engine.rotations.colouring import colour_and_fill, round_pairs
from meute.engine.rotations.exchanges import fairness_pass, two_opt
from meute.engine.rotations.instance import PairingInstance, Rounds
from meute.engine.rotations.maxmin import maxmin_bmatching

__all__ = ["RotationResult", "solve_rotations"]


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
    prices : array of n floats, optional
        The duals of the degree rows of the first matching LP:
        :func:`meute.engine.rotations.bounds.dual_bound` turns them into an
        upper bound on the LP over all pairs in O(n^2), without another LP.
    """

    rounds: Rounds
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    prices: np.ndarray | None = None


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
) -> tuple[np.ndarray, np.ndarray]:
    """Fractional b-matching (degree <= R, a number or one per person) maximising w, forced pairs at 1.

    Returns the solution and the duals of the degree rows.
    """
    try:
        _, x, y = lp_with_duals(n, a, b, w, R, lower)
    except RuntimeError as exc:  # forced pairs never exceed R per person, so this is feasible
        raise InfeasibleError(f"the matching LP failed: {exc}") from exc
    return x, y


def _fair_share(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, R: int, own: np.ndarray) -> float:
    """The fractional fair share on a sparse graph (a lower estimate of the fair bound); 0 if the LP fails."""
    try:
        return fair_bound_on(n, a, b, w, R, own)
    except RuntimeError:  # pragma: no cover - HiGHS solves these bounded LPs
        return 0.0


def solve_rotations(
    instance: PairingInstance,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    odd: str = "trio",
    fairness_cost: float = 0.0017,
    crowded_cost: float = 0.008,
    crowded_below: float = 0.7,
    fair_target: float = 0.95,
    lagrange_iters: int = 6,
    lagrange_step: float = 3.0,
    neighbours: int | None = None,
    maxmin_seconds: float = 15.0,
    maxmin_nodes: int = 1,
    maxmin_cost: float = 0.01,
    maxmin_pairs: int = 6_000,
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
    crowded_cost : float, default 0.008
        The allowance instead, in a crowded room: when the first LP (or, for
        the fairness pass, the Lagrangian LPs) leaves the worst share under
        ``crowded_below`` of the floor
        (a few people in demand whom the room cannot share, as with popular
        decision-makers), the total may drop to ``1 - crowded_cost`` of the best
        LP total for the worst-served.
    crowded_below : float, default 0.7
        What counts as crowded (the public families' LPs reach 0.9 or more of the floor).
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
    maxmin_seconds : float, default 15.0
        In a crowded room (the first LP, or the schedule made from it, leaves
        the worst-served under ``crowded_below`` of the fractional fair share),
        the most time the integral max-min graph may take
        (:mod:`meute.engine.rotations.maxmin`; 0 turns it off). It is kept only
        if it lifts the worst-served person. A safety cap: the search normally
        stops after ``maxmin_nodes`` (4 to 12 s for 150 people on this 2-core
        machine under load), so the schedule does not depend on the machine
        unless the cap is reached.
    maxmin_nodes : int, default 1
        Branch-and-bound nodes of that search (1: HiGHS's root, cuts and heuristics).
    maxmin_cost : float, default 0.01
        The allowance of the max-min graph: its total stays above
        ``1 - maxmin_cost`` of the best LP total with the requests in.
    maxmin_pairs : int, default 6,000
        Rooms with more candidate pairs skip the max-min graph (HiGHS's branch and cut is too slow there).

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
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 3,
    ...     "participants": [{"id": p} for p in "abcd"],
    ...     "weights": [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]]})
    >>> sorted(tuple(t) for rnd in solve_rotations(inst).rounds for t in rnd)
    [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    """
    if instance.table_size != 2:
        raise InfeasibleError(
            "solve_rotations makes one-to-one rounds; tables of more go to meute.engine.rotations.tables"
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
    prices = np.zeros(n)
    best_key: tuple[float, float] | None = None
    x, mu_best, mu_ok = np.zeros(len(w)), mu, mu
    best_total = 0.0
    crowded, lp_cost = False, fairness_cost
    for _it in range(lagrange_iters if floor > 0 and fairness_cost > 0 else 1):
        if _it and deadline is not None and time.perf_counter() > deadline:
            break
        x_try, y_try = _bmatching_lp(n, a, b, w * (1.0 + mu[a] + mu[b]), capacity, lower)
        total_try = float(w @ x_try)
        if _it == 0:
            best_total = total_try
            prices = y_try
        elif total_try < (1.0 - 0.6 * lp_cost) * best_total:
            mu = (mu_ok + mu) / 2
            continue
        mu_ok = mu
        util_lp = np.bincount(a, w * x_try, n) + np.bincount(b, w * x_try, n)
        shares = np.where(own > 0, util_lp * inv_own_lp, np.inf)
        worst = float(shares.min())
        if _it == 0 and floor > 0 and worst < crowded_below * floor:
            # a crowded room (see crowded_cost): the LPs may spend more of the total too
            crowded, lp_cost = True, max(fairness_cost, crowded_cost)
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
    stats["lp_sparse"] = round(float(w @ x), 1)
    stats["lp_worst_share"] = round(best_key[0], 4) if best_key else None
    stats["lp_fractional"] = int(np.sum((x > 1e-6) & (x < 1 - 1e-6)))
    stats["lp_seconds"] = round(time.perf_counter() - t0, 3)
    crowded = crowded or (best_key is not None and floor > 0 and best_key[0] < crowded_below * floor)
    stats["crowded"] = crowded
    cost = max(fairness_cost, crowded_cost) if crowded else fairness_cost

    def arrange(
        x: np.ndarray, mu: np.ndarray, sweeps: int, fair_first: bool = False, floor: float = 0.0
    ) -> tuple[Rounds, float, float]:
        """Steps 3 to 7 from the meeting graph ``x`` and the weights ``mu``: (rounds, worst share, total).

        ``fair_first``: of the colourings tried, keep one whose total reaches ``floor`` and whose
        worst-served fares best (then the total).
        """
        # 3. colour into rounds: forced pairs, then the LP's by certainty, then the rest by weight;
        # 4. fill the seats left free in each round.
        t0 = time.perf_counter()
        w_eff = w * (1.0 + mu[a] + mu[b])
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
        best_try: tuple[tuple[float, ...], np.ndarray, np.ndarray, int] | None = None
        # A repeat is forced only in small, tight rooms, where a dozen reshuffled
        # orders (cheap there) usually find a schedule without one; mid-sized rooms
        # try three orders (near-ties broken differently) and keep the best total.
        tries = 12 if n <= 64 else (8 if fair_first else 3) if n <= 1000 else 1
        # the round filler's exchange must not break up a requested pair
        must_meet = np.zeros((size, size), dtype=bool)
        for p_, q_ in requested:
            must_meet[p_, q_] = must_meet[q_, p_] = True
        for attempt in range(tries):
            if attempt and deadline is not None and time.perf_counter() > deadline:
                break
            if attempt and n <= 64:
                head = int(lower.sum())
                order = np.concatenate([order[:head], rng.permutation(order[head:])])
            elif attempt:
                shake = w_eff + rng.random(len(w)) * 2.0
                order = np.lexsort((-shake, -np.round(x, 6), -lower))
            mates, avail, unplaced, repeats = colour_and_fill(
                size, R, dummy, rest_order, a, b, x, order, Wx, base, 4 * n, rng, must_meet
            )
            seated = mates >= 0
            total = float(Wx[np.nonzero(seated)[1], np.where(seated, mates, 0)[seated]].sum())
            score: tuple[float, ...] = (repeats, -total)
            if fair_first:
                got = np.where(seated, Wx[np.arange(size)[None, :], np.where(seated, mates, 0)], 0.0).sum(
                    axis=0
                )
                score = (
                    repeats,
                    float(total / 2 < floor - 1e-9),  # total counts each meeting from both ends
                    -float(np.min(got[:n][own > 0] * inv_own[own > 0], initial=np.inf)),
                    -total,
                )
            if best_try is None or score < best_try[0]:
                best_try = (score, mates, avail, unplaced)
            if repeats == 0 and n <= 64:
                break
            if deadline is not None and time.perf_counter() > deadline:
                break  # the time limit holds here too: each try costs O(m R) (1,000 rounds: seconds)
        assert best_try is not None
        _, mates, avail, unplaced = best_try
        stats["lp_pairs_unplaced"] = unplaced
        stats["colour_seconds"] = round(time.perf_counter() - t0, 3)

        # 5. 2-opt per round on total relevance, then the fairness pass
        t0 = time.perf_counter()
        locked_pairs = set(requested)
        moves = 0
        # beyond 1,000 people a sweep costs seconds for a handful of moves: skipped
        for _sweep in range(sweeps):
            swept = 0
            for r in range(R):
                if deadline is not None and time.perf_counter() > deadline:
                    break
                pairs = round_pairs(mates[r])
                locked = np.array([(int(p), int(q)) in locked_pairs for p, q in pairs], dtype=bool)
                swept += two_opt(pairs, locked, Wl, avail)
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
                pairs = round_pairs(mates[r])
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
            budget = max(total - (1.0 - cost) * best_total, 0.0008 * total)
            steps, spent = fairness_pass(mates, locked_pairs, Wx, avail, util, own_x, budget, deadline)
            stats["fairness_moves"] = steps
            stats["fairness_spent"] = round(spent, 1)
        stats["fairness_seconds"] = round(time.perf_counter() - t0, 3)

        # 7. rounds as tables
        rounds: Rounds = []
        for r in range(R):
            pairs = round_pairs(mates[r])
            tables = [[int(p), int(q)] for p, q in pairs if p != dummy and q != dummy]
            if r in trios:
                p, q, x_ = trios[r]
                tables = [t if t != [p, q] else [p, q, x_] for t in tables]
            rounds.append(tables)
        worst, total = worst_and_total(instance, rounds)
        return rounds, worst, total

    # beyond 1,000 people a 2-opt sweep costs seconds for a handful of moves: skipped
    rounds, worst, total = arrange(x, mu, 2 if n <= 1000 else 0)

    # 8. a crowded room: the integral max-min graph (maxmin.py), from this schedule, coloured the same
    # way (no 2-opt on total, which would undo it); kept if it lifts the worst-served within the allowance
    left = maxmin_seconds if deadline is None else deadline - time.perf_counter()
    crowded = crowded or worst < crowded_below * stats.get("fair_sparse", 0.0)
    stats["crowded"] = crowded
    if crowded and maxmin_seconds > 0 and int(np.count_nonzero(w)) <= maxmin_pairs and left > 0.5:
        t0 = time.perf_counter()
        # the schedule's pairs join the graph (a few were filled in outside it): it is the first solution
        met = {(min(t[0], t[1]), max(t[0], t[1])) for rnd in rounds for t in rnd if len(t) == 2}
        extra = np.array(sorted({p * n + q for p, q in met} - set((a * n + b).tolist())), dtype=np.int64)
        a, b = np.concatenate([a, extra // n]), np.concatenate([b, extra % n])
        w = np.concatenate([w, instance.weights[extra // n, extra % n].astype(np.float64)])
        lower = np.concatenate([lower, np.zeros(len(extra))])
        keep = np.flatnonzero((w > 0) | (lower > 0))  # pairs of weight 0 change neither a share nor the total
        x0 = np.isin(a[keep] * n + b[keep], np.array([p * n + q for p, q in met], dtype=np.int64)).astype(
            float
        )
        floor_total = (1.0 - max(cost, maxmin_cost)) * best_total
        graph_total = floor_total
        for attempt in range(4):
            # colouring may leave a pair or two of the graph unplaced, and the total under the floor:
            # the next graph then keeps what was lost more (up to four graphs)
            left = maxmin_seconds - (time.perf_counter() - t0)
            if deadline is not None:
                left = min(left, deadline - time.perf_counter() - 0.3)
            if left < 0.2:
                break
            found = maxmin_bmatching(
                n,
                a[keep],
                b[keep],
                w[keep],
                capacity,
                lower[keep],
                inv_own_lp,
                graph_total,
                left,
                initial=x0,
                max_nodes=maxmin_nodes,
            )
            if found is None:
                break
            stats["maxmin_graphs"] = attempt + 1
            stats["maxmin_share"] = round(found.share, 4)
            stats["maxmin_bound"] = round(found.bound, 4)
            stats["maxmin_optimal"] = found.optimal
            # (in trio mode the graph's shares count a resting person's R - 1 rounds: compare after colouring)
            if dummy < 0 and found.share <= worst:
                break
            gx = np.zeros(len(w))
            gx[keep] = found.x
            # the people the max-min graph leaves nearest its worst share are coloured first
            got = np.bincount(a, w * gx, n) + np.bincount(b, w * gx, n)
            tight = np.where((own > 0) & (got * inv_own_lp <= 1.1 * found.share), 2.0, 0.0)
            before = dict(stats)  # arrange() writes its stages' figures: kept only with its schedule
            mm_rounds, mm_worst, mm_total = arrange(gx, tight, 0, fair_first=True, floor=floor_total)
            kept = mm_total >= min(total, floor_total) and (mm_worst, mm_total) > (worst, total)
            if not kept:
                stats.clear()
                stats.update(before)
            stats["maxmin_worst_share"] = round(mm_worst, 4)
            if kept:
                rounds, worst, total = mm_rounds, mm_worst, mm_total
                stats["maxmin_kept"] = True
            if mm_total >= min(total, floor_total):
                break
            graph_total += floor_total - mm_total + 1e-6
        stats["maxmin_seconds"] = round(time.perf_counter() - t0, 3)

    stats["seconds"] = round(time.perf_counter() - started, 3)
    return RotationResult(rounds, notes, stats, prices)
