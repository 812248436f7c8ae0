"""The team builder: tiny cases with exact answers, input errors, and brute force on random clusters."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.engine.consortium import (
    is_valid_team,
    nearest_capable_team,
    parse_tender,
    result_to_json,
    solve_team,
    team_cost,
)
from meute.engine.errors import EngineInputError


def tender(lots, firms, together=(), **weights):
    doc = {
        "format": "meute.tender/1",
        "site": {"x": 0, "y": 0},
        "radius_km": 45,
        "capacity_share": 0.3,
        "firm_cost": 15,
        "together_bonus": 0,
        "lots": [{"id": i, "trade": t, "amount": a, "cert": c} for i, t, a, c in lots],
        "firms": [
            {"id": i, "trades": tr, "x": x, "y": 0, "turnover": turnover, "certs": certs}
            for i, tr, x, turnover, certs in firms
        ],
        "together": [list(p) for p in together],
    }
    doc.update(weights)
    return parse_tender(doc)


TWO_LOTS = [("L1", "charpente", 20, None), ("L2", "couverture", 20, None)]


def checked(t, **kw):
    result = solve_team(t, **kw)
    assert result.team is not None
    assert is_valid_team(t, result.team.assignment) == []
    assert result.team.cost == pytest.approx(team_cost(t, result.team.assignment))
    return result


def test_the_cheapest_team_is_not_the_nearest_firms():
    # The nearest firms b and c cost 2 + 2 + 2 x 15 = 34; a alone does both lots for 8 + 8 + 15 = 31.
    t = tender(
        TWO_LOTS,
        [
            ("a", ["charpente", "couverture"], 8, 1000, []),
            ("b", ["charpente"], 2, 1000, []),
            ("c", ["couverture"], 2, 1000, []),
        ],
    )
    result = checked(t)
    assert result.team.assignment == {"L1": "a", "L2": "a"}
    assert result.team.cost == 31
    assert result.lower_bound == pytest.approx(31)
    assert result.gap == 0
    assert nearest_capable_team(t) == {"L1": "b", "L2": "c"}


def test_a_collaboration_bonus_changes_the_team():
    firms = [
        ("a", ["charpente", "couverture"], 8, 1000, []),
        ("b", ["charpente"], 2, 1000, []),
        ("c", ["couverture"], 2, 1000, []),
    ]
    t = tender(TWO_LOTS, firms, together=[("c", "b")], together_bonus=10)
    result = checked(t)
    assert result.team.assignment == {"L1": "b", "L2": "c"}
    assert result.team.cost == 24  # 34 - 10
    (choice_1, choice_2) = result.reasons
    assert choice_1.together_with == ("c",) and choice_2.together_with == ("b",)


def test_capacity_forces_a_split():
    # a is nearest and has both trades, but 0.3 x 100 = 30 holds one lot of 20, not two.
    firms = [
        ("a", ["charpente", "couverture"], 1, 100, []),
        ("b", ["charpente"], 10, 1000, []),
        ("c", ["couverture"], 12, 1000, []),
    ]
    result = checked(tender(TWO_LOTS, firms))
    assert result.team.assignment == {"L1": "b", "L2": "a"}
    assert result.team.cost == 41  # 10 + 1 + 2 x 15
    roomy = checked(tender(TWO_LOTS, [("a", ["charpente", "couverture"], 1, 1000, []), *firms[1:]]))
    assert roomy.team.assignment == {"L1": "a", "L2": "a"}


def test_the_certification_and_the_radius_are_hard_rules():
    lots = [("L1", "plomberie", 10, "RGE")]
    firms = [
        ("near", ["plomberie"], 1, 1000, []),
        ("far", ["plomberie"], 50, 1000, ["RGE"]),
        ("ok", ["plomberie"], 30, 1000, ["RGE"]),
    ]
    result = checked(tender(lots, firms))
    assert result.team.assignment == {"L1": "ok"}
    (choice,) = result.reasons
    assert choice.cert == "RGE" and choice.distance_km == 30
    assert {(x.firm, x.why) for x in choice.left_out} == {("near", "no_cert"), ("far", "too_far")}
    assert dict(choice.counts) == {"no_cert": 1, "too_far": 1}


@pytest.mark.parametrize(
    ("firm", "why"),
    [
        (("x", ["peinture"], 1, 1000, ["RGE"]), "no_trade"),
        (("x", ["plomberie"], 1, 1000, []), "no_cert"),
        (("x", ["plomberie"], 46, 1000, ["RGE"]), "too_far"),
        (("x", ["plomberie"], 1, 30, ["RGE"]), "too_small"),
    ],
)
def test_no_team_names_the_lot_and_why(firm, why):
    t = tender(
        [("L1", "charpente", 10, None), ("L2", "plomberie", 10, "RGE")],
        [("c", ["charpente"], 1, 1000, []), firm],
    )
    result = solve_team(t)
    assert result.team is None and result.lower_bound is None and result.gap is None
    assert [(g.lot, g.why) for g in result.gaps] == [("L2", why)]


def test_no_team_when_shared_firms_cannot_hold_every_lot():
    # Each lot has a capable firm, the same one, which can hold one lot but not both.
    t = tender(TWO_LOTS, [("a", ["charpente", "couverture"], 1, 100, [])])
    result = solve_team(t)
    assert result.team is None
    assert [(g.lot, g.why) for g in result.gaps] == [("L1", "capacity_together"), ("L2", "capacity_together")]


def test_alternatives_are_distinct_and_in_order_of_cost():
    firms = [
        ("a", ["charpente", "couverture"], 8, 1000, []),
        ("b", ["charpente"], 2, 1000, []),
        ("c", ["couverture"], 2, 1000, []),
    ]
    result = checked(tender(TWO_LOTS, firms), alternatives=5)
    teams = [result.team, *result.alternatives]
    # Every valid team: a+a 31, b+c 34, b+a 40, a+c 40: and no more.
    assert [t.cost for t in teams] == [31, 34, 40, 40]
    assert len({t.lots for t in teams}) == 4


def test_exclude_and_keep_re_solve_around_a_decline():
    firms = [
        ("a", ["charpente", "couverture"], 8, 1000, []),
        ("b", ["charpente"], 2, 1000, []),
        ("c", ["couverture"], 2, 1000, []),
        ("d", ["couverture"], 20, 1000, []),
    ]
    t = tender(TWO_LOTS, firms)
    # b accepted L1; a declined: L2 goes to the next best among the others.
    result = checked(t, exclude=["a"], keep=[("L1", "b")])
    assert result.team.assignment == {"L1": "b", "L2": "c"}
    result = checked(t, exclude=["a", "c"], keep=[("L1", "b")])
    assert result.team.assignment == {"L1": "b", "L2": "d"}
    assert is_valid_team(t, {"L1": "a", "L2": "a"}, exclude=["a"]) != []
    with pytest.raises(EngineInputError, match="keep: unknown firm 'zz'"):
        solve_team(t, keep=[("L1", "zz")])
    gone = solve_team(t, exclude=["a", "c", "d"])
    assert [(g.lot, g.why) for g in gone.gaps] == [("L2", "no_trade")]


def test_interchangeable_far_firms_are_pruned_without_losing_the_k_best():
    firms = [(f"f{d}", ["charpente"], d, 1000, []) for d in (9, 3, 7, 1, 5, 11)]
    t = tender([("L1", "charpente", 10, None)], firms)
    result = checked(t, alternatives=2)
    assert [team.assignment["L1"] for team in (result.team, *result.alternatives)] == ["f1", "f3", "f5"]
    assert [team.cost for team in (result.team, *result.alternatives)] == [16, 18, 20]
    assert result.eligible_pairs == 6


def test_the_checker_names_each_broken_rule():
    t = tender(TWO_LOTS, [("a", ["charpente", "couverture"], 1, 100, []), ("b", ["peinture"], 1, 1000, [])])
    assert is_valid_team(t, {"L1": "a"}) == ["lot 'L2' has no firm"]
    assert is_valid_team(t, {"L1": "a", "L2": "a"}) == ["firm 'a': lots of 40 exceed its capacity 30"]
    assert is_valid_team(t, {"L1": "b", "L2": "zz", "L9": "a"}) == [
        "unknown lot 'L9'",
        "lot 'L1': firm 'b' breaks the rule no_trade",
        "lot 'L2': unknown firm 'zz'",
    ]


def test_the_output_document_has_the_format_of_the_issue():
    firms = [("a", ["charpente", "couverture"], 8, 1000, []), ("b", ["charpente"], 2, 1000, [])]
    doc = result_to_json(checked(tender(TWO_LOTS, firms), alternatives=1))
    assert doc["format"] == "meute.team/1"
    assert doc["lots"] == {"L1": "a", "L2": "a"}
    assert doc["cost"] == 31 and doc["lower_bound"] == pytest.approx(31)
    assert doc["alternatives"] == [{"lots": {"L1": "b", "L2": "a"}, "cost": 40}]
    assert doc["reasons"]["L1"]["left_out"] == [{"firm": "b", "why": "costlier", "distance_km": 2.0}]


BASE = {
    "format": "meute.tender/1",
    "site": {"x": 0, "y": 0},
    "lots": [{"id": "L1", "trade": "t", "amount": 1}],
    "firms": [{"id": "f", "trades": ["t"], "x": 0, "y": 0, "turnover": 10}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "meute.tender/2"}, "format: expected 'meute.tender/1'"),
        ({"site": {"x": 0}}, "site.y: must be a number, got None"),
        ({"radius_km": 0}, "radius_km: must be positive"),
        ({"capacity_share": "a third"}, "capacity_share: must be a number"),
        ({"firm_cost": -1}, "firm_cost: must be at least 0"),
        ({"together_bonus": True}, "together_bonus: must be a number"),
        ({"lots": []}, "lots: must be a non-empty list"),
        ({"lots": [{"id": "L1", "trade": "t", "amount": "x"}]}, "lots[0].amount: must be a number, got 'x'"),
        ({"lots": [{"id": "L1", "trade": "t", "amount": 1}] * 2}, "lots[1].id: duplicate lot id 'L1'"),
        ({"lots": [{"id": "L1", "trade": "", "amount": 1}]}, "lots[0].trade: must be a non-empty string"),
        (
            {"lots": [{"id": "L1", "trade": "t", "amount": 1, "cert": 3}]},
            "lots[0].cert: must be a non-empty string",
        ),
        ({"firms": {"f": 1}}, "firms: must be a list"),
        (
            {"firms": [{"id": "f", "trades": "t", "x": 0, "y": 0, "turnover": 1}]},
            "firms[0].trades: must be a list",
        ),
        (
            {"firms": [{"id": "f", "trades": [], "x": float("nan"), "y": 0, "turnover": 1}]},
            "firms[0].x: must be a number",
        ),
        (
            {"firms": [{"id": "f", "trades": [], "x": 0, "y": 0, "turnover": -5}]},
            "firms[0].turnover: must be at least 0",
        ),
        ({"together": [["f", "g"]]}, "together[0][1]: unknown firm 'g'"),
        ({"together": [["f", "f"]]}, "together[0]: a firm cannot be paired with itself"),
        ({"together": [["f"]]}, "together[0]: must be a pair of firm ids"),
    ],
)
def test_bad_input_names_the_field(change, message):
    with pytest.raises(EngineInputError) as exc:
        parse_tender({**BASE, **change})
    assert message in str(exc.value)


def test_a_non_object_is_refused():
    with pytest.raises(EngineInputError, match="tender: must be an object"):
        parse_tender([1, 2])


# ---------------------------------------------------------------- brute force on random clusters

TRADES = ["a", "b", "c"]


def valid_by_hand(t, assignment):
    """The rules written again, independently of the engine's checker."""
    load = {}
    firms = {f.id: f for f in t.firms}
    for lot in t.lots:
        f = firms[assignment[lot.id]]
        if lot.trade not in f.trades or (lot.cert and lot.cert not in f.certs):
            return False
        if math.hypot(f.x - t.site_x, f.y - t.site_y) > t.radius_km + 1e-9:
            return False
        load[f.id] = load.get(f.id, 0) + lot.amount
    return all(load[i] <= t.capacity_share * firms[i].turnover + 1e-9 for i in load)


