"""The exact team (MILP, HiGHS), its k next-best distinct alternatives, and the coordinator's baseline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from meute.engine.consortium.checker import team_cost, why_not
from meute.engine.consortium.instance import (
    EPS,
    LEFT_OUT_PER_REASON,
    WHY_ORDER,
    LeftOut,
    Lot,
    LotChoice,
    LotGap,
    Team,
    TeamResult,
    Tender,
)
from meute.engine.errors import EngineInputError

__all__ = ["nearest_capable_team", "solve_team"]


@dataclass
class _Model:
    pairs: list[tuple[int, int]]  # (lot index, firm index) of eligible pairs: the x variables
    firms: list[int]  # firm indices with at least one eligible pair: the y variables
    together: list[tuple[int, int]]  # positions in `firms` of known pairs: the z variables


def _eligible(tender: Tender, excluded: frozenset[str]) -> list[list[int]]:
    """For each lot, the indices of the firms that may take it alone (O(lots x firms))."""
    return [
        [j for j, firm in enumerate(tender.firms) if why_not(tender, lot, firm, excluded) is None]
        for lot in tender.lots
    ]


def _prune(
    tender: Tender, eligible: list[list[int]], alternatives: int, protected: set[int]
) -> list[list[int]]:
    """Drop firms that provably appear in none of the ``alternatives + 1`` best teams.

    Take the firms with the same set S of eligible lots and room for all of S. Firm
    f, with P_f known partners among the candidates, is *dominated* by g of the same
    set when ``d_g <= d_f - together_bonus * P_f``: moving f's lots to an idle g
    changes the cost by at most ``(d_g - d_f) * lots + bonus * P_f <= 0`` (f's lots
    are at least one; f's pairs in the team are at most P_f; g's pairs only help).
    A team uses at most |S| firms of the set, so when f has |S| + alternatives
    dominators that are kept, at least alternatives + 1 of them are idle in any team
    with f, and swapping each in gives as many distinct valid teams that cost no
    more: the costs of the k best teams are unchanged without f. Firms are visited
    nearest first and only kept ones count as dominators, so no kept firm is ever
    dropped. Firms fixed by `keep` are never dropped.
    """
    lots_of: dict[int, list[int]] = {}
    for i, js in enumerate(eligible):
        for j in js:
            lots_of.setdefault(j, []).append(i)
    # Only partners that could join a team matter: a pair with a firm that takes no lot earns nothing.
    candidates = {tender.firms[j].id for j in lots_of}
    partners: dict[str, int] = {}
    if tender.together_bonus > 0:
        for a, b in tender.together:
            if a in candidates and b in candidates:
                partners[a] = partners.get(a, 0) + 1
                partners[b] = partners.get(b, 0) + 1
    groups: dict[tuple[int, ...], list[int]] = {}
    for j, lots in lots_of.items():
        firm = tender.firms[j]
        if sum(tender.lots[i].amount for i in lots) <= tender.capacity(firm) + EPS:
            groups.setdefault(tuple(lots), []).append(j)
    dropped: set[int] = set()
    for shared, js in groups.items():
        js.sort(key=lambda j: (tender.distance(tender.firms[j]), j))
        kept: list[float] = []  # distances of the kept firms, ascending
        need = len(shared) + alternatives
        for j in js:
            firm = tender.firms[j]
            reach = tender.distance(firm) - tender.together_bonus * partners.get(firm.id, 0)
            if j not in protected and len(kept) >= need and kept[need - 1] <= reach:
                dropped.add(j)
            else:
                kept.append(tender.distance(firm))
    return [[j for j in js if j not in dropped] for js in eligible]


def _solve(
    tender: Tender,
    eligible: list[list[int]],
    lots: list[int],
    keep: Mapping[int, int],
    cuts: list[list[int]],
    pairs_index: dict[tuple[int, int], int] | None = None,
) -> tuple[dict[int, int] | None, float | None, int]:
    """Solve the MILP restricted to `lots`; return (lot index -> firm index, dual bound, nodes).

    `cuts` are earlier solutions as lists of x positions (no-good cuts); they refer
    to positions in the model built for the same `lots`, which is deterministic.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    if any(not eligible[i] for i in lots) or any(i in lots and j not in eligible[i] for i, j in keep.items()):
        return None, None, 0  # a lot without a candidate: nothing to solve
    pairs = [(i, j) for i in lots for j in eligible[i]]
    firm_pos: dict[int, int] = {}
    for _, j in pairs:
        firm_pos.setdefault(j, len(firm_pos))
    firms = list(firm_pos)
    together = []
    if tender.together_bonus > 0:
        pos_of = {tender.firms[j].id: p for j, p in firm_pos.items()}
        for a, b in sorted(tender.together):  # O(known pairs), not O(candidate firms^2)
            if a in pos_of and b in pos_of:
                together.append((pos_of[a], pos_of[b]))
    nx, ny, nz = len(pairs), len(firms), len(together)
    n = nx + ny + nz
    c = np.zeros(n)
    for k, (_, j) in enumerate(pairs):
        c[k] = tender.distance(tender.firms[j])
    c[nx : nx + ny] = tender.firm_cost
    c[nx + ny :] = -tender.together_bonus

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0

    def row(entries: Iterable[tuple[int, float]], low: float, high: float) -> None:
        nonlocal r
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lo.append(low)
        hi.append(high)
        r += 1

    by_lot: dict[int, list[int]] = {}
    by_firm: dict[int, list[int]] = {}
    for k, (i, j) in enumerate(pairs):
        by_lot.setdefault(i, []).append(k)
        by_firm.setdefault(j, []).append(k)
    for i in lots:  # one firm per lot
        row(((k, 1.0) for k in by_lot.get(i, [])), 1.0, 1.0)
    for k, (_, j) in enumerate(pairs):  # x <= y (the tight linking: a better LP bound than sums)
        row(((k, 1.0), (nx + firm_pos[j], -1.0)), -np.inf, 0.0)
    for j, ks in by_firm.items():
        y = nx + firm_pos[j]
        row([(y, 1.0)] + [(k, -1.0) for k in ks], -np.inf, 0.0)  # y <= sum x: no idle partner
        amounts = [tender.lots[pairs[k][0]].amount for k in ks]
        cap = tender.capacity(tender.firms[j])
        if sum(amounts) > cap + EPS:  # capacity only where it can bind
            row([(k, a) for k, a in zip(ks, amounts, strict=True)] + [(y, -cap)], -np.inf, EPS)
    for t, (p, q) in enumerate(together):  # z <= y_a, z <= y_b
        z = nx + ny + t
        row(((z, 1.0), (nx + p, -1.0)), -np.inf, 0.0)
        row(((z, 1.0), (nx + q, -1.0)), -np.inf, 0.0)
    lower = np.zeros(n)
    upper = np.ones(n)
    for i, j in keep.items():
        if i in lots:
            fixed = next((k for k in by_lot.get(i, []) if pairs[k][1] == j), None)
            if fixed is None:
                return None, None, 0
            lower[fixed] = 1.0
    for cut in cuts:
        row(((k, 1.0) for k in cut), -np.inf, len(cut) - 1.0)
    integrality = np.zeros(n)
    integrality[: nx + ny] = 1  # z is continuous: at the optimum it equals min(y_a, y_b)
    constraints = LinearConstraint(coo_array((vals, (rows, cols)), shape=(r, n)).tocsr(), lo, hi)
    res = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if pairs_index is not None:
        pairs_index.clear()
        pairs_index.update({p: k for k, p in enumerate(pairs)})
    if res.x is None:
        return None, None, int(getattr(res, "mip_node_count", 0) or 0)
    chosen = {pairs[k][0]: pairs[k][1] for k in range(nx) if res.x[k] > 0.5}
    bound = getattr(res, "mip_dual_bound", None)
    return chosen, None if bound is None else float(bound), int(getattr(res, "mip_node_count", 0) or 0)


