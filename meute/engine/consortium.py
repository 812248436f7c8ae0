"""Teams of firms for a tender ("hunting in packs"): one firm per lot, the cheapest team, exactly.

A cluster of small firms answers together a tender that none of them could win
alone. Each lot goes to one firm (a firm may take several lots). A firm may take
a lot when it has the lot's trade, the certification the lot asks for (if any),
lies within ``radius_km`` of the site, and the amounts of all its lots add up to at
most ``capacity_share * turnover``. The cost of a team is

    sum over lots of the distance of its firm to the site
    + firm_cost * (number of firms in the team)
    - together_bonus * (number of pairs of team firms that already worked together)

and the team builder minimises it as a mixed-integer linear programme solved by
HiGHS (:func:`scipy.optimize.milp`), to proven optimality; the k next-best
*distinct* teams (different lot -> firm maps) follow by no-good cuts. Input format
``meute.tender/1``, output ``meute.team/1`` (docs/formats.md, docs/algorithms/consortium.md).

Plain data in and out: no Django, no clock, no I/O. Reasons are structured data
(codes and figures) that the application words in the reader's language.

>>> tender = parse_tender({
...     "format": "meute.tender/1", "site": {"x": 0, "y": 0}, "radius_km": 45,
...     "capacity_share": 0.3, "firm_cost": 15, "together_bonus": 10,
...     "lots": [{"id": "L1", "trade": "charpente", "amount": 120, "cert": None},
...              {"id": "L2", "trade": "couverture", "amount": 80, "cert": "RGE"}],
...     "firms": [
...         {"id": "a", "trades": ["charpente", "couverture"], "x": 20, "y": 0, "turnover": 800, "certs": ["RGE"]},
...         {"id": "b", "trades": ["charpente"], "x": 5, "y": 0, "turnover": 500, "certs": []},
...         {"id": "c", "trades": ["couverture"], "x": 0, "y": 3, "turnover": 900, "certs": []}],
...     "together": [["a", "b"]]})
>>> result = solve_team(tender, alternatives=1)
>>> result.team.assignment, result.team.cost  # 5 + 20 km, 2 firms x 15, a pair that worked together -10
({'L1': 'b', 'L2': 'a'}, 45.0)
>>> [(alt.assignment, alt.cost) for alt in result.alternatives]  # 20 + 20 km, 1 firm x 15
[({'L1': 'a', 'L2': 'a'}, 55.0)]
>>> result.lower_bound, result.gap
(45.0, 0.0)
>>> is_valid_team(tender, result.team.assignment)
[]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from meute.engine.errors import EngineInputError

__all__ = [
    "FORMAT_IN",
    "FORMAT_OUT",
    "Firm",
    "LeftOut",
    "Lot",
    "LotChoice",
    "LotGap",
    "Team",
    "TeamResult",
    "Tender",
    "describe_gaps",
    "is_valid_team",
    "nearest_capable_team",
    "parse_tender",
    "result_to_json",
    "solve_team",
    "team_cost",
]

FORMAT_IN = "meute.tender/1"
FORMAT_OUT = "meute.team/1"

#: Defaults of the optional weights of ``meute.tender/1``.
DEFAULTS = {"radius_km": 45.0, "capacity_share": 0.3, "firm_cost": 15.0, "together_bonus": 10.0}

#: Why a firm cannot take a lot, in the order the rules are checked.
WHY_ORDER = ("no_trade", "no_cert", "too_far", "too_small", "excluded")

#: How many left-out firms each lot's reasons name per kind of reason (the nearest ones).
LEFT_OUT_PER_REASON = 3

_EPS = 1e-6


@dataclass(frozen=True)
class Lot:
    id: str
    trade: str
    amount: float
    cert: str | None = None


@dataclass(frozen=True)
class Firm:
    id: str
    trades: frozenset[str]
    x: float
    y: float
    turnover: float
    certs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tender:
    """A tender's lots, the cluster's firms and the weights of the cost (``meute.tender/1``)."""

    site_x: float
    site_y: float
    lots: tuple[Lot, ...]
    firms: tuple[Firm, ...]
    together: frozenset[tuple[str, str]] = frozenset()  # pairs (a, b) with a < b
    radius_km: float = DEFAULTS["radius_km"]
    capacity_share: float = DEFAULTS["capacity_share"]
    firm_cost: float = DEFAULTS["firm_cost"]
    together_bonus: float = DEFAULTS["together_bonus"]

    def distance(self, firm: Firm) -> float:
        """Euclidean distance in km from the firm to the site."""
        return math.hypot(firm.x - self.site_x, firm.y - self.site_y)

    def capacity(self, firm: Firm) -> float:
        """The largest total amount of lots the firm may take."""
        return self.capacity_share * firm.turnover


@dataclass(frozen=True)
class Team:
    """One firm per lot, and the team's cost."""

    lots: tuple[tuple[str, str], ...]  # (lot id, firm id) in the tender's lot order
    cost: float

    @property
    def assignment(self) -> dict[str, str]:
        return dict(self.lots)

    @property
    def firms(self) -> tuple[str, ...]:
        """The team's firms, each once, in the order of their first lot."""
        return tuple(dict.fromkeys(f for _, f in self.lots))


