"""Checkers and figures of rotation schedules, one-to-one or at tables.

:func:`is_valid_schedule` checks the referee's rules of a schedule,
:func:`is_valid_tables` those of a tables plan (everyone seated whenever
possible), :func:`rule_breaks` the hard rules alone (what a schedule changed
during the event must keep); :func:`schedule_figures` computes the referee's
quality figures, :func:`person_shares` and :func:`worst_served` each person's.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import combinations
from typing import Any

import numpy as np

from meute.engine.rotations.bounds import Bound
from meute.engine.rotations.instance import PairingInstance, Rounds, TablesInput, company_codes

__all__ = [
    "conflict_matrix",
    "is_valid_replan",
    "is_valid_schedule",
    "is_valid_tables",
    "person_shares",
    "person_utilities",
    "rule_breaks",
    "schedule_figures",
    "worst_and_total",
    "worst_served",
]


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
    >>> from meute.engine.rotations import parse_instance
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


def conflict_matrix(instance: TablesInput) -> np.ndarray:
    """``(n, n)`` bool: may not share a table (colleagues or a forbidden pair).

    The complement of :attr:`PairingInstance.allowed <meute.engine.rotations.instance.PairingInstance.allowed>`
    off the diagonal, for any :class:`~meute.engine.rotations.instance.TablesInput`.

    Notes
    -----
    O(n^2).
    """
    codes = company_codes(instance.companies)
    bad = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
    for a, b in instance.forbidden:
        bad[a, b] = bad[b, a] = True
    np.fill_diagonal(bad, False)
    return bad


def is_valid_tables(instance: TablesInput, rounds: Rounds) -> list[str]:
    """Check a tables plan against the hard rules; return the violations (empty if valid).

    Rules: at most ``instance.rounds`` rounds; known participants; nobody twice in
    a round; tables of 2 to ``table_size``; no colleagues nor forbidden pair at a
    table; nobody rests while seating them was possible — a free seat at a table
    with no colleague or forbidden partner of theirs, or another resting person
    they could sit with.

    Notes
    -----
    O(R * (n * k + rested * n)) time.
    """
    n = int(np.asarray(instance.weights).shape[0])
    k = instance.table_size
    ids = getattr(instance, "ids", None)

    def name(i: int) -> str:
        return str(ids[i]) if ids is not None else f"#{i}"

    bad = conflict_matrix(instance)
    errors: list[str] = []
    if len(rounds) > instance.rounds:
        errors.append(f"{len(rounds)} rounds, the event has {instance.rounds}")
    for r, tables in enumerate(rounds, start=1):
        seen: set[int] = set()
        valid_tables: list[list[int]] = []
        for t in tables:
            ok = True
            for p in t:
                if not isinstance(p, int | np.integer) or not 0 <= p < n:
                    errors.append(f"round {r}: unknown participant {p!r}")
                    ok = False
                    continue
                if p in seen:
                    errors.append(f"round {r}: {name(p)} sits at two tables")
                seen.add(int(p))
            if not 2 <= len(t) <= k:
                errors.append(f"round {r}: a table of {len(t)}, tables seat 2 to {k}")
            if not ok:
                continue
            for a, b in combinations(t, 2):
                if bad[a, b]:
                    codes = instance.companies
                    why = (
                        f"colleagues ({codes[a]})"
                        if codes[a] is not None and codes[a] == codes[b]
                        else "a forbidden pair"
                    )
                    errors.append(f"round {r}: {name(a)} and {name(b)} at one table, {why}")
            valid_tables.append([int(p) for p in t])
        resting = [p for p in range(n) if p not in seen]
        for p in resting:
            spot = next((t for t in valid_tables if len(t) < k and not bad[p, t].any()), None)
            if spot is not None:
                errors.append(f"round {r}: {name(p)} rests though a table of {len(spot)} could seat them")
        for a, b in combinations(resting, 2):
            if not bad[a, b]:
                errors.append(
                    f"round {r}: {name(a)} rests though they could share a table with {name(b)}, also resting"
                )
                break
    return errors


def rule_breaks(instance: PairingInstance, rounds: Rounds) -> list[str]:
    """The hard rules a re-planned schedule must keep (rests are allowed: people leave and arrive).

    Notes
    -----
    O(R * n + sum over tables of size^2) one-to-one (:func:`is_valid_schedule`
    without the rest rule), O(R * (n * k + rested * n)) at tables (:func:`is_valid_tables`).
    """
    if instance.table_size == 2:
        return is_valid_schedule(instance, rounds, check_rests=False)
    return [e for e in is_valid_tables(instance, rounds) if " rests " not in e]


def is_valid_replan(
    instance: PairingInstance,
    planned: Rounds,
    rounds: Rounds,
    *,
    from_round: int,
    absent: Collection[int] = (),
    arrived: Collection[int] = (),
) -> list[str]:
    """What a re-planned schedule breaks, as messages (empty when it keeps every rule).

    The hard rules of :func:`rule_breaks`; the rounds before ``from_round``
    exactly as planned; no absentee seated from ``from_round`` on; no one seated
    who is neither in the plan nor arrived.

    Notes
    -----
    O(size of the schedules) beside :func:`rule_breaks`.
    """
    errors = rule_breaks(instance, rounds)
    for r in range(from_round - 1):
        before = sorted(sorted(t) for t in planned[r]) if r < len(planned) else []
        after = sorted(sorted(t) for t in rounds[r]) if r < len(rounds) else []
        if after != before:
            errors.append(f"round {r + 1}: played already, but it changed")
    gone, known = set(absent), {i for tables in planned for t in tables for i in t} | set(arrived)
    n = instance.n
    for r, tables in enumerate(rounds[from_round - 1 :], start=from_round):
        for t in tables:
            for i in t:
                if not (isinstance(i, int | np.integer) and 0 <= i < n):
                    continue  # an unknown index: rule_breaks reported it
                if i in gone:
                    errors.append(f"round {r}: absent {instance.ids[i]} is seated")
                elif i not in known:
                    errors.append(f"round {r}: {instance.ids[i]} is seated, neither planned nor arrived")
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
    met = _met_pairs(rounds)
    utility, total = _utility(instance, met)
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


def worst_and_total(instance: PairingInstance, rounds: Rounds) -> tuple[float, float]:
    """(worst share, total relevance of distinct meetings) of a schedule, unrounded: what the solver compares.

    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": p} for p in "abcd"],
    ...     "weights": [[0, 3, 4, 0], [3, 0, 0, 0], [4, 0, 0, 2], [0, 0, 2, 0]]})
    >>> worst_and_total(inst, [[[0, 1], [2, 3]]])  # c meets d (2) where c's best is a (4)
    (0.5, 5.0)
    """
    utility, total = _utility(instance, _met_pairs(rounds))
    own = instance.own_bound
    shares = utility[own > 0] / own[own > 0]
    return (float(shares.min()) if len(shares) else 1.0), float(total)


def _utility(instance: PairingInstance, met: dict[tuple[int, int], int]) -> tuple[np.ndarray, int]:
    """Each person's relevance of distinct meetings, and the total."""
    W = instance.weights
    utility = np.zeros(instance.n)
    total = 0
    for a, b in met:
        w = int(W[a, b])
        total += w
        utility[a] += w
        utility[b] += w
    return utility, total


