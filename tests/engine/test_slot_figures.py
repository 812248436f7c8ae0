"""The booked-meeting checker and figures on tiny instances computed by hand.

Each expected number is worked out in the comments from the definitions
(docs/algorithms/slots.md), not read back from the code: a wrong formula, a
dropped term, an off-by-one or a rule that is no longer checked fails here.
"""

from __future__ import annotations

import pytest

from meute.engine.slots import Meeting, Placement, SlotPlan, SlotsInstance, parse_instance
from meute.engine.slots.checker import gaps, idle_gaps, is_valid_plan, lp_bound, plan_figures, slot_mask


def instance(
    slots: int, tables: int, available: dict[str, list[int]], meetings: list[tuple]
) -> SlotsInstance:
    """A slots instance from {person: available slots} and [(a, b) or (a, b, priority)], ids m1, m2, ..."""
    rows = []
    for k, m in enumerate(meetings):
        row = {"id": f"m{k + 1}", "between": [m[0], m[1]]}
        if len(m) > 2:
            row["priority"] = m[2]
        rows.append(row)
    return parse_instance(
        {
            "format": "meute.slots-instance/1",
            "slots": slots,
            "tables": tables,
            "participants": [{"id": p, "available": av} for p, av in available.items()],
            "meetings": rows,
        }
    )


def plan(*placed: tuple[str, object, object]) -> SlotPlan:
    return SlotPlan(tuple(Placement(m, s, t) for m, s, t in placed))  # type: ignore[arg-type]


# A five-slot day (slots 0..4, one table). a is free all day; b is away in slots 2 and 4;
# c comes for slots 0, 2 and 4; d for slot 3 only; e all day but meets nobody.
# m1 a-b (1), m2 a-c (2), m3 b-d (3), m4 c-e (5, left out of the plan below).
DAY = instance(
    5,
    1,
    {"a": [0, 1, 2, 3, 4], "b": [0, 1, 3], "c": [0, 2, 4], "d": [3], "e": [0, 1, 2, 3, 4]},
    [("a", "b", 1), ("a", "c", 2), ("b", "d", 3), ("c", "e", 5)],
)
DAY_PLAN = plan(("m1", 0, 0), ("m2", 4, 0), ("m3", 3, 0))

TRIANGLE = instance(2, 5, {"a": [0, 1], "b": [0, 1], "c": [0, 1]}, [("a", "b"), ("b", "c"), ("a", "c")])


# gaps and slot_mask


@pytest.mark.parametrize(
    ("busy", "avail", "expected"),
    [
        (0b10100, 0b11111, 1),  # meetings in slots 2 and 4: slot 3 is the one gap
        (0b10001, 0b11111, 3),  # slots 0 and 4: slots 1, 2 and 3 idle
        (0b10001, 0b10101, 1),  # the same, away in slots 1 and 3: only slot 2 is a gap
        (0b00100, 0b11111, 0),  # one meeting: nothing between a first and a last
        (0b01010, 0b11111, 1),  # slots 1 and 3: slot 2; slots 0 and 4 lie outside the day's span
        (0b00011, 0b11111, 0),  # back to back
        (0b00000, 0b11111, 0),  # no meeting at all
        ((1 << 70) | 1, (1 << 71) - 1, 69),  # a day longer than 64 slots: no word-size limit
    ],
)
def test_gaps_counts_the_free_available_slots_between_the_first_and_last_meeting(
    busy: int, avail: int, expected: int
) -> None:
    assert gaps(busy, avail) == expected


def test_slot_mask_sets_one_bit_per_slot() -> None:
    assert slot_mask({0, 2, 4}) == 0b10101
    assert slot_mask(frozenset({3})) == 0b1000
    assert slot_mask(set()) == 0


# idle_gaps


def test_idle_gaps_of_a_five_slot_day_total_four() -> None:
    assert is_valid_plan(DAY, DAY_PLAN) == []
    # a: meetings in slots 0 and 4, free all day: slots 1, 2, 3 idle = 3
    # b: meetings in 0 and 3, away in 2: slot 1 idle = 1
    # c: one meeting (slot 4) = 0; d: one meeting (slot 3) = 0; e: no meeting = 0
    assert idle_gaps(DAY, DAY_PLAN) == 4


