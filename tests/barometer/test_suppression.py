"""The one rule every barometer figure goes through: no group of fewer than 5 answers, even by subtraction."""

from __future__ import annotations

import doctest
import itertools

from meute.barometer import selectors
from meute.barometer.selectors import MIN_ANSWERS, suppress_small_cells


def test_the_threshold_is_five() -> None:
    assert MIN_ANSWERS == 5


def test_four_answers_are_hidden() -> None:
    assert suppress_small_cells({"2026-T4": 4}) == {"2026-T4": None}


def test_five_answers_are_shown() -> None:
    assert suppress_small_cells({"2026-T4": 5}) == {"2026-T4": 5}


def test_no_answer_at_all_is_hidden() -> None:
    assert suppress_small_cells({"A": 0}) == {"A": None}


def test_a_small_group_is_protected_from_subtraction_by_hiding_the_smallest_other() -> None:
    # Total 4 + 5 + 9 = 18 is shown elsewhere: showing B and C would give A = 18 - 14.
    assert suppress_small_cells({"A": 4, "B": 5, "C": 9}) == {"A": None, "B": None, "C": 9}


def test_two_small_groups_that_together_reach_five_need_no_more_hiding() -> None:
    assert suppress_small_cells({"A": 2, "B": 3, "C": 9}) == {"A": None, "B": None, "C": 9}


def test_two_small_groups_under_five_together_hide_one_more() -> None:
    assert suppress_small_cells({"A": 1, "B": 3, "C": 7, "D": 6}) == {"A": None, "B": None, "C": 7, "D": None}


def test_hidden_empty_groups_reveal_nobody_and_need_no_more_hiding() -> None:
    assert suppress_small_cells({"A": 0, "B": 5}) == {"A": None, "B": 5}


def test_ties_are_broken_by_key_so_the_result_is_stable() -> None:
    assert suppress_small_cells({"B": 6, "A": 6, "C": 1}) == {"B": 6, "A": None, "C": None}


def test_a_breakdown_whose_total_is_not_shown_hides_only_the_small_groups() -> None:
    assert suppress_small_cells({"A": 4, "B": 5}, complementary=False) == {"A": None, "B": 5}


def test_all_large_groups_are_shown() -> None:
    assert suppress_small_cells({"A": 5, "B": 50}) == {"A": 5, "B": 50}


def test_when_everything_is_small_everything_is_hidden() -> None:
    assert suppress_small_cells({"A": 1, "B": 2}) == {"A": None, "B": None}


def test_an_empty_breakdown_stays_empty() -> None:
    assert suppress_small_cells({}) == {}


def test_no_shown_combination_can_be_subtracted_to_a_small_group() -> None:
    # Exhaustive over small tables: whatever is shown, the hidden rest holds 0 or at least 5
    # answers (or the total itself is under 5, and then hidden as well).
    for counts in itertools.product(range(0, 9), repeat=3):
        table = dict(zip("ABC", counts, strict=True))
        shown = suppress_small_cells(table)
        hidden = sum(n for k, n in table.items() if shown[k] is None)
        assert hidden == 0 or hidden >= MIN_ANSWERS or sum(counts) < MIN_ANSWERS, table
        assert all(v is None or v >= MIN_ANSWERS for v in shown.values()), table


def test_the_documented_examples_hold() -> None:
    assert doctest.testmod(selectors).failed == 0