def person_utilities(instance: PairingInstance, rounds: Rounds) -> np.ndarray:
    """Each person's relevance: the sum of the weights of the distinct people they meet.

    Notes
    -----
    O(sum over tables of size^2).
    """
    return _utility(instance, _met_pairs(rounds))[0]


def person_shares(instance: PairingInstance, rounds: Rounds) -> np.ndarray:
    """Each person's share: their relevance over the best they could get alone (``own_bound``).

    NaN for whoever has nobody worth meeting (``own_bound`` 0); the referee's
    ``worst_share`` is the lowest of the others.

    Notes
    -----
    O(sum over tables of size^2 + n^2) (the n^2 is the per-person normaliser).

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": p} for p in "abc"], "weights": [[0, 2, 0], [2, 0, 0], [0, 0, 0]]})
    >>> person_shares(inst, [[[0, 1]]]).tolist()
    [1.0, 1.0, nan]
    """
    own = instance.own_bound
    utility = person_utilities(instance, rounds)
    served = own > 0
    return np.where(served, utility / np.where(served, own, 1.0), np.nan)


def worst_served(instance: PairingInstance, rounds: Rounds) -> tuple[int, float] | None:
    """The worst-served person (lowest index among equals) and their share, or None if nobody is served.

    Notes
    -----
    O(sum over tables of size^2 + n^2), as :func:`person_shares`.
    """
    shares = person_shares(instance, rounds)
    if np.isnan(shares).all():
        return None
    worst = int(np.nanargmin(shares))
    return worst, float(shares[worst])