def test_idle_gaps_of_a_compact_plan_is_zero_and_of_an_empty_plan_too() -> None:
    compact = plan(("m1", 0, 0), ("m2", 2, 0), ("m3", 3, 0))
    # a: 0 and 2 with 1 free = 1; b: 0 and 3, slot 1 free (2 away) = 1: still 2 in all
    assert idle_gaps(DAY, compact) == 2
    tight = plan(("m1", 1, 0), ("m2", 2, 0), ("m3", 3, 0))
    # a: 1 and 2 = 0; b: 1 and 3, away in 2 = 0
    assert idle_gaps(DAY, tight) == 0
    assert idle_gaps(DAY, SlotPlan(())) == 0


# plan_figures


def test_plan_figures_of_the_five_slot_day() -> None:
    fig = plan_figures(DAY, DAY_PLAN)
    assert fig["meetings"] == 4
    assert fig["placed"] == 3
    assert fig["priority_placed"] == 1 + 2 + 3
    assert fig["priority_total"] == 1 + 2 + 3 + 5
    assert fig["idle_gaps"] == 4
    # All four fit on one table: m3 in 3 (d's only slot), m1 in 0 or 1, m2 and m4 in 2 and 4
    # (c's slots, one meeting of c each): the bound is every priority, 11.
    assert fig["priority_bound_lp"] == 11.0
    assert fig["priority_ratio_lp"] == round(6 / 11, 4) == 0.5455


def test_priority_ratio_lp_is_two_thirds_on_a_triangle() -> None:
    # Two slots: two of the three meetings fit (each person meets at most once a slot, and the
    # third pair would need a slot where both are free); the LP places each half in each slot: 3.
    two = plan(("m1", 0, 0), ("m2", 1, 0))
    assert is_valid_plan(TRIANGLE, two) == []
    fig = plan_figures(TRIANGLE, two)
    assert fig["priority_bound_lp"] == 3.0
    assert fig["priority_ratio_lp"] == round(2 / 3, 4) == 0.6667


def test_priority_ratio_lp_is_one_when_the_bound_is_zero() -> None:
    # a and b share no slot: nothing can be placed, the bound is 0 and nothing is missed.
    apart = instance(2, 1, {"a": [0], "b": [1]}, [("a", "b", 4)])
    fig = plan_figures(apart, SlotPlan(()))
    assert (fig["priority_bound_lp"], fig["priority_ratio_lp"]) == (0.0, 1.0)
    # Meetings of priority 0 only: a bound of 0 too.
    nil = instance(1, 1, {"a": [0], "b": [0]}, [("a", "b", 0)])
    fig = plan_figures(nil, plan(("m1", 0, 0)))
    assert (fig["priority_placed"], fig["priority_ratio_lp"]) == (0, 1.0)


def test_plan_figures_without_the_lp_leave_its_figures_out() -> None:
    fig = plan_figures(DAY, DAY_PLAN, with_lp=False)
    assert fig == {"meetings": 4, "placed": 3, "priority_placed": 6, "priority_total": 11, "idle_gaps": 4}


# lp_bound


def test_lp_bound_places_a_meeting_once_however_many_slots_it_could_take() -> None:
    assert lp_bound(instance(3, 2, {"a": [0, 1, 2], "b": [0, 1, 2]}, [("a", "b", 2)])) == pytest.approx(2.0)


def test_lp_bound_counts_only_slots_both_people_share() -> None:
    assert lp_bound(instance(2, 1, {"a": [0], "b": [1]}, [("a", "b")])) == 0.0
    assert lp_bound(instance(2, 1, {"a": [0, 1], "b": [1]}, [("a", "b")])) == pytest.approx(1.0)


def test_lp_bound_seats_no_more_meetings_in_a_slot_than_there_are_tables() -> None:
    people = {x: [0] for x in "abcdef"}
    pairs = [("a", "b", 1), ("c", "d", 3), ("e", "f", 2)]
    # One slot: one table keeps the best (3), two tables 3 + 2, three tables all (6).
    assert lp_bound(instance(1, 1, people, pairs)) == pytest.approx(3.0)
    assert lp_bound(instance(1, 2, people, pairs)) == pytest.approx(5.0)
    assert lp_bound(instance(1, 3, people, pairs)) == pytest.approx(6.0)