@dataclass(frozen=True)
class LeftOut:
    """A firm with the lot's trade that does not take it, and why (a code of WHY_ORDER or "costlier")."""

    firm: str
    why: str
    distance_km: float


@dataclass(frozen=True)
class LotChoice:
    """Why a lot went to its firm: its trade, certificate, distance, and partners it already worked with."""

    lot: str
    firm: str
    trade: str
    cert: str | None
    distance_km: float
    together_with: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    counts: Mapping[str, int]  # reason -> number of firms with the trade left out for it


@dataclass(frozen=True)
class LotGap:
    """A lot that no team can cover, and the funnel of its candidates.

    ``why`` is the first rule that leaves no firm: "no_trade", "no_cert",
    "too_far", "too_small" (no firm's capacity holds the lot alone), or
    "capacity_together" (each lot has a firm, but firms shared between lots cannot
    hold them all at once), "kept" (a firm kept on another lot blocks it).
    """

    lot: str
    why: str
    with_trade: int
    with_cert: int
    within_radius: int
    with_capacity: int


@dataclass(frozen=True)
class TeamResult:
    """What the team builder found: the best team (or None), its proof, alternatives and reasons."""

    team: Team | None
    lower_bound: float | None
    alternatives: tuple[Team, ...] = ()
    reasons: tuple[LotChoice, ...] = ()
    gaps: tuple[LotGap, ...] = ()
    nodes: int = 0
    eligible_pairs: int = 0

    @property
    def gap(self) -> float | None:
        """Relative optimality gap ``(cost - lower_bound) / max(1, |cost|)``; 0 when proven optimal."""
        if self.team is None or self.lower_bound is None:
            return None
        return max(0.0, self.team.cost - self.lower_bound) / max(1.0, abs(self.team.cost))


# ---------------------------------------------------------------- input


