"""Tables of k: seat everyone at tables of up to ``table_size`` for several rounds.

The rules, in order of priority:

1. hard: nobody at two tables in a round, tables of 2 to k people, never two
   colleagues (same company) nor a forbidden pair at one table, everyone seated
   whenever seating is possible, table sizes as equal as possible;
2. no two people meet twice, whenever that is possible (the *social golfer
   problem*); beyond the proven limit, as few repeated meetings as possible;
3. requested pairs share a table at least once;
4. relevance: the sum of the weights of the distinct pairs that shared a table.

How: a combinatorial design when one is known for the shape of the room (affine
geometries over finite fields, nets from Latin squares, a resolvable packing of
32 people at tables of 4 over 10 rounds developed from ten base blocks), greedy
rounds for the rest, then a tabu search mixing two moves — swap two people
between tables in one round, and exchange two people in *every* round (which
keeps the design's repeat-free structure and only changes who sits where).
See docs/algorithms/tables.md.
"""

from __future__ import annotations

import contextlib
import random
import time
from dataclasses import dataclass, field

import numpy as np

from meute.engine.errors import EngineInputError
from meute.engine.notes import Note
from meute.engine.rotations.checker import conflict_matrix
from meute.engine.rotations.designs import constructions, officers_36, repeat_free_limit, table_sizes
from meute.engine.rotations.instance import Rounds, TablesInput, company_codes
from meute.engine.rotations.tabu import TableSearch

__all__ = ["TablesResult", "solve_tables"]

try:  # installed with scikit-learn; optional here
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


#: Multiply-adds of the default (deterministic) search budget: about a second of one
#: core at n = 120 (2,000 iterations; more time buys little: +1 % relevance for 2x).
_WORK = 1.6e9


@dataclass(frozen=True)
class TablesResult:
    """Seating plan of a tables event.

    Attributes
    ----------
    rounds : list of list of list of int
        ``rounds[r][t]``: participant indices at table t of round r (sorted).
    repeats : int
        Repeated meetings, counted as the referee's ``repeat_meetings``: the sum,
        over pairs that shared a table, of (times - 1).
    repeat_free_limit : int or None
        The proven largest number of rounds without any repeat for this room
        (people and table size), when it is known; ``None`` when only an upper
        bound is known (see :func:`~meute.engine.rotations.designs.repeat_free_limit`).
    notes : list of str
        Explanations for the organiser (limits hit, constraints that cost seats…).
    relevance : int
        Sum of the weights of the distinct pairs that shared a table.
    """

    rounds: Rounds
    repeats: int
    repeat_free_limit: int | None
    notes: list[str] = field(default_factory=list)
    relevance: int = 0


# ---------------------------------------------------------------------------
# Layout: how many tables, how many seats