def test_lp_bound_lets_a_person_meet_once_a_slot() -> None:
    # a is asked by b (2) and c (3) and d (1), one slot, tables for all: a meets one of them.
    one = instance(1, 5, {x: [0] for x in "abcd"}, [("a", "b", 2), ("a", "c", 3), ("a", "d", 1)])
    assert lp_bound(one) == pytest.approx(3.0)
    # Two slots: a meets two of them, the best two (3 + 2); b, c and d may meet once a slot each.
    two = instance(2, 5, {x: [0, 1] for x in "abcd"}, [("a", "b", 2), ("a", "c", 3), ("a", "d", 1)])
    assert lp_bound(two) == pytest.approx(5.0)


def test_lp_bound_keeps_each_person_and_slot_apart() -> None:
    # b and c are busy in different slots: b only in slot 0, c only in slot 1, both asked by a.
    # a can meet b in 0 and c in 1: 2 + 3 = 5; a person-slot row shared by mistake would allow less.
    inst = instance(2, 1, {"a": [0, 1], "b": [0], "c": [1]}, [("a", "b", 2), ("a", "c", 3)])
    assert lp_bound(inst) == pytest.approx(5.0)
    # The same with the last participant's last slot in play: d meets e in slot 1 only, one table
    # a slot: slot 1 holds a-c (3) or d-e (4), slot 0 a-b (2): 2 + 4 = 6.
    five = instance(
        2,
        1,
        {"a": [0, 1], "b": [0], "c": [1], "d": [1], "e": [1]},
        [("a", "b", 2), ("a", "c", 3), ("d", "e", 4)],
    )
    assert lp_bound(five) == pytest.approx(6.0)


# is_valid_plan, rule by rule


def test_a_valid_plan_has_no_error() -> None:
    assert is_valid_plan(DAY, DAY_PLAN) == []
    assert is_valid_plan(DAY, SlotPlan(())) == []


def test_a_meeting_placed_twice_is_reported_once_and_its_second_seat_not_judged() -> None:
    twice = plan(("m1", 0, 0), ("m1", 9, 9))
    assert is_valid_plan(DAY, twice) == ["meeting m1 placed twice"]


def test_an_unknown_meeting_is_reported_and_the_others_still_judged() -> None:
    assert is_valid_plan(DAY, plan(("m9", 0, 0), ("m1", 2, 0))) == [
        "unknown meeting 'm9'",
        "meeting m1: b is not available in slot 2",
    ]


@pytest.mark.parametrize("slot", [-1, 5, 6, 2.0, "0", None, True])
def test_a_slot_out_of_range_or_not_an_integer_is_reported_and_nothing_else(slot: object) -> None:
    # slot 5 is one past the last of a five-slot day; True is no slot number, though Python counts it as 1
    assert is_valid_plan(DAY, plan(("m1", slot, 0))) == [f"meeting m1: slot {slot!r} out of range"]


@pytest.mark.parametrize("table", [-1, 1, 1.0, "0", None, False])
def test_a_table_out_of_range_or_not_an_integer_is_reported(table: object) -> None:
    # one table: table 1 is one past the last
    assert is_valid_plan(DAY, plan(("m1", 0, table))) == [f"meeting m1: table {table!r} out of range"]


def test_the_last_slot_and_the_last_table_are_in_range() -> None:
    two_tables = instance(5, 2, {"a": [4], "b": [4]}, [("a", "b")])
    assert is_valid_plan(two_tables, plan(("m1", 4, 1))) == []


def test_two_meetings_at_one_table_in_one_slot_are_reported() -> None:
    inst = instance(2, 2, {x: [0, 1] for x in "abcd"}, [("a", "b"), ("c", "d")])
    assert is_valid_plan(inst, plan(("m1", 0, 1), ("m2", 0, 1))) == ["slot 0 table 1 holds two meetings"]
    # the same table in another slot, or another table in the same slot, is fine
    assert is_valid_plan(inst, plan(("m1", 0, 1), ("m2", 1, 1))) == []
    assert is_valid_plan(inst, plan(("m1", 0, 0), ("m2", 0, 1))) == []


