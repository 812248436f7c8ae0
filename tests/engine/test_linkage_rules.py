"""Linkage by exact rules (sets too small for the model) and the date parser the apps share."""

from __future__ import annotations

from meute.engine.linkage.columns import Record, parse_date
from meute.engine.linkage.model import Decision, link_by_rules


def rec(file: str, row: int, **fields: str) -> Record:
    return Record(file, row, **fields)


def test_the_same_email_joins_two_rows() -> None:
    result = link_by_rules(
        [rec("a", 2, surname="martin", email="x@y.fr"), rec("b", 2, surname="durand", email="x@y.fr")]
    )
    assert result.person == (0, 0) and result.review == ()


def test_same_names_join_only_with_a_mobile_siren_or_firm_in_common() -> None:
    rows = [
        rec("a", 2, surname="martin", first_name="jean", company="garage"),
        rec("b", 2, surname="martin", first_name="jean", company="garage"),
        rec("c", 2, surname="martin", first_name="jean", phone="+33247000000", phone_kind="landline"),
        rec("d", 2, surname="martin", first_name="jean", phone="+33247000000", phone_kind="landline"),
    ]
    result = link_by_rules(rows)
    assert result.person[0] == result.person[1]
    # A shared landline (a switchboard) is not enough: c and d stay apart, and go to review.
    assert len({result.person[0], result.person[2], result.person[3]}) == 3
    assert {(p.left, p.right) for p in result.review} >= {(2, 3)}
    assert all(p.match_probability == 0.5 and p.weights == () for p in result.review)


def test_two_rows_of_one_file_are_never_one_person_and_decisions_hold() -> None:
    rows = [
        rec("a", 2, surname="martin", email="x@y.fr"),
        rec("a", 3, surname="martin", email="x@y.fr"),
        rec("b", 2, surname="roux", first_name="lea"),
        rec("c", 2, surname="roux", first_name="lea"),
    ]
    result = link_by_rules(rows, decisions=[Decision(2, 3, same=True)])
    assert result.person[0] != result.person[1]
    assert result.person[2] == result.person[3] and result.review == ()


def test_dates_are_read_in_french_or_iso_and_impossible_ones_refused() -> None:
    assert parse_date(" 14/07/2021 ") == "2021-07-14"
    assert parse_date("14.07.21") == "2021-07-14"
    assert parse_date("2021-07-14") == "2021-07-14"
    assert parse_date("31/02/2021") is None and parse_date("bientôt") is None
