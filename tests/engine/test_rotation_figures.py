"""The rotation checkers and figures on tiny instances computed by hand.

Each expected number below is worked out in the comments, from the referee's
definitions (docs/formats.md), not read back from the code: a wrong formula,
a dropped term or an off-by-one fails here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from meute.engine.rotations.bounds import Bound
from meute.engine.rotations.checker import (
    conflict_matrix,
    is_valid_replan,
    is_valid_schedule,
    is_valid_tables,
    person_shares,
    person_utilities,
    rule_breaks,
    schedule_figures,
    worst_served,
)
from tests.engine.instances import make, uniform

# Five people, three rounds, one-to-one. Best 3 weights of each row (own_bound):
# p1: 6+2+1 = 9, p2: 6+4+3 = 13, p3: 5+3+2 = 10, p4: 5+2+1 = 8, p5: 4+2+1 = 7.
FIVE = [
    [0, 6, 2, 1, 0],
    [6, 0, 3, 0, 4],
    [2, 3, 0, 5, 1],
    [1, 0, 5, 0, 2],
    [0, 4, 1, 2, 0],
]
# p5 rests in round 1, p4 in round 2; p1-p2 and p3-p4 meet twice; round 3 has the one table of three.
FIVE_ROUNDS = [[[0, 1], [2, 3]], [[0, 1], [2, 4]], [[1, 4], [0, 2, 3]]]


def test_schedule_figures_of_a_hand_computed_schedule() -> None:
    inst = make(FIVE, 3, requested=((0, 1), (1, 3)))
    assert is_valid_schedule(inst, FIVE_ROUNDS) == []
    fig = schedule_figures(inst, FIVE_ROUNDS)
    # distinct pairs: 1-2 (6), 3-4 (5), 3-5 (1), 2-5 (4), 1-3 (2), 1-4 (1): total 19
    assert fig["total_relevance"] == 19
    assert fig["distinct_meetings"] == 6
    assert fig["repeat_meetings"] == 2  # 1-2 and 3-4 once more each
    # utilities: p1 6+2+1 = 9, p2 6+4 = 10, p3 5+1+2 = 8, p4 5+1 = 6, p5 1+4 = 5
    assert person_utilities(inst, FIVE_ROUNDS).tolist() == [9, 10, 8, 6, 5]
    # shares: 9/9, 10/13, 8/10, 6/8, 5/7: the worst is p5's 5/7 = 0.714285...
    assert person_shares(inst, FIVE_ROUNDS).tolist() == pytest.approx([1.0, 10 / 13, 0.8, 0.75, 5 / 7])
    assert fig["worst_share"] == 0.7143
    assert fig["p10_share"] == 0.7143  # 5 shares: the 10th percentile is the lowest
    assert (fig["requested_met"], fig["requested_total"]) == (1, 2)  # 1-2 met, 2-4 not
    assert fig["max_rests"] == 1
    assert (fig["participants"], fig["rounds"]) == (5, 3)
    assert not {"bound", "ratio_bound", "ratio_lp", "fair_bound", "worst_over_fair"} & fig.keys()
    assert worst_served(inst, FIVE_ROUNDS) == (4, pytest.approx(5 / 7))


def test_ratio_lp_and_worst_over_fair_are_the_figures_over_their_bounds() -> None:
    inst = make(FIVE, 3)
    fig = schedule_figures(inst, FIVE_ROUNDS, bound=Bound(25.04, "lp"), fair=0.9)
    assert fig["bound"] == 25.0
    assert fig["bound_method"] == "lp"
    assert fig["ratio_bound"] == fig["ratio_lp"] == 0.7588  # 19 / 25.04 = 0.75878...
    assert fig["fair_bound"] == 0.9
    assert fig["worst_over_fair"] == 0.7937  # 0.7143 / 0.9 = 0.79366...

    greedy = schedule_figures(inst, FIVE_ROUNDS, bound=Bound(38.0, "greedy"), fair=0.71428)
    assert greedy["ratio_bound"] == 0.5  # 19 / 38
    assert "ratio_lp" not in greedy  # only an LP bound gives ratio_lp
    assert greedy["fair_bound"] == 0.7143
    assert greedy["worst_over_fair"] == 1.0  # 0.7143 / 0.71428 = 1.00003, rounded

    nothing = schedule_figures(inst, FIVE_ROUNDS, bound=Bound(0.0, "lp"), fair=0.0)
    assert nothing["ratio_bound"] == nothing["ratio_lp"] == 1.0
    assert nothing["worst_over_fair"] == 1.0


def test_the_tenth_percentile_share_is_the_second_lowest_of_ten() -> None:
    # Ten people, one round: own_bound is each row's largest weight, 10, except p2's (5).
    w = np.full((10, 10), 10)
    w[1, :] = w[:, 1] = 5
    w[0, 1] = w[1, 0] = 1
    w[2, 3] = w[3, 2] = 3
    np.fill_diagonal(w, 0)
    inst = make(w, 1)
    rounds = [[[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]]
    # shares: p1 1/10, p2 1/5, p3 and p4 3/10, the others 10/10
    fig = schedule_figures(inst, rounds)
    assert fig["worst_share"] == 0.1
    assert fig["p10_share"] == 0.2  # sorted shares [0.1, 0.2, 0.3, ...][10 // 10]
    assert fig["total_relevance"] == 1 + 3 + 30
    assert fig["max_rests"] == 0


def test_figures_of_nobody_served_and_of_nobody_at_all() -> None:
    inst = make(np.zeros((3, 3)), 2)
    rounds = [[[0, 1]], [[1, 2]]]
    fig = schedule_figures(inst, rounds)
    assert fig["worst_share"] == fig["p10_share"] == 1.0  # nobody has anyone worth meeting
    assert fig["max_rests"] == 1  # p3 in round 1, p1 in round 2
    assert np.isnan(person_shares(inst, rounds)).all()
    assert worst_served(inst, rounds) is None

    empty = make(np.zeros((0, 0)), 1)
    assert schedule_figures(empty, [])["max_rests"] == 0


def test_max_rests_counts_the_rounds_of_the_schedule() -> None:
    inst = uniform(4, 3)
    # p4 rests in rounds 1 and 3, p3 in round 3
    fig = schedule_figures(inst, [[[0, 1, 2]], [[0, 3], [1, 2]], [[0, 1]]])
    assert fig["max_rests"] == 2


def test_worst_served_takes_the_lowest_index_among_equals() -> None:
    inst = uniform(4, 1)
    assert worst_served(inst, [[[0, 1]]]) == (2, 0.0)  # p3 and p4 rest: share 0
    assert worst_served(inst, [[[0, 1], [2, 3]]]) == (0, 1.0)


# ------------------------------------------------------------------ the rest rule


def test_a_second_rest_while_someone_never_rested_is_flagged() -> None:
    inst = uniform(5, 5)
    # rounds 1 to 4: p1, p2, p3, p4 rest once each; p5 never.
    rounds = [
        [[1, 2], [3, 4]],
        [[0, 2], [3, 4]],
        [[0, 1], [3, 4]],
        [[0, 1], [2, 4]],
    ]
    assert is_valid_schedule(inst, rounds) == []
    # round 5: p1 rests a second time while p5 has not rested yet
    assert is_valid_schedule(inst, [*rounds, [[1, 2], [3, 4]]]) == [
        "round 5: p1 rests again before everyone has rested as often"
    ]
    # p5 resting in round 5 is the fair choice
    assert is_valid_schedule(inst, [*rounds, [[0, 1], [2, 3]]]) == []
    assert is_valid_schedule(inst, [*rounds, [[1, 2], [3, 4]]], check_rests=False) == []


def test_two_resting_together_twice_while_a_third_never_rested() -> None:
    inst = uniform(6, 3)
    # p1 and p2 rest in round 1, then again in round 2 while p3..p6 never did: both flagged
    rounds = [[[2, 3], [4, 5]], [[2, 4], [3, 5]]]
    assert is_valid_schedule(inst, rounds) == [
        "round 2: p1 rests again before everyone has rested as often",
        "round 2: p2 rests again before everyone has rested as often",
    ]


def test_the_rest_rule_with_two_people_and_with_one() -> None:
    pair = uniform(2, 2)
    # a lone seat is a broken table, and then p2 rests twice while p1 never rested
    assert is_valid_schedule(pair, [[[0]], [[0]]]) == [
        "round 1: table of 1 in one-to-one mode",
        "round 2: table of 1 in one-to-one mode",
        "round 2: p2 rests again before everyone has rested as often",
    ]
    assert is_valid_schedule(pair, [[], []]) == []  # both rest together, again and again
    alone = uniform(1, 2)
    assert is_valid_schedule(alone, [[], []]) == []


# ------------------------------------------------------------------ indexes out of range


@pytest.mark.parametrize("bad", [5, -1, 2.0, "p1", None])
def test_an_unknown_index_is_reported_by_the_schedule_checker_not_raised(bad: object) -> None:
    inst = uniform(5, 1)
    errors = is_valid_schedule(inst, [[[0, bad], [1, 2], [3, 4]]])  # type: ignore[list-item]
    assert errors == [f"round 1: unknown participant index {bad!r}"]


def test_an_index_equal_to_the_count_is_unknown_and_the_last_one_known() -> None:
    inst = uniform(4, 1)
    assert is_valid_schedule(inst, [[[0, 1], [2, 4]]], check_rests=False) == [
        "round 1: unknown participant index 4"
    ]
    assert is_valid_schedule(inst, [[[0, 1], [2, np.int64(3)]]]) == []


@pytest.mark.parametrize("bad", [6, -1, 1.5, "x"])
def test_an_unknown_index_is_reported_by_the_tables_checker_not_raised(bad: object) -> None:
    inst = uniform(6, 1, table_size=3)
    assert is_valid_tables(inst, [[[0, 1, bad], [2, 3], [4, 5]]]) == [  # type: ignore[list-item]
        f"round 1: unknown participant {bad!r}"
    ]


def test_the_tables_checker_at_the_edge_of_the_indexes() -> None:
    inst = uniform(4, 1, table_size=4)
    assert is_valid_tables(inst, [[[0, 1, 2, np.int64(3)]]]) == []
    assert is_valid_tables(inst, [[[0, 1, 2, 4]]]) == ["round 1: unknown participant 4"]


@pytest.mark.parametrize("bad", [9, -1])
def test_an_unknown_index_in_a_replan_is_reported_not_raised(bad: int) -> None:
    inst = uniform(4, 2)
    planned = [[[0, 1], [2, 3]], [[0, 2], [1, 3]]]
    errors = is_valid_replan(inst, planned, [[[0, 1], [2, 3]], [[0, 2], [1, bad]]], from_round=2)
    assert f"round 2: unknown participant index {bad}" in errors
    assert all("p4" not in e for e in errors)  # -1 is no alias of the last person


def test_a_replan_that_drops_played_rounds_is_reported_not_raised() -> None:
    inst = uniform(4, 3)
    planned = [[[0, 1], [2, 3]], [[0, 2], [1, 3]], [[0, 3], [1, 2]]]
    assert is_valid_replan(inst, planned, [[[0, 1], [2, 3]]], from_round=3) == [
        "round 2: played already, but it changed"
    ]


# ------------------------------------------------------------------ tables


def test_the_tables_checker_seats_whoever_could_be_seated() -> None:
    inst = uniform(7, 1, table_size=3, companies=["a", "a", None, None, None, None, "b"])
    # p4 and p7 rest though the table of two [p2, p6] has a free seat, and though they could pair up
    assert is_valid_tables(inst, [[[0, 2, 4], [1, 5]]]) == [
        "round 1: p4 rests though a table of 2 could seat them",
        "round 1: p7 rests though a table of 2 could seat them",
        "round 1: p4 rests though they could share a table with p7, also resting",
    ]
    assert is_valid_tables(inst, [[[2, 3, 4], [1, 5, 6]]]) == []  # p1 rests: both tables are full
    assert is_valid_tables(inst, [[[0, 1, 2], [1, 3]]]) == [
        "round 1: p1 and p2 at one table, colleagues (a)",
        "round 1: p2 sits at two tables",
        "round 1: p5 rests though a table of 2 could seat them",
        "round 1: p6 rests though a table of 2 could seat them",
        "round 1: p7 rests though a table of 2 could seat them",
        "round 1: p5 rests though they could share a table with p6, also resting",
    ]


def test_a_free_seat_beside_a_colleague_is_no_seat() -> None:
    inst = uniform(7, 1, table_size=3, companies=["a", "a", None, None, None, None, "a"])
    # p1 and p7 (company a) rest: the only free seat is beside p2, their colleague; they are colleagues too
    assert is_valid_tables(inst, [[[2, 3, 4], [1, 5]]]) == []
    colleagues = make(np.ones((4, 4)) - np.eye(4), 1, table_size=3, companies=["a", "a", "a", "a"])
    assert is_valid_tables(colleagues, [[]]) == []  # four colleagues may all rest
    assert is_valid_tables(colleagues, [[[0, 1]]]) == ["round 1: p1 and p2 at one table, colleagues (a)"]


def test_the_tables_checker_names_forbidden_pairs_and_sizes() -> None:
    inst = uniform(5, 1, table_size=3, forbidden=((1, 3),))
    assert is_valid_tables(inst, [[[0, 3, 1], [2, 4]]]) == [
        "round 1: p4 and p2 at one table, a forbidden pair"
    ]
    assert is_valid_tables(inst, [[[0, 1, 2, 4]]]) == ["round 1: a table of 4, tables seat 2 to 3"]
    assert is_valid_tables(inst, [[[0, 1, 2, 4], [3]], [[0, 1]]]) == [
        "2 rounds, the event has 1",
        "round 1: a table of 4, tables seat 2 to 3",
        "round 1: a table of 1, tables seat 2 to 3",
        "round 2: p3 rests though a table of 2 could seat them",
        "round 2: p5 rests though a table of 2 could seat them",
        "round 2: p3 rests though they could share a table with p4, also resting",
    ]


def test_the_conflict_matrix_marks_colleagues_and_forbidden_pairs_only() -> None:
    inst = uniform(4, 1, companies=["a", "a", None, None], forbidden=((2, 3),))
    assert conflict_matrix(inst).tolist() == [
        [False, True, False, False],
        [True, False, False, False],
        [False, False, False, True],
        [False, False, True, False],
    ]


def test_rule_breaks_ignore_rests_at_tables_and_one_to_one() -> None:
    tables = uniform(5, 1, table_size=3)
    assert rule_breaks(tables, [[[0, 1]]]) == []
    assert is_valid_tables(tables, [[[0, 1]]]) != []
    one_to_one = uniform(5, 2)
    rounds = [[[1, 2], [3, 4]], [[1, 3], [2, 4]]]
    assert rule_breaks(one_to_one, rounds) == []
    assert is_valid_schedule(one_to_one, rounds) != []


# ------------------------------------------------------------------ found by mutation testing


def test_a_pair_met_twice_counts_as_one_whichever_way_round_the_table_is_written() -> None:
    inst = uniform(2, 2)
    fig = schedule_figures(inst, [[[1, 0]], [[0, 1]]])
    assert (fig["distinct_meetings"], fig["repeat_meetings"], fig["total_relevance"]) == (1, 1, 1)


def test_shares_leave_out_only_people_with_nothing_to_gain() -> None:
    # everyone's own bound is 1 (one round, weights 1): p3 and p4 rest with a share of 0
    fig = schedule_figures(uniform(4, 1), [[[0, 1]]])
    assert (fig["worst_share"], fig["p10_share"]) == (0.0, 0.0)


def test_the_bound_keeps_one_decimal() -> None:
    fig = schedule_figures(make(FIVE, 3), FIVE_ROUNDS, bound=Bound(18.5, "top-R"))
    assert fig["bound"] == 18.5  # not rounded to a whole 18
    assert fig["ratio_bound"] == 1.027  # 19 / 18.5 = 1.02702...


def test_an_unknown_index_does_not_stop_the_checks_of_the_others_at_its_table() -> None:
    inst = uniform(4, 1, companies=["a", "a", None, None])
    assert is_valid_schedule(inst, [[[7, 0, 1], [2, 3]]], check_rests=False) == [
        "round 1: unknown participant index 7",
        "round 1: colleagues p1 and p2 (company a)",
    ]


def test_a_replan_names_whoever_is_seated_without_being_planned_or_arrived_first_index_included() -> None:
    inst = uniform(5, 2)
    planned = [[[1, 2], [3, 4]], [[1, 3], [2, 4]]]  # p1 is in no planned round
    rounds = [[[1, 2], [3, 4]], [[0, 1], [2, 4]]]
    assert is_valid_replan(inst, planned, rounds, from_round=2) == [
        "round 2: p1 is seated, neither planned nor arrived"
    ]
    assert is_valid_replan(inst, planned, rounds, from_round=2, arrived=[0]) == []


def test_a_replan_with_an_index_equal_to_the_count_reports_it_and_judges_the_rest_of_the_table() -> None:
    inst = uniform(5, 2)
    planned = [[[0, 1], [2, 3]], [[0, 2], [1, 3]]]
    # index 5 is one past the last person; p5 (4) beside it was never planned nor arrived
    errors = is_valid_replan(inst, planned, [[[0, 1], [2, 3]], [[5, 4], [0, 2]]], from_round=2)
    assert "round 2: unknown participant index 5" in errors
    assert "round 2: p5 is seated, neither planned nor arrived" in errors


def test_an_unknown_participant_first_at_a_table_does_not_unseat_the_others() -> None:
    inst = uniform(6, 1, table_size=3)
    assert is_valid_tables(inst, [[[6, 0, 1], [2, 3], [4, 5]]]) == ["round 1: unknown participant 6"]


def test_the_tables_checker_names_people_by_number_when_the_input_has_no_ids() -> None:
    # TablesInput needs no ids: a plain object with the weights and rules is named #0, #1, ...
    @dataclass(frozen=True)
    class Plain:
        weights: np.ndarray
        rounds: int
        table_size: int
        companies: tuple[str | None, ...]
        forbidden: tuple[tuple[int, int], ...] = ()
        requested: tuple[tuple[int, int], ...] = ()

    plain = Plain(np.ones((4, 4)), 1, 3, ("a", "a", None, None))
    assert is_valid_tables(plain, [[[0, 1], [2, 3]]]) == ["round 1: #0 and #1 at one table, colleagues (a)"]


def test_a_replan_of_a_plan_shorter_than_the_rounds_played_is_reported_not_raised() -> None:
    inst = uniform(4, 3)
    planned = [[[0, 1], [2, 3]]]  # one planned round, yet the re-plan starts at round 3
    rounds = [[[0, 1], [2, 3]], [[0, 2], [1, 3]], [[0, 3], [1, 2]]]
    assert is_valid_replan(inst, planned, rounds, from_round=3) == ["round 2: played already, but it changed"]