def _number(value: Any, where: str, *, minimum: float | None = None, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise EngineInputError(f"{where}: must be a number, got {value!r}")
    if positive and value <= 0:
        raise EngineInputError(f"{where}: must be positive, got {value!r}")
    if minimum is not None and value < minimum:
        raise EngineInputError(f"{where}: must be at least {minimum:g}, got {value!r}")
    return float(value)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EngineInputError(f"{where}: must be a non-empty string, got {value!r}")
    return value


def _strings(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise EngineInputError(f"{where}: must be a list of strings, got {value!r}")
    return frozenset(_string(v, f"{where}[{i}]") for i, v in enumerate(value))


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EngineInputError(f"{where}: must be an object, got {type(value).__name__}")
    return value


def parse_tender(data: Any) -> Tender:
    """Validate a ``meute.tender/1`` document and return a :class:`Tender`.

    Raises :class:`~meute.engine.errors.EngineInputError` whose message names the
    field at fault (``lots[2].amount: must be a number, got 'x'``).

    Notes
    -----
    O(lots + firms + together pairs).
    """
    doc = _object(data, "tender")
    if doc.get("format") != FORMAT_IN:
        raise EngineInputError(f"format: expected {FORMAT_IN!r}, got {doc.get('format')!r}")
    site = _object(doc.get("site"), "site")
    site_x = _number(site.get("x"), "site.x")
    site_y = _number(site.get("y"), "site.y")
    weights = {
        "radius_km": _number(doc.get("radius_km", DEFAULTS["radius_km"]), "radius_km", positive=True),
        "capacity_share": _number(
            doc.get("capacity_share", DEFAULTS["capacity_share"]), "capacity_share", positive=True
        ),
        "firm_cost": _number(doc.get("firm_cost", DEFAULTS["firm_cost"]), "firm_cost", minimum=0),
        "together_bonus": _number(
            doc.get("together_bonus", DEFAULTS["together_bonus"]), "together_bonus", minimum=0
        ),
    }
    raw_lots = doc.get("lots")
    if not isinstance(raw_lots, list) or not raw_lots:
        raise EngineInputError(f"lots: must be a non-empty list, got {raw_lots!r}")
    lots: list[Lot] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_lots):
        where = f"lots[{i}]"
        lot = _object(raw, where)
        lot_id = _string(lot.get("id"), f"{where}.id")
        if lot_id in seen:
            raise EngineInputError(f"{where}.id: duplicate lot id {lot_id!r}")
        seen.add(lot_id)
        cert = lot.get("cert")
        lots.append(
            Lot(
                id=lot_id,
                trade=_string(lot.get("trade"), f"{where}.trade"),
                amount=_number(lot.get("amount"), f"{where}.amount", minimum=0),
                cert=None if cert is None else _string(cert, f"{where}.cert"),
            )
        )
    raw_firms = doc.get("firms")
    if not isinstance(raw_firms, list):
        raise EngineInputError(f"firms: must be a list, got {raw_firms!r}")
    firms: list[Firm] = []
    seen = set()
    for i, raw in enumerate(raw_firms):
        where = f"firms[{i}]"
        firm = _object(raw, where)
        firm_id = _string(firm.get("id"), f"{where}.id")
        if firm_id in seen:
            raise EngineInputError(f"{where}.id: duplicate firm id {firm_id!r}")
        seen.add(firm_id)
        firms.append(
            Firm(
                id=firm_id,
                trades=_strings(firm.get("trades"), f"{where}.trades"),
                x=_number(firm.get("x"), f"{where}.x"),
                y=_number(firm.get("y"), f"{where}.y"),
                turnover=_number(firm.get("turnover"), f"{where}.turnover", minimum=0),
                certs=_strings(firm.get("certs", []), f"{where}.certs"),
            )
        )
    raw_together = doc.get("together", [])
    if not isinstance(raw_together, list):
        raise EngineInputError(f"together: must be a list of pairs of firm ids, got {raw_together!r}")
    together: set[tuple[str, str]] = set()
    for i, pair in enumerate(raw_together):
        where = f"together[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise EngineInputError(f"{where}: must be a pair of firm ids, got {pair!r}")
        a, b = (_string(v, f"{where}[{j}]") for j, v in enumerate(pair))
        for j, v in enumerate((a, b)):
            if v not in seen:
                raise EngineInputError(f"{where}[{j}]: unknown firm {v!r}")
        if a == b:
            raise EngineInputError(f"{where}: a firm cannot be paired with itself ({a!r})")
        together.add((min(a, b), max(a, b)))
    return Tender(
        site_x=site_x,
        site_y=site_y,
        lots=tuple(lots),
        firms=tuple(firms),
        together=frozenset(together),
        **weights,
    )


# ---------------------------------------------------------------- rules and cost


def _why_not(tender: Tender, lot: Lot, firm: Firm, excluded: frozenset[str] = frozenset()) -> str | None:
    """The first rule that keeps `firm` off `lot` alone (None: it may take it)."""
    if lot.trade not in firm.trades:
        return "no_trade"
    if lot.cert is not None and lot.cert not in firm.certs:
        return "no_cert"
    if tender.distance(firm) > tender.radius_km + _EPS:
        return "too_far"
    if lot.amount > tender.capacity(firm) + _EPS:
        return "too_small"
    # Last: a firm that declined and also lacks the certificate is reported for the certificate.
    if firm.id in excluded:
        return "excluded"
    return None


def team_cost(tender: Tender, lots_to_firms: Mapping[str, str]) -> float:
    """The cost of an assignment: distances per lot + firm_cost per firm - together_bonus per known pair.

    It does not check the rules (see :func:`is_valid_team`).

    >>> t = parse_tender({"format": "meute.tender/1", "site": {"x": 0, "y": 0},
    ...     "firm_cost": 15, "together_bonus": 10,
    ...     "lots": [{"id": "L1", "trade": "t", "amount": 1}, {"id": "L2", "trade": "t", "amount": 1}],
    ...     "firms": [{"id": "a", "trades": ["t"], "x": 3, "y": 4, "turnover": 100},
    ...               {"id": "b", "trades": ["t"], "x": 0, "y": 1, "turnover": 100}],
    ...     "together": [["a", "b"]]})
    >>> team_cost(t, {"L1": "a", "L2": "b"})  # 5 + 1 + 2 x 15 - 10
    26.0

    Notes
    -----
    O(lots + team size^2).
    """
    by_id = {f.id: f for f in tender.firms}
    distance = sum(tender.distance(by_id[f]) for f in lots_to_firms.values())
    team = sorted(set(lots_to_firms.values()))
    pairs = sum(1 for i, a in enumerate(team) for b in team[i + 1 :] if (a, b) in tender.together)
    return float(distance + tender.firm_cost * len(team) - tender.together_bonus * pairs)


def is_valid_team(
    tender: Tender,
    lots_to_firms: Mapping[str, str],
    *,
    exclude: Iterable[str] = (),
    keep: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """The rules the assignment breaks, one sentence each; an empty list when it is a valid team.

    Checks: every lot has exactly one known firm, no unknown lot; each firm has the
    lot's trade, its certification, lies within the radius; each firm's lots add up
    to at most its capacity; no excluded firm; every kept (lot, firm) pair is kept.

    Notes
    -----
    O(lots + firms).
    """
    errors: list[str] = []
    by_id = {f.id: f for f in tender.firms}
    lot_ids = {lot.id for lot in tender.lots}
    excluded = frozenset(exclude)
    for lot_id in lots_to_firms:
        if lot_id not in lot_ids:
            errors.append(f"unknown lot {lot_id!r}")
    load: dict[str, float] = {}
    for lot in tender.lots:
        firm_id = lots_to_firms.get(lot.id)
        if firm_id is None:
            errors.append(f"lot {lot.id!r} has no firm")
            continue
        firm = by_id.get(firm_id)
        if firm is None:
            errors.append(f"lot {lot.id!r}: unknown firm {firm_id!r}")
            continue
        why = _why_not(tender, lot, firm, excluded)
        if why not in (None, "too_small"):
            errors.append(f"lot {lot.id!r}: firm {firm_id!r} breaks the rule {why}")
        load[firm_id] = load.get(firm_id, 0.0) + lot.amount
    for firm_id, amount in load.items():
        if amount > tender.capacity(by_id[firm_id]) + _EPS:
            errors.append(
                f"firm {firm_id!r}: lots of {amount:g} exceed its capacity {tender.capacity(by_id[firm_id]):g}"
            )
    for lot_id, firm_id in keep:
        if lots_to_firms.get(lot_id) != firm_id:
            errors.append(f"lot {lot_id!r} was to stay with firm {firm_id!r}")
    return errors


# ---------------------------------------------------------------- the MILP


@dataclass
class _Model:
    pairs: list[tuple[int, int]]  # (lot index, firm index) of eligible pairs: the x variables
    firms: list[int]  # firm indices with at least one eligible pair: the y variables
    together: list[tuple[int, int]]  # positions in `firms` of known pairs: the z variables


def _eligible(tender: Tender, excluded: frozenset[str]) -> list[list[int]]:
    """For each lot, the indices of the firms that may take it alone (O(lots x firms))."""
    return [
        [j for j, firm in enumerate(tender.firms) if _why_not(tender, lot, firm, excluded) is None]
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
        if sum(tender.lots[i].amount for i in lots) <= tender.capacity(firm) + _EPS:
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
        if sum(amounts) > cap + _EPS:  # capacity only where it can bind
            row([(k, a) for k, a in zip(ks, amounts, strict=True)] + [(y, -cap)], -np.inf, _EPS)
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
    near = [f for f in certified if tender.distance(f) <= tender.radius_km + _EPS]
    able = [f for f in near if lot.amount <= tender.capacity(f) + _EPS]
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
            why = _why_not(tender, lot, firm, excluded) or "costlier"
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
            (f for f in tender.firms if _why_not(tender, lot, f) is None),
            key=lambda f: (tender.distance(f), f.id),
        )
        for firm in candidates:
            if load.get(firm.id, 0.0) + lot.amount <= tender.capacity(firm) + _EPS:
                load[firm.id] = load.get(firm.id, 0.0) + lot.amount
                out[lot.id] = firm.id
                break
        else:
            return None
    return {lot.id: out[lot.id] for lot in tender.lots}


# ---------------------------------------------------------------- output


def _team_json(team: Team) -> dict[str, Any]:
    return {"lots": team.assignment, "cost": team.cost}


def result_to_json(result: TeamResult) -> dict[str, Any]:
    """The ``meute.team/1`` document of a result that has a team."""
    if result.team is None:
        raise ValueError("no team to write")
    return {
        "format": FORMAT_OUT,
        **_team_json(result.team),
        "lower_bound": result.lower_bound,
        "gap": result.gap,
        "alternatives": [_team_json(t) for t in result.alternatives],
        "reasons": {
            r.lot: {
                "firm": r.firm,
                "trade": r.trade,
                "cert": r.cert,
                "distance_km": r.distance_km,
                "together_with": list(r.together_with),
                "left_out": [
                    {"firm": x.firm, "why": x.why, "distance_km": x.distance_km} for x in r.left_out
                ],
                "counts": dict(r.counts),
            }
            for r in result.reasons
        },
    }


_GAP_WORDS = {
    "no_trade": "no firm has the trade {trade}",
    "no_cert": "{with_trade} firm(s) have the trade but none the certification {cert}",
    "too_far": "{with_cert} firm(s) qualify but none within {radius:g} km of the site",
    "too_small": "{within_radius} firm(s) within reach but none large enough for {amount:g}",
    "capacity_together": "the firms that could take it cannot hold it with their other lots",
    "kept": "a kept firm blocks it",
}


def describe_gaps(tender: Tender, gaps: Sequence[LotGap]) -> str:
    """One English line naming each lot that cannot be covered and why (for the command line)."""
    by_id = {lot.id: lot for lot in tender.lots}
    parts = []
    for gap in gaps:
        lot = by_id[gap.lot]
        words = _GAP_WORDS[gap.why].format(
            trade=lot.trade,
            cert=lot.cert,
            amount=lot.amount,
            radius=tender.radius_km,
            with_trade=gap.with_trade,
            with_cert=gap.with_cert,
            within_radius=gap.within_radius,
        )
        parts.append(f"lot {gap.lot} ({lot.trade}): {words}")
    return "; ".join(parts)
