"""Re-planning a rotation schedule during the event.

Some people leave (or never came), some arrive late; the rounds already played
stay exactly as they were, and the remaining rounds are rebuilt changing as few
planned meetings as possible:

1. every planned table of a remaining round keeps those of its members who are
   still present (a pair stays a pair, a table of three that lost one becomes
   a pair);
2. in each remaining round, the people left without a partner (partners of the
   absentees, the late arrivals) are paired greedily by relevance among
   themselves, over pairs that never met before; whoever cannot be paired that
   way swaps into a seated pair (the one exchange that loses least), and an odd
   one out joins a pair as the round's table of three.

Only the freed people move, so a round costs O(f^2 + n) for f freed people:
well under a second for 400 people. Tables of 3 or more are rebuilt the same
way: each planned table keeps who is still there and would repeat nothing, and each person left alone
takes the free seat where they repeat the fewest meetings and gain the most
relevance (:func:`replan_tables`, which swaps someone over rather than
repeat a meeting). See docs/algorithms/replan.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from meute.engine.errors import EngineInputError
from meute.engine.notes import Note
from meute.engine.rotations.colouring import fill_round
from meute.engine.rotations.instance import PairingInstance, Rounds

__all__ = ["ReplanResult", "replan", "replan_tables"]


@dataclass
class ReplanResult:
    """A re-planned schedule and what changed.

    Attributes
    ----------
    rounds : list of rounds
        The whole schedule: frozen rounds verbatim, then the rebuilt ones.
    planned : int
        Planned meetings (pairs) in the rebuilt rounds.
    untouched : int
        Of those, the meetings between two people still present.
    kept : int
        Of the untouched, how many are still in the new schedule.
    changed : int
        Planned meetings no longer in the schedule (including the absentees').
    added : int
        Meetings in the rebuilt rounds that were not planned.
    notes : list of str
    """

    rounds: Rounds
    planned: int = 0
    untouched: int = 0
    kept: int = 0
    changed: int = 0
    added: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def kept_share(self) -> float:
        """Kept planned meetings over the planned meetings the change does not touch."""
        return self.kept / self.untouched if self.untouched else 1.0


def _pairs_of(tables: list[list[int]]) -> set[tuple[int, int]]:
    return {(min(p, q), max(p, q)) for t in tables for p, q in combinations(t, 2)}


def replan(
    instance: PairingInstance,
    rounds: Rounds,
    *,
    from_round: int,
    absent: Collection[int] = (),
    arrived: Collection[int] = (),
    seed: int = 0,
    locked: Collection[tuple[int, int]] = (),
) -> ReplanResult:
    """Rebuild rounds ``from_round`` (1-based) to ``instance.rounds`` of a schedule.

    Parameters
    ----------
    instance : PairingInstance
        May list people the schedule does not know yet (late registrations).
    rounds : list of rounds
        The schedule as planned (index-based, for this instance).
    from_round : int
        First round to rebuild, 1-based; rounds before it are kept verbatim.
    absent : collection of int
        People who left: they sit at no table from ``from_round`` on.
    arrived : collection of int
        People who join from ``from_round`` on (whether the schedule knew them or not).
    seed : int, default 0
        Breaks ties.
    locked : collection of (round, person), 1-based rounds
        Seats that stay where they are (tables of 3 or more, handed to
        :func:`replan_tables`). One-to-one plans take no locks: every planned
        meeting whose two people are present and which repeats nothing is kept.

    Returns
    -------
    ReplanResult

    Raises
    ------
    EngineInputError
        ``from_round`` out of range, or someone both absent and arrived.

    Notes
    -----
    O(R (n + f^2)) for f people freed per round, plus O(n^2) to set up the
    matrix of pairs still allowed to meet.

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 2,
    ...     "participants": [{"id": p} for p in "abcd"],
    ...     "weights": [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]]})
    >>> res = replan(inst, [[[0, 1], [2, 3]], [[0, 2], [1, 3]]], from_round=2, absent=[3])
    >>> res.rounds[1], res.changed
    ([[0, 2]], 1)
    >>> res.notes
    ['b rests in a rebuilt round: no unmet partner left']
    """
    R, n = instance.rounds, instance.n
    if instance.table_size > 2:
        return replan_tables(
            instance, rounds, from_round=from_round, absent=absent, arrived=arrived, locked=locked
        )
    absent_set, arrived_set = _check_replan_input(instance, rounds, from_round, absent, arrived)
    frozen = [list(map(list, tables)) for tables in rounds[: from_round - 1]]
    scheduled = {i for tables in rounds for t in tables for i in t}
    present = np.zeros(n, dtype=bool)
    present[list((scheduled | arrived_set) - absent_set)] = True
    notes: list[str] = []
    rng = np.random.default_rng(seed)

    # Pairs still allowed to meet: the hard rules, minus the pairs already met.
    size = n + 1  # one dummy participant stands for a rest (odd counts)
    dummy = n
    Wx = np.zeros((size, size))
    Wx[:n, :n] = instance.weights
    base = np.zeros((size, size), dtype=bool)
    base[:n, :n] = instance.allowed
    base[dummy, :n] = base[:n, dummy] = True
    avail = base.copy()
    for tables in frozen:
        for p, q in _pairs_of(tables):
            avail[p, q] = avail[q, p] = False

    # 1. keep what is still possible of each planned table
    planned_rounds = [rounds[r] if r < len(rounds) else [] for r in range(from_round - 1, R)]
    kept_tables: list[list[list[int]]] = []
    for tables in planned_rounds:
        kept: list[list[int]] = []
        for t in tables:
            members = [i for i in t if present[i]]
            if len(members) >= 2 and all(avail[p, q] for p, q in combinations(members, 2)):
                kept.append(members)
                for p, q in combinations(members, 2):
                    avail[p, q] = avail[q, p] = False
        kept_tables.append(kept)

    # 2. pair the freed people of each round
    new_rounds: Rounds = []
    for kept in kept_tables:
        seated = {i for t in kept for i in t}
        free = [i for i in np.flatnonzero(present).tolist() if i not in seated]
        trios = [t for t in kept if len(t) == 3]
        if len(free) % 2 == 1 and trios:
            # the round already has its table of three: reopen it rather than leave one alone
            t = trios[0]
            out = min(t, key=lambda i: Wx[i, t].sum())
            t.remove(out)
            for q in t:
                avail[out, q] = avail[q, out] = True
            free.append(out)
        mate = np.full(size, -1, dtype=np.int64)
        for t in kept:
            if len(t) == 2:
                mate[t[0]], mate[t[1]] = t[1], t[0]
        trio = next((t for t in kept if len(t) == 3), None)
        if trio is not None:
            # a kept table of three is not a pair: keep its people out of the exchanges
            for i in trio:
                mate[i] = size  # sentinel: seated, not available for exchange
        if len(free) % 2 == 1:
            free.append(dummy)
        absent_mask = np.ones(size, dtype=bool)
        absent_mask[free] = False
        absent_mask[[i for t in kept for i in t]] = False
        # people not present take no part: mark them seated with the sentinel
        mate[absent_mask] = size
        if trio is not None:
            mate[trio] = size
        _fill_free(mate, Wx, avail, base, dummy, rng, size)
        pairs = [
            [int(i), int(mate[i])]
            for i in range(n)
            if 0 <= mate[i] < size and i < mate[i] and mate[i] != dummy
        ]
        tables = pairs + ([list(trio)] if trio is not None else [])
        lonely = [int(i) for i in range(n) if present[i] and (mate[i] == dummy or mate[i] < 0)]
        for x in lonely:
            best, best_t = -1.0, -1
            for k, t in enumerate(tables):
                if len(t) == 2 and avail[x, t[0]] and avail[x, t[1]]:
                    score = Wx[x, t[0]] + Wx[x, t[1]]
                    if score > best:
                        best, best_t = score, k
            if best_t >= 0 and trio is None:
                t = tables[best_t]
                avail[x, t[0]] = avail[t[0], x] = avail[x, t[1]] = avail[t[1], x] = False
                t.append(x)
                trio = t
            else:
                notes.append(
                    Note(
                        "rests_rebuilt",
                        "{who} rests in a rebuilt round: no unmet partner left",
                        who=instance.ids[x],
                    )
                )
        new_rounds.append(tables)

    # 3. what changed
    return _report(frozen, planned_rounds, new_rounds, set(np.flatnonzero(present).tolist()), notes)


def _report(
    frozen: Rounds, planned_rounds: Rounds, new_rounds: Rounds, present: set[int], notes: list[str]
) -> ReplanResult:
    """The re-planned schedule, with what changed against the planned rounds."""
    result = ReplanResult(rounds=frozen + new_rounds, notes=notes)
    for tables, new in zip(planned_rounds, new_rounds, strict=True):
        before, after = _pairs_of(tables), _pairs_of(new)
        result.planned += len(before)
        untouched = {p for p in before if p[0] in present and p[1] in present}
        result.untouched += len(untouched)
        result.kept += len(untouched & after)
        result.changed += len(before - after)
        result.added += len(after - before)
    return result


def replan_tables(
    instance: PairingInstance,
    rounds: Rounds,
    *,
    from_round: int,
    absent: Collection[int] = (),
    arrived: Collection[int] = (),
    locked: Collection[tuple[int, int]] = (),
) -> ReplanResult:
    """Rebuild rounds ``from_round`` (1-based) to the end of a plan of tables (k >= 3), changing little.

    1. Each planned table of a remaining round keeps its people who are still
       there (absentees leave an empty seat), unless they would repeat a
       meeting made in an earlier round (a hand swap in a round held fixed
       can make one): one of the two then leaves the table to be seated
       again, never a locked seat.
    2. Each person left alone (the last of an emptied table, a late arrival,
       one who would have repeated a meeting) takes the free seat where they
       repeat the fewest meetings and gain the most relevance, never beside a
       colleague or a forbidden partner.
    3. When every free seat would make them repeat a meeting, they swap with
       someone seated elsewhere (never a locked seat): x takes y's seat and y
       the free one, if neither repeats; of the swaps that work, the one that
       loses least relevance. Two or more left over open a table.

    Parameters
    ----------
    instance : PairingInstance
        With ``table_size >= 3``; may list people the plan does not know yet.
    rounds : list of rounds
        The plan (index-based, for this instance).
    from_round : int
        First round to rebuild, 1-based; the rounds before it stay verbatim.
    absent, arrived : collections of int
        Who left, who joins, from ``from_round`` on.
    locked : collection of (round, person)
        Seats fixed by the organiser (round 1-based): the person stays at their
        planned table and is never swapped away.

    Returns
    -------
    ReplanResult
        ``kept_share`` is the share of untouched planned meetings kept.

    Raises
    ------
    EngineInputError
        ``from_round`` out of range, someone both absent and arrived, or
        tables of 2 (use :func:`replan`).

    Notes
    -----
    O(R f t k) for f people to seat in t tables of k per round, plus, for
    each of them who would repeat a meeting, O(n k) for the swaps.

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 2, "table_size": 3,
    ...     "participants": [{"id": p} for p in "abcdef"],
    ...     "weights": [[int(i != j) for j in range(6)] for i in range(6)]})
    >>> plan = [[[0, 1, 2], [3, 4, 5]], [[0, 3, 4], [1, 2, 5]]]
    >>> res = replan_tables(inst, plan, from_round=2, absent=[4])
    >>> res.rounds[1], res.kept_share
    ([[0, 2, 3], [1, 5]], 0.5)

    (c met b in round 1: rather than meet b again, c takes the seat e left.)
    """
    k, R = instance.table_size, instance.rounds
    if k < 3:
        raise EngineInputError("replan_tables rebuilds tables of 3 or more; pairs go to replan")
    absent_set, arrived_set = _check_replan_input(instance, rounds, from_round, absent, arrived)
    allowed, W = instance.allowed, instance.weights
    frozen = [list(map(list, tables)) for tables in rounds[: from_round - 1]]
    met = set().union(*(_pairs_of(tables) for tables in frozen))
    scheduled = {i for tables in rounds for t in tables for i in t}
    present = (scheduled | arrived_set) - absent_set
    fixed = {(r, i) for r, i in locked}
    notes: list[str] = []
    planned_rounds = [rounds[r] if r < len(rounds) else [] for r in range(from_round - 1, R)]
    new_rounds: Rounds = []

    def repeats(x: int, t: list[int]) -> int:
        return sum((min(x, y), max(x, y)) in met for y in t)

    def fits(x: int, t: list[int]) -> bool:
        return all(allowed[x, y] for y in t)

    for r, planned in enumerate(planned_rounds, start=from_round):
        tables: list[list[int]] = []
        freed: list[int] = []
        for t in planned:
            kept_here: list[int] = []
            # locked seats first: they stay whatever they repeat; the others stay unless they would repeat
            for x in sorted((i for i in t if i in present), key=lambda i: (r, i) not in fixed):
                if (r, x) in fixed or not repeats(x, kept_here):
                    kept_here.append(x)
                else:
                    freed.append(x)
            tables.append(kept_here)
        alone = [t[0] for t in tables if len(t) == 1] + freed
        tables = [t for t in tables if len(t) >= 2]
        seated = {i for t in tables for i in t}
        alone += sorted(present - seated - set(alone))
        waiting: list[int] = []
        for x in alone:
            best, best_key = None, None
            for t in tables:
                if len(t) < k and fits(x, t):
                    key = (repeats(x, t), -int(W[x, t].sum()), len(t))
                    if best_key is None or key < best_key:
                        best, best_key = t, key
            # every free seat repeats a meeting: swap someone over rather than repeat
            repeat = best is not None and best_key is not None and best_key[0] > 0
            if repeat and best is not None and _swap_in(x, best, tables, r, fixed, repeats, fits, W):
                continue
            if best is not None:
                best.append(x)
            else:
                waiting.append(x)
        # Those no table can take open new tables among themselves.
        resting: list[int] = []
        while waiting:
            table = [waiting.pop(0)]
            for y in list(waiting):
                if len(table) < k and fits(y, table):
                    table.append(y)
                    waiting.remove(y)
            if len(table) >= 2:
                tables.append(table)
            else:
                resting.extend(table)
        for x in resting:
            notes.append(
                Note(
                    "rests_round",
                    "{who} rests in round {round}: no table can seat them",
                    who=instance.ids[x],
                    round=r,
                )
            )
        tables = [sorted(t) for t in tables]
        met |= _pairs_of(tables)
        new_rounds.append(tables)
    return _report(frozen, planned_rounds, new_rounds, present, notes)


def _swap_in(
    x: int,
    free_table: list[int],
    tables: list[list[int]],
    r: int,
    fixed: set[tuple[int, int]],
    repeats: Callable[[int, list[int]], int],
    fits: Callable[[int, list[int]], bool],
    W: np.ndarray,
) -> bool:
    """Seat x by a swap that repeats nothing: x takes y's seat, y the free seat of ``free_table``.

    Of the swaps that work, the one that keeps the most relevance; False if none.
    """
    best: tuple[float, list[int], int] | None = None
    for t in tables:
        if t is free_table:
            continue
        for y in t:
            if (r, y) in fixed:
                continue
            rest = [z for z in t if z != y]
            if not (fits(x, rest) and fits(y, free_table)) or repeats(x, rest) or repeats(y, free_table):
                continue
            gain = float(W[x, rest].sum() + W[y, free_table].sum() - W[y, rest].sum())
            if best is None or gain > best[0]:
                best = (gain, t, y)
    if best is None:
        return False
    _, t, y = best
    t[t.index(y)] = x
    free_table.append(y)
    return True


def _check_replan_input(
    instance: PairingInstance,
    rounds: Rounds,
    from_round: int,
    absent: Collection[int],
    arrived: Collection[int],
) -> tuple[set[int], set[int]]:
    R = instance.rounds
    if not 1 <= from_round <= R:
        raise EngineInputError(f"--from-round: expected 1 to {R}, got {from_round}")
    absent_set, arrived_set = set(absent), set(arrived)
    both = absent_set & arrived_set
    if both:
        raise EngineInputError(f"--absent and --arrived both name {instance.ids[min(both)]!r}")
    if len(rounds) > R:
        raise EngineInputError(f"schedule: {len(rounds)} rounds, the instance allows {R}")
    return absent_set, arrived_set


def _fill_free(
    mate: np.ndarray,
    Wx: np.ndarray,
    avail: np.ndarray,
    base: np.ndarray,
    dummy: int,
    rng: np.random.Generator,
    sentinel: int,
) -> None:
    """Pair the free people (mate == -1) with the engine's round filler.

    The filler works on a mate array where every entry is a partner or -1; the
    sentinel entries (absent people, a kept table of three) are hidden from it
    by pointing them at themselves, which it reads as seated and never touches.
    """
    hidden = np.flatnonzero(mate == sentinel)
    work = mate.copy()
    work[hidden] = hidden  # self-paired: seated, and never proposed for an exchange
    fill_round(work, Wx, avail, base, dummy, rng)
    work[hidden] = sentinel
    mate[:] = work