def _components(eligible: list[list[int]], lots: list[int]) -> list[list[int]]:
    """Lots linked by shared eligible firms (union-find): feasibility splits along them."""
    parent = {i: i for i in lots}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i in lots:
        for j in eligible[i]:
            if j in owner:
                parent[find(i)] = find(owner[j])
            else:
                owner[j] = i
    groups: dict[int, list[int]] = {}
    for i in lots:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _funnel(tender: Tender, lot: Lot, excluded: frozenset[str]) -> tuple[int, int, int, int]:
    firms = [f for f in tender.firms if f.id not in excluded and lot.trade in f.trades]
    certified = [f for f in firms if lot.cert is None or lot.cert in f.certs]
    near = [f for f in certified if tender.distance(f) <= tender.radius_km + EPS]
    able = [f for f in near if lot.amount <= tender.capacity(f) + EPS]
    return len(firms), len(certified), len(near), len(able)


def _gaps(
    tender: Tender, eligible: list[list[int]], keep: Mapping[int, int], excluded: frozenset[str]
) -> tuple[LotGap, ...]:
    gaps = []
    all_lots = list(range(len(tender.lots)))
    blocked: set[int] = set()
    for i, lot in enumerate(tender.lots):
        counts = _funnel(tender, lot, excluded)
        if counts[3] == 0:
            why = ("no_trade", "no_cert", "too_far", "too_small")[[c == 0 for c in counts].index(True)]
            gaps.append(LotGap(lot.id, why, *counts))
            blocked.add(i)
        elif i in keep and keep[i] not in eligible[i]:
            gaps.append(LotGap(lot.id, "kept", *counts))
            blocked.add(i)
    if gaps:
        return tuple(gaps)
    for group in _components(eligible, all_lots):
        if _solve(tender, eligible, group, keep, [])[0] is None:
            reason = "kept" if any(i in keep for i in group) else "capacity_together"
            gaps.extend(
                LotGap(tender.lots[i].id, reason, *_funnel(tender, tender.lots[i], excluded)) for i in group
            )
    return tuple(gaps)