def test_a_person_in_two_meetings_of_one_slot_is_reported_for_each_side() -> None:
    inst = instance(2, 3, {x: [0, 1] for x in "abc"}, [("a", "b"), ("a", "c"), ("b", "c")])
    assert is_valid_plan(inst, plan(("m1", 0, 0), ("m2", 0, 1))) == ["a has two meetings in slot 0"]
    assert is_valid_plan(inst, plan(("m1", 0, 0), ("m3", 0, 1))) == ["b has two meetings in slot 0"]
    assert is_valid_plan(inst, plan(("m2", 1, 0), ("m3", 1, 2))) == ["c has two meetings in slot 1"]
    assert is_valid_plan(inst, plan(("m1", 0, 0), ("m2", 1, 0), ("m3", 1, 1))) == [
        "c has two meetings in slot 1"
    ]


def test_a_person_away_in_the_slot_is_reported_whichever_side_they_are() -> None:
    # m1 is a-b: a is free all day, b away in slots 2 and 4; m2 a-c: c away in 1 and 3.
    assert is_valid_plan(DAY, plan(("m1", 2, 0))) == ["meeting m1: b is not available in slot 2"]
    assert is_valid_plan(DAY, plan(("m2", 3, 0))) == ["meeting m2: c is not available in slot 3"]
    away_first = instance(2, 1, {"a": [1], "b": [0, 1]}, [("a", "b")])
    assert is_valid_plan(away_first, plan(("m1", 0, 0))) == ["meeting m1: a is not available in slot 0"]


def test_every_broken_rule_of_one_placement_is_reported() -> None:
    inst = SlotsInstance(
        slots=2,
        tables=1,
        participants=("a", "b", "c"),
        available=(frozenset({0}), frozenset({0}), frozenset({1})),
        meetings=(Meeting("m1", 0, 1), Meeting("m2", 0, 2)),
    )
    # m2 in slot 0 at m1's table: the table is taken, a meets twice, c is away
    assert is_valid_plan(inst, plan(("m1", 0, 0), ("m2", 0, 0))) == [
        "slot 0 table 0 holds two meetings",
        "a has two meetings in slot 0",
        "meeting m2: c is not available in slot 0",
    ]


# Found by mutation testing


def test_idle_gaps_count_the_second_person_of_each_meeting_too() -> None:
    # z is the second person of both meetings (a-z in slot 1, b-z in slot 4): slots 2 and 3 idle
    inst = instance(5, 1, {"a": [1], "b": [4], "z": [0, 1, 2, 3, 4]}, [("a", "z"), ("b", "z")])
    assert idle_gaps(inst, plan(("m1", 1, 0), ("m2", 4, 0))) == 2


def test_one_slot_triangle_has_a_half_integral_bound_kept_to_one_decimal() -> None:
    # one slot, tables for all: each person meets once, so x = 1/2 on each of the three pairs: 1.5
    # (a cap of `tables` on the person-slot rows would let all three be placed: 3)
    inst = instance(1, 5, {x: [0] for x in "abc"}, [("a", "b"), ("b", "c"), ("a", "c")])
    assert lp_bound(inst) == pytest.approx(1.5)
    fig = plan_figures(inst, plan(("m1", 0, 0)))
    assert fig["priority_bound_lp"] == 1.5  # not rounded to a whole number
    assert fig["priority_ratio_lp"] == 0.6667


def test_a_broken_placement_does_not_stop_the_checks_of_the_next_ones() -> None:
    # each kind of broken placement, then a placement with a person away: both are reported
    for broken, message in [
        (("m1", 0, 0), "meeting m1 placed twice"),
        (("m3", 9, 0), "meeting m3: slot 9 out of range"),
        (("m3", 3, 4), "meeting m3: table 4 out of range"),
    ]:
        errors = is_valid_plan(DAY, plan(("m1", 0, 0), broken, ("m2", 1, 0)))
        assert errors == [message, "meeting m2: c is not available in slot 1"], broken
