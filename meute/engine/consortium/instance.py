"""The tender and team formats (``meute.tender/1``, ``meute.team/1``), parsed and validated, and the result types."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meute.engine.errors import EngineInputError

__all__ = [
    "DEFAULTS",
    "EPS",
    "FORMAT_IN",
    "FORMAT_OUT",
    "LEFT_OUT_PER_REASON",
    "WHY_ORDER",
    "Firm",
    "LeftOut",
    "Lot",
    "LotChoice",
    "LotGap",
    "Team",
    "TeamResult",
    "Tender",
    "parse_tender",
]

FORMAT_IN = "meute.tender/1"
FORMAT_OUT = "meute.team/1"

#: Defaults of the optional weights of ``meute.tender/1``.
DEFAULTS = {"radius_km": 45.0, "capacity_share": 0.3, "firm_cost": 15.0, "together_bonus": 10.0}

#: Why a firm cannot take a lot, in the order the rules are checked.
WHY_ORDER = ("no_trade", "no_cert", "too_far", "too_small", "excluded")

#: How many left-out firms each lot's reasons name per kind of reason (the nearest ones).
LEFT_OUT_PER_REASON = 3

EPS = 1e-6


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