def _reasons(tender: Tender, team: Team, excluded: frozenset[str]) -> tuple[LotChoice, ...]:
    by_id = {f.id: f for f in tender.firms}
    members = set(team.firms)
    out = []
    for lot_id, firm_id in team.lots:
        lot = next(lot for lot in tender.lots if lot.id == lot_id)
        chosen = by_id[firm_id]
        left: dict[str, list[LeftOut]] = {}
        for firm in tender.firms:
            if firm.id == firm_id or lot.trade not in firm.trades:
                continue
            why = why_not(tender, lot, firm, excluded) or "costlier"
            left.setdefault(why, []).append(LeftOut(firm.id, why, round(tender.distance(firm), 1)))
        shown: list[LeftOut] = []
        for why in (*WHY_ORDER, "costlier"):
            shown += sorted(left.get(why, []), key=lambda x: (x.distance_km, x.firm))[:LEFT_OUT_PER_REASON]
        together = tuple(
            sorted(
                m for m in members if m != firm_id and (min(m, firm_id), max(m, firm_id)) in tender.together
            )
        )
        out.append(
            LotChoice(
                lot=lot_id,
                firm=firm_id,
                trade=lot.trade,
                cert=lot.cert,
                distance_km=round(tender.distance(chosen), 1),
                together_with=together,
                left_out=tuple(shown),
                counts={why: len(v) for why, v in left.items()},
            )
        )
    return tuple(out)


