"""The team as JSON (``meute.team/1``) and the reasons no team exists, in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meute.engine.consortium.instance import FORMAT_OUT, LotGap, Team, TeamResult, Tender

__all__ = ["describe_gaps", "result_to_json"]


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