@st.composite
def clusters(draw):
    n_lots = draw(st.integers(1, 3))
    n_firms = draw(st.integers(1, 7))  # enough interchangeable firms for the pruning to act
    lots = [
        (
            f"L{i}",
            draw(st.sampled_from(TRADES)),
            draw(st.integers(0, 30)),
            draw(st.sampled_from([None, "RGE"])),
        )
        for i in range(n_lots)
    ]
    firms = [
        (
            f"f{j}",
            draw(st.lists(st.sampled_from(TRADES), min_size=1, max_size=3, unique=True)),
            draw(st.integers(0, 50)),
            draw(st.integers(0, 200)),
            draw(st.sampled_from([[], ["RGE"]])),
        )
        for j in range(n_firms)
    ]
    ids = [f[0] for f in firms]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4))
    together = {(min(a, b), max(a, b)) for a, b in pairs if a != b}
    return tender(
        lots,
        firms,
        together=sorted(together),
        firm_cost=draw(st.sampled_from([0, 5, 15])),
        together_bonus=draw(st.sampled_from([0, 10, 30])),
    )


@settings(max_examples=150, deadline=None)
@given(clusters(), st.integers(0, 4))
def test_the_solver_matches_brute_force_and_the_checker_agrees(t, k):
    every = []
    for firms in itertools.product([f.id for f in t.firms], repeat=len(t.lots)):
        assignment = dict(zip([lot.id for lot in t.lots], firms, strict=True))
        ok = valid_by_hand(t, assignment)
        assert (is_valid_team(t, assignment) == []) == ok
        if ok:
            every.append(team_cost(t, assignment))
    every.sort()
    result = solve_team(t, alternatives=k)
    if not every:
        assert result.team is None and result.gaps
        return
    assert result.team is not None
    teams = [result.team, *result.alternatives]
    for team in teams:
        assert is_valid_team(t, team.assignment) == []
    assert len({team.lots for team in teams}) == len(teams)  # distinct
    assert len(result.alternatives) == min(k, len(every) - 1)
    assert [team.cost for team in teams] == pytest.approx(every[: len(teams)], abs=1e-6)  # k best, in order
    assert result.lower_bound <= result.team.cost + 1e-6
    assert result.gap == pytest.approx(0, abs=1e-6)