def _layout(n: int, k: int, codes: np.ndarray) -> tuple[int, int]:
    """``(tables, seated)`` for one round.

    With m tables at most min(c, m) people of a company of c can sit (one per
    table) and at most k*m in all; we take the m that seats
    the most people, then the fewest tables (m from 1: when companies leave
    room for only one table, it is still set). Dealing people round-robin by
    company reaches that count with sizes differing by one, so it is exact for
    the company rule (forbidden pairs are left to the search and the repair).
    """
    if n < 2:
        return 0, 0
    sizes = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, dtype=np.int64)
    loners = int((codes < 0).sum())
    best = (0, 0)
    for m in range(1, n // 2 + 1):  # fewer than ceil(n/k) tables only win when a company forces it
        seated = min(loners + int(np.minimum(sizes, m).sum()), k * m)
        if seated >= 2 * m and seated > best[1]:
            best = (m, seated)
        if seated == n:
            break
    return best


# ---------------------------------------------------------------------------
# Repair


def _repair(seat_rows: list[list[list[int]]], bad: np.ndarray, k: int, n: int) -> Rounds:
    """Make every round valid: unseat conflicts, then seat the resting wherever a seat is free.

    Ends in the state :func:`~meute.engine.rotations.checker.is_valid_tables`
    asks for: no conflict, tables of 2 to k, no resting person who could take a
    free seat, no two resting people who could share a new table. Per round:
    O(n k^2) to unseat conflicts, then O(rested x n) per pass that seats the resting.
    """
    out: Rounds = []
    for tables in seat_rows:
        tables = [list(t) for t in tables]
        resting = set(range(n)) - {p for t in tables for p in t}
        for t in tables:
            while True:
                clash = [sum(bad[p, x] for x in t) for p in t]
                if not t or max(clash) == 0:
                    break
                worst = t[int(np.argmax(clash))]
                t.remove(worst)
                resting.add(worst)
        for t in tables:
            if len(t) == 1:
                resting.add(t.pop())
        tables = [t for t in tables if t]
        changed = True
        while changed and resting:
            changed = False
            for p in sorted(resting):
                open_tables = [t for t in tables if len(t) < k and not bad[p, t].any()]
                if open_tables:
                    min(open_tables, key=len).append(p)
                    resting.discard(p)
                    changed = True
            for p in sorted(resting):
                if p not in resting:
                    continue
                mates = [q for q in sorted(resting) if q != p and not bad[p, q]]
                if mates:
                    new = [p, mates[0]]
                    resting -= set(new)
                    tables.append(new)
                    changed = True
        out.append(sorted(sorted(t) for t in tables))
    return out


# ---------------------------------------------------------------------------
# Entry point


def _check_input(instance: TablesInput) -> tuple[np.ndarray, int, int]:
    W = np.asarray(instance.weights)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise EngineInputError(f"weights: expected a square matrix, got shape {W.shape}")
    n = W.shape[0]
    if len(instance.companies) != n:
        raise EngineInputError(f"companies: {len(instance.companies)} entries for {n} participants")
    if instance.table_size < 3:
        raise EngineInputError(
            f"table_size: {instance.table_size}; tables seat at least 3 (one-to-one rounds are rotations)"
        )
    if instance.rounds < 1:
        raise EngineInputError(f"rounds: expected at least 1, got {instance.rounds}")
    for name_, pairs in (("forbidden", instance.forbidden), ("requested", instance.requested)):
        for a, b in pairs:
            if not (0 <= a < n and 0 <= b < n) or a == b:
                raise EngineInputError(f"{name_}: bad index pair ({a}, {b})")
    return W, n, instance.table_size


def solve_tables(
    instance: TablesInput,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    max_iterations: int | None = None,
) -> TablesResult:
    """Seat everyone at tables for every round: no repeat when possible, then relevance.

    Parameters
    ----------
    instance : TablesInput
        Weights, rounds, table_size (k >= 3), companies, forbidden and requested pairs.
    seed : int
        Seed of every random choice: same seed, same input, same plan (when
        ``time_limit`` is None).
    time_limit : float or None
        Seconds for the search; None runs a fixed, deterministic budget.
    max_iterations : int or None
        Overrides the number of search iterations (deterministic; for tests and
        benchmarks of the budget).

    Returns
    -------
    TablesResult
        A plan that :func:`~meute.engine.rotations.checker.is_valid_tables` accepts.

    Raises
    ------
    EngineInputError
        Malformed input (non-square weights, table_size < 3, bad pair index).

    Notes
    -----
    Layout: t = ceil(n/k) tables (more if a company has more members than
    tables), sizes differing by one. Start: a known design when the room has
    one (then rounds are exactly repeat-free), greedy rounds otherwise. Search:
    tabu over two moves, each scored for all candidate pairs at once with
    numpy — swapping two people in one round, O(n^2 t) per round scored, and
    exchanging two people across all rounds, O(n^3). First repeats and
    conflicts only, then relevance; a final repair guarantees a valid plan.
    The default budget is at most 2,500 iterations (about 2,000 at n = 120,
    stopping early on a stall), O(n^2 t + n^3) each: about 1 s of one core
    for 120 people at tables of 6 over 4 rounds.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> inst = SimpleNamespace(weights=np.zeros((9, 9), dtype=int), rounds=4, table_size=3,
    ...                        companies=[None] * 9, forbidden=set(), requested=set())
    >>> res = solve_tables(inst)
    >>> res.repeats, res.repeat_free_limit, len(res.rounds)
    (0, 4, 4)
    """
    W, n, k = _check_input(instance)
    R = instance.rounds
    rng = random.Random(seed)
    notes: list[str] = []
    bad = conflict_matrix(instance)
    codes = company_codes(instance.companies)
    req = np.zeros((n, n), dtype=np.float64)
    for a, b in instance.requested:
        if not bad[a, b]:
            req[a, b] = req[b, a] = 1.0
    impossible_req = [(a, b) for a, b in instance.requested if bad[a, b]]
    if impossible_req:
        notes.append(
            Note(
                "tables_requested_impossible",
                "{count} requested pair(s) are colleagues or forbidden: they cannot meet",
                count=len(impossible_req),
            )
        )

    m, seated = _layout(n, k, codes)
    limit = repeat_free_limit(n, k)
    if n < 2 or m == 0:
        notes.append(Note("no_table", "no two people may share a table: no table can be set"))
        return TablesResult([[] for _ in range(R)], 0, 0 if n < 2 else None, notes, 0)
    if seated < n:
        notes.append(
            Note(
                "company_rests",
                "{count} people must rest each round: a company has more members than can be spread one per table",
                count=n - seated,
            )
        )
    if m > -(-n // k):
        notes.append(
            Note(
                "extra_tables",
                "{tables} tables instead of {usual}: a company has {members} members, one per table",
                tables=m,
                usual=-(-n // k),
                members=int(np.bincount(codes[codes >= 0]).max()),
            )
        )
    sizes = table_sizes(seated, m)
    equal_room = seated == n and m == -(-n // k)
    exact = limit.exact if equal_room else None

    search = TableSearch(W, bad, req, R, k, m, sizes, n - seated, rng)
    # A design for the whole room gives repeat-free rounds; the most rounds wins.
    design: Rounds = []
    if equal_room and len(set(sizes)) == 1:
        for rounds_, _name in constructions(n, k):
            if len(rounds_) > len(design):
                design = rounds_
        if (n, k) == (36, 6) and len(design) < R:
            # beyond the 3 repeat-free rounds, the best known 4th costs 2 repeats
            design = officers_36()
    if design:
        chosen = list(range(len(design)))
        rng.shuffle(chosen)
        label = list(range(n))
        rng.shuffle(label)
        for r, c in enumerate(chosen[:R]):
            search.set_round(r, design[c], label)
    for r in range(min(len(design), R), R):
        search.greedy_round(r)
    search.recount()

    deadline = None if time_limit is None else time.perf_counter() + time_limit
    # Without a time limit, a fixed amount of work (so the plan depends on the
    # seed only): _WORK multiply-adds, fewer iterations for big rooms where each
    # one costs O(n^3).
    # Exchanges matter most on a design (they are its only repeat-free move);
    # elsewhere swaps give more relevance per second (measured at n = 120).
    search.label_every = 1 if design else 4
    per_iteration = n * n * m + n**3 / search.label_every
    iters = int(min(2500, max(200, _WORK / per_iteration))) if time_limit is None else 10**9
    if max_iterations is not None:
        iters = max_iterations
    # The search multiplies many small matrices: a multi-threaded BLAS spins
    # its threads on every product and, on a busy machine, runs ten times
    # slower than one thread (measured: 21 s against 1.5 s at n = 120).
    single = threadpool_limits(limits=1, user_api="blas") if threadpool_limits else contextlib.nullcontext()
    with single:
        # Phase 1, weights off: only repeats and conflicts count, so the search
        # walks freely across plans of equal violation (as social-golfer tabu
        # searches do) until the plan is clean. Phase 2, weights on: relevance,
        # with repeats and conflicts priced above anything a move can gain.
        weights = search.Wp
        search.Wp = np.zeros_like(weights)
        used = search.run(
            max_iters=3 * iters // 4, stall=max(1000, 4 * n), deadline=deadline, until_clean=True
        )
        search.Wp = weights
        search.run(max_iters=iters - used, stall=max(500, 4 * n), deadline=deadline)

    plan = _repair([search.tables_of(r) for r in range(R)], bad, k, n)
    C = np.zeros((n, n), dtype=np.int64)
    for tables in plan:
        for t in tables:
            C[np.ix_(t, t)] += 1
    np.fill_diagonal(C, 0)
    upper = np.triu(C, 1)
    repeats = int(np.maximum(upper - 1, 0).sum())
    relevance = int(np.asarray(W, dtype=np.int64)[upper >= 1].sum())

    # With colleagues kept apart, someone with c colleagues or forbidden partners
    # can meet at most n - 1 - c people, which can lower the room's limit.
    cap, why = limit.upper, limit.why
    if exact is not None:
        cap = exact
    if not equal_room:
        # Extra tables or rests for a company: the room's limit does not apply
        # (a resting person meets nobody that round); no proven figure.
        cap, why = (
            R,
            Note(
                "limit_companies", "{tables} tables for the companies (no proven repeat-free limit)", tables=m
            ),
        )
    blocked = int(bad.sum(axis=1).max())
    smin = sizes[-1]
    if blocked and smin >= 2:
        own = (n - 1 - blocked) // (smin - 1)
        if own < cap:
            cap = own
            exact = None
            why = Note(
                "limit_blocked",
                "someone has {blocked} colleague(s) or forbidden partner(s) and can meet only "
                "{meetable} people: at most {rounds} rounds without a repeat",
                blocked=blocked,
                meetable=n - 1 - blocked,
                rounds=own,
            )
    if cap < R:
        notes.append(
            Note(
                "limit_beyond",
                "{why}; asked for {rounds} rounds: repeats minimised beyond ({repeats} repeated meetings)",
                why=why,
                rounds=R,
                repeats=repeats,
            )
        )
    elif repeats:
        notes.append(
            Note(
                "limit_left",
                "{why}; the search left {repeats} repeated meetings in {rounds} rounds",
                why=why,
                rounds=R,
                repeats=repeats,
            )
        )
    if req.any():
        missed = [(a, b) for a, b in instance.requested if req[a, b] and C[a, b] == 0]
        if missed:
            notes.append(
                Note("requested_missed", "{count} requested pair(s) did not share a table", count=len(missed))
            )
    return TablesResult(plan, repeats, exact, notes, relevance)
