"""Booked meetings: tiny cases with exact answers, the checker, the LP bound, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.engine.errors import EngineInputError
from meute.engine.slots import (
    Placement,
    SlotPlan,
    idle_gaps,
    is_valid_plan,
    lp_bound,
    parse_instance,
    plan_figures,
    plan_meetings,
)


def instance(slots: int, tables: int, available: dict[str, list[int]], meetings: list[tuple], **extra):
    """A slots instance from {person: available slots} and [(a, b) or (a, b, priority)]."""
    rows = []
    for k, m in enumerate(meetings):
        row = {"id": f"m{k + 1}", "between": [m[0], m[1]]}
        if len(m) > 2:
            row["priority"] = m[2]
        rows.append(row)
    data = {
        "format": "meute.slots-instance/1",
        "slots": slots,
        "tables": tables,
        "participants": [{"id": p, "available": av} for p, av in available.items()],
        "meetings": rows,
        **extra,
    }
    return parse_instance(data)


def placed_ids(plan: SlotPlan) -> set[str]:
    return {p.meeting for p in plan.placed}


def test_three_people_all_pairs_in_two_slots_place_exactly_two():
    inst = instance(2, 5, {"a": [0, 1], "b": [0, 1], "c": [0, 1]}, [("a", "b"), ("b", "c"), ("a", "c")])
    plan = plan_meetings(inst)
    assert is_valid_plan(inst, plan) == []
    assert len(plan.placed) == 2


def test_a_meeting_without_a_common_slot_is_never_placed():
    inst = instance(3, 2, {"a": [0], "b": [1, 2], "c": [0, 2]}, [("a", "b"), ("b", "c"), ("a", "c")])
    plan = plan_meetings(inst)
    assert is_valid_plan(inst, plan) == []
    assert placed_ids(plan) == {"m2", "m3"}


def test_one_table_keeps_the_higher_priority_meeting():
    inst = instance(1, 1, {x: [0] for x in "abcd"}, [("a", "b", 1), ("c", "d", 3)])
    plan = plan_meetings(inst)
    assert placed_ids(plan) == {"m2"}
    assert plan.placed[0].table == 0


def test_one_high_priority_meeting_gives_way_to_two_that_weigh_more():
    # a-b (3) blocks both a-c (2) and b-d (2) in the only slot where they fit.
    inst = instance(
        2, 3, {"a": [0], "b": [0], "c": [0, 1], "d": [0, 1]}, [("a", "b", 3), ("a", "c", 2), ("b", "d", 2)]
    )
    plan = plan_meetings(inst)
    assert placed_ids(plan) == {"m2", "m3"}


def test_a_chain_of_moves_makes_room():
    # The first greedy choice for a-b may take slot 1, the only slot of b-c.
    inst = instance(2, 2, {"a": [0, 1], "b": [0, 1], "c": [1]}, [("a", "b"), ("b", "c")])
    for seed in range(5):
        plan = plan_meetings(inst, seed=seed)
        assert len(plan.placed) == 2
        assert is_valid_plan(inst, plan) == []


def test_a_busy_day_is_compacted_without_idle_gaps():
    inst = instance(6, 3, {x: list(range(6)) for x in "abcd"}, [("a", "b"), ("a", "c"), ("a", "d")])
    plan = plan_meetings(inst)
    assert len(plan.placed) == 3
    assert idle_gaps(inst, plan) == 0


def test_same_seed_same_plan():
    inst = instance(4, 2, {x: [0, 1, 2, 3] for x in "abcdef"}, [(x, y) for x in "abc" for y in "def"])
    assert plan_meetings(inst, seed=7) == plan_meetings(inst, seed=7)


def test_the_checker_names_each_broken_rule():
    inst = instance(2, 1, {"a": [0], "b": [0, 1], "c": [0, 1]}, [("a", "b"), ("b", "c"), ("a", "c")])
    bad = SlotPlan(
        (
            Placement("m1", 0, 0),
            Placement("m2", 0, 0),  # same table, and b twice in slot 0
            Placement("m3", 1, 0),  # a is not available in slot 1
            Placement("m9", 0, 0),
            Placement("m1", 1, 0),
        )
    )
    errors = " | ".join(is_valid_plan(inst, bad))
    assert "slot 0 table 0 holds two meetings" in errors
    assert "b has two meetings in slot 0" in errors
    assert "a is not available in slot 1" in errors
    assert "unknown meeting 'm9'" in errors
    assert "m1 placed twice" in errors
    assert is_valid_plan(inst, SlotPlan((Placement("m1", 0, 1),))) == ["meeting m1: table 1 out of range"]


def test_lp_bound_of_the_triangle_is_fractional():
    inst = instance(2, 5, {"a": [0, 1], "b": [0, 1], "c": [0, 1]}, [("a", "b"), ("b", "c"), ("a", "c")])
    assert lp_bound(inst) == pytest.approx(3.0)


def test_plan_figures():
    inst = instance(2, 5, {"a": [0, 1], "b": [0, 1], "c": [0, 1]}, [("a", "b", 2), ("b", "c"), ("a", "c")])
    f = plan_figures(inst, plan_meetings(inst))
    assert f["placed"] == 2 and f["priority_placed"] == 3 and f["priority_total"] == 4
    assert f["priority_bound_lp"] == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "meute.slots/2"}, "format"),
        ({"slots": -1}, "slots: must be >= 1"),
        ({"tables": 1.5}, "tables: expected an integer"),
        (
            {"participants": [{"id": "a", "available": [0]}, {"id": "a", "available": [0]}]},
            "duplicate id 'a'",
        ),
        (
            {"participants": [{"id": "a", "available": [0, 9]}]},
            "participant a: available slot 9 out of range",
        ),
        ({"meetings": [{"id": "m1", "between": ["a", "zz"]}]}, "meeting m1: unknown participant 'zz'"),
        (
            {"meetings": [{"id": "m1", "between": ["a", "b"], "priority": -2}]},
            "meeting m1: priority: must be >= 0",
        ),
        (
            {"meetings": [{"id": "m1", "between": ["a", "b"]}, {"id": "m1", "between": ["a", "b"]}]},
            "meetings: duplicate id 'm1'",
        ),
    ],
)
def test_bad_instances_are_refused_with_the_field_named(change, message):
    data = {
        "format": "meute.slots-instance/1",
        "slots": 2,
        "tables": 1,
        "participants": [{"id": "a", "available": [0]}, {"id": "b", "available": [0, 1]}],
        "meetings": [],
        **change,
    }
    with pytest.raises(EngineInputError, match=message):
        parse_instance(data)


@st.composite
def instances(draw):
    slots = draw(st.integers(1, 6))
    tables = draw(st.integers(1, 4))
    n = draw(st.integers(2, 8))
    people = [f"p{i}" for i in range(n)]
    available = {p: sorted(draw(st.sets(st.integers(0, slots - 1)))) for p in people}
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=14))
    meetings = [(a, b, draw(st.integers(0, 3))) for a, b in chosen]
    return instance(slots, tables, available, meetings)


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(0, 3))
def test_no_instance_yields_an_invalid_plan_or_beats_the_bound(inst, seed):
    plan = plan_meetings(inst, seed=seed)
    assert is_valid_plan(inst, plan) == []
    priority = sum(m.priority for m in inst.meetings if m.id in placed_ids(plan))
    assert priority <= lp_bound(inst) + 1e-6
    # No meeting that could still be added as it stands is left out.
    busy = {(m.a, p.slot) for p in plan.placed for m in inst.meetings if m.id == p.meeting}
    busy |= {(m.b, p.slot) for p in plan.placed for m in inst.meetings if m.id == p.meeting}
    count = {s: sum(1 for p in plan.placed if p.slot == s) for s in range(inst.slots)}
    for m in inst.meetings:
        if m.id in placed_ids(plan):
            continue
        for s in inst.available[m.a] & inst.available[m.b]:
            assert not ((m.a, s) not in busy and (m.b, s) not in busy and count[s] < inst.tables), m.id


@given(st.integers(min_value=0, max_value=2**40))
def test_the_solver_walks_the_slots_of_a_mask_lowest_first(mask: int) -> None:
    from meute.engine.slots.solver import _bits

    assert list(_bits(mask)) == [s for s in range(41) if mask >> s & 1]
