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

from meute.engine.consortium.checker import is_valid_team, team_cost
from meute.engine.consortium.instance import (
    FORMAT_IN,
    FORMAT_OUT,
    Firm,
    LeftOut,
    Lot,
    LotChoice,
    LotGap,
    Team,
    TeamResult,
    Tender,
    parse_tender,
)
from meute.engine.consortium.report import describe_gaps, result_to_json
from meute.engine.consortium.solver import nearest_capable_team, solve_team

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
