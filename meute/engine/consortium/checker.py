"""The rules of a team: who may take a lot, what a team costs, and the checker every solver test calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from meute.engine.consortium.instance import EPS, Firm, Lot, Tender

__all__ = ["is_valid_team", "team_cost", "why_not"]


def why_not(tender: Tender, lot: Lot, firm: Firm, excluded: frozenset[str] = frozenset()) -> str | None:
    """The first rule that keeps `firm` off `lot` alone (None: it may take it)."""
    if lot.trade not in firm.trades:
        return "no_trade"
    if lot.cert is not None and lot.cert not in firm.certs:
        return "no_cert"
    if tender.distance(firm) > tender.radius_km + EPS:
        return "too_far"
    if lot.amount > tender.capacity(firm) + EPS:
        return "too_small"
    # Last: a firm that declined and also lacks the certificate is reported for the certificate.
    if firm.id in excluded:
        return "excluded"
    return None


def team_cost(tender: Tender, lots_to_firms: Mapping[str, str]) -> float:
    """The cost of an assignment: distances per lot + firm_cost per firm - together_bonus per known pair.

    It does not check the rules (see :func:`is_valid_team`).

    >>> from meute.engine.consortium import parse_tender
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
        why = why_not(tender, lot, firm, excluded)
        if why not in (None, "too_small"):
            errors.append(f"lot {lot.id!r}: firm {firm_id!r} breaks the rule {why}")
        load[firm_id] = load.get(firm_id, 0.0) + lot.amount
    for firm_id, amount in load.items():
        if amount > tender.capacity(by_id[firm_id]) + EPS:
            errors.append(
                f"firm {firm_id!r}: lots of {amount:g} exceed its capacity {tender.capacity(by_id[firm_id]):g}"
            )
    for lot_id, firm_id in keep:
        if lots_to_firms.get(lot_id) != firm_id:
            errors.append(f"lot {lot_id!r} was to stay with firm {firm_id!r}")
    return errors


# ---------------------------------------------------------------- the MILP