def solve_team(
    tender: Tender,
    *,
    alternatives: int = 0,
    exclude: Iterable[str] = (),
    keep: Iterable[tuple[str, str]] = (),
) -> TeamResult:
    """The cheapest valid team, proven optimal, and up to `alternatives` next-best distinct teams.

    Parameters
    ----------
    tender : Tender
    alternatives : int
        How many next-best teams to return, cheapest first; each differs from the
        best and from every other by at least one lot's firm. Fewer are returned
        when fewer exist.
    exclude : firm ids that may take no lot (a firm that declined).
    keep : (lot id, firm id) pairs fixed in every team (firms that accepted).

    Returns
    -------
    TeamResult
        ``team`` is None when no team exists; ``gaps`` then names each lot that
        cannot be covered and why.

    Notes
    -----
    Variables: x[lot, firm] binary for eligible pairs only (trade, certificate,
    radius and the lot alone within capacity), y[firm] binary, z[pair] continuous
    in [0, 1] for known pairs of candidate firms (z <= y_a, z <= y_b; the bonus
    makes z = min(y_a, y_b) at the optimum). Rows: one firm per lot, x <= y,
    y <= sum x (a firm with no lot is not in the team), capacity where it can bind.
    NP-hard in general (it contains set cover through firm_cost); HiGHS's branch
    and cut proves optimality in well under a second on clusters of 1,500 firms and
    12 lots (docs/algorithms/consortium.md). Each alternative is one more solve
    with a no-good cut ``sum_{x in previous team} x <= lots - 1``.
    """
    excluded = frozenset(exclude)
    lot_index = {lot.id: i for i, lot in enumerate(tender.lots)}
    firm_index = {f.id: j for j, f in enumerate(tender.firms)}
    keep_idx: dict[int, int] = {}
    for lot_id, firm_id in keep:
        if lot_id not in lot_index:
            raise EngineInputError(f"keep: unknown lot {lot_id!r}")
        if firm_id not in firm_index:
            raise EngineInputError(f"keep: unknown firm {firm_id!r}")
        keep_idx[lot_index[lot_id]] = firm_index[firm_id]
    if alternatives < 0:
        raise EngineInputError(f"alternatives: must be at least 0, got {alternatives}")
    full = _eligible(tender, excluded)
    n_pairs = sum(len(e) for e in full)
    eligible = _prune(tender, full, alternatives, set(keep_idx.values()))
    lots = list(range(len(tender.lots)))
    index: dict[tuple[int, int], int] = {}
    chosen, bound, nodes = _solve(tender, eligible, lots, keep_idx, [], index)
    if chosen is None:
        return TeamResult(
            team=None, lower_bound=None, gaps=_gaps(tender, full, keep_idx, excluded), eligible_pairs=n_pairs
        )

    def as_team(assign: dict[int, int]) -> Team:
        pairs = tuple((tender.lots[i].id, tender.firms[assign[i]].id) for i in lots)
        return Team(lots=pairs, cost=round(team_cost(tender, dict(pairs)), 6))

    best = as_team(chosen)
    cuts = [[index[(i, j)] for i, j in chosen.items()]]
    alts: list[Team] = []
    while len(alts) < alternatives:
        nxt, _, more = _solve(tender, eligible, lots, keep_idx, cuts)
        nodes += more
        if nxt is None:
            break
        alts.append(as_team(nxt))
        cuts.append([index[(i, j)] for i, j in nxt.items()])
    return TeamResult(
        team=best,
        lower_bound=best.cost if bound is None else min(best.cost, round(bound, 6)),
        alternatives=tuple(alts),
        reasons=_reasons(tender, best, excluded),
        nodes=nodes,
        eligible_pairs=n_pairs,
    )


def nearest_capable_team(tender: Tender) -> dict[str, str] | None:
    """Baseline, what a coordinator does by hand: for each lot (largest first), the nearest firm
    that may take it and still has room. None when it gets stuck.

    Notes
    -----
    O(lots x firms log firms).
    """
    load: dict[str, float] = {}
    out: dict[str, str] = {}
    for lot in sorted(tender.lots, key=lambda lot: (-lot.amount, lot.id)):
        candidates = sorted(
            (f for f in tender.firms if why_not(tender, lot, f) is None),
            key=lambda f: (tender.distance(f), f.id),
        )
        for firm in candidates:
            if load.get(firm.id, 0.0) + lot.amount <= tender.capacity(firm) + EPS:
                load[firm.id] = load.get(firm.id, 0.0) + lot.amount
                out[lot.id] = firm.id
                break
        else:
            return None
    return {lot.id: out[lot.id] for lot in tender.lots}


# ---------------------------------------------------------------- output
