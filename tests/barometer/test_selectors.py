"""The barometer's figures: exact shares, and no group of fewer than 5 answers, directly or by subtraction."""

from __future__ import annotations

import datetime as dt

import pytest

from meute.barometer.models import BarometerAnswer
from meute.barometer.selectors import (
    is_closed,
    network_barometer,
    periods,
    quarter_end,
    territory_barometer,
    territory_over_time,
)
from meute.networks.models import Network
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db

# A day when 2026-T3, 2026-T4 and 2027-T1 are all closed.
LATER = dt.date(2027, 7, 1)

NEUTRAL = {
    "activity": "stable",
    "orders": "stable",
    "hiring": "stable",
    "cash": "normal",
    "morale": "neutral",
}


def answers(network: Network, n: int, period: str = "2026-T4", sector: str = "", **values: str) -> None:
    for _ in range(n):
        BarometerAnswer.objects.create(network=network, period=period, sector=sector, **{**NEUTRAL, **values})


def test_a_quarter_with_five_answers_shows_exact_shares(club: Network) -> None:
    answers(club, 2, activity="up", morale="optimistic")
    answers(club, 1, activity="down", cash="tight")
    answers(club, 2)
    [quarter] = network_barometer(network=club, today=LATER)
    assert (quarter.label, quarter.answers) == ("2026-T4", 5)
    activity = quarter.questions[0]
    assert activity.name == "activity" and activity.label == "Activité des trois derniers mois"
    assert [(c.value, c.percent) for c in activity.cells] == [("down", 20), ("stable", 40), ("up", 40)]
    assert activity.balance == 20
    assert quarter.balance("cash") == -20
    assert quarter.balance("morale") == 40
    assert quarter.balances == [20, 0, 0, -20, 40]


def test_a_quarter_with_four_answers_shows_nothing(club: Network) -> None:
    answers(club, 4, activity="up")
    [quarter] = network_barometer(network=club, today=LATER)
    assert quarter.hidden and quarter.answers is None and quarter.questions == []


def test_quarters_come_newest_first_and_each_stands_alone(club: Network) -> None:
    answers(club, 5, period="2026-T3")
    answers(club, 4, period="2026-T4")
    answers(club, 6, period="2027-T1")
    assert [(q.label, q.answers) for q in network_barometer(network=club, today=LATER)] == [
        ("2027-T1", 6),
        ("2026-T4", None),
        ("2026-T3", 5),
    ]


def test_the_network_sees_only_its_own_answers(club: Network, other_club: Network) -> None:
    answers(other_club, 7)
    assert network_barometer(network=club, today=LATER) == []


def test_the_territory_leaves_out_networks_under_five_answers(club: Network, other_club: Network) -> None:
    # Each network's page shows its figure from 5 answers: counting a network of 3 in the
    # territory total would let the total minus those pages reveal the 3 answers.
    answers(club, 6, sector="F")
    answers(other_club, 5, sector="G")
    small = NetworkFactory(name="Petit réseau")
    answers(small, 3, sector="F", activity="down")
    t = territory_barometer(period="2026-T4", today=LATER)
    assert t.total.answers == 11
    assert [(g.label, g.answers) for g in t.networks] == [
        ("Autre club", 5),
        ("Club des dirigeants du Bâtiment", 6),
    ]
    assert t.small_networks == 1
    assert [(g.key, g.answers) for g in t.sectors] == [("F", 6), ("G", 5)]
    assert t.sectors[0].label.startswith("F — ")


def test_a_small_sector_is_hidden_with_the_next_smallest_so_no_subtraction_reveals_it(
    club: Network, other_club: Network
) -> None:
    answers(club, 6, sector="F")
    answers(club, 2, sector="C")
    answers(other_club, 5, sector="G")
    answers(other_club, 9, sector="")
    t = territory_barometer(period="2026-T4", today=LATER)
    assert t.total.answers == 22
    assert [(g.key, g.answers) for g in t.sectors] == [("C", None), ("F", 6), ("G", None), ("", 9)]
    assert t.sectors[-1].label == "Secteur non renseigné"


def test_the_territory_over_time_counts_the_same_answers_as_each_quarter(
    club: Network, other_club: Network
) -> None:
    answers(club, 5, period="2026-T3", activity="up")
    answers(other_club, 4, period="2026-T3", activity="down")
    answers(other_club, 3, period="2026-T4")
    over_time = territory_over_time(today=LATER)
    assert [(g.label, g.answers) for g in over_time] == [("2026-T4", None), ("2026-T3", 5)]
    assert over_time[1].balance("activity") == 100


# Only closed quarters: answers are taken for the current quarter only, so a closed quarter's
# figures never change, and no one reads an answer in the difference between two visits.


def test_a_quarter_is_closed_from_the_first_day_of_the_next() -> None:
    assert not is_closed("2026-T4", today=dt.date(2026, 12, 31))
    assert is_closed("2026-T4", today=dt.date(2027, 1, 1))
    assert not is_closed("2027-T1", today=dt.date(2026, 12, 31))
    assert quarter_end("2026-T4") == dt.date(2026, 12, 31)
    assert quarter_end("2027-T2") == dt.date(2027, 6, 30)


def test_the_current_quarter_is_never_published_even_with_many_answers(
    club: Network, other_club: Network
) -> None:
    during = dt.date(2026, 11, 27)
    answers(club, 12, sector="F")
    answers(other_club, 9, sector="G")
    assert network_barometer(network=club, today=during) == []
    assert territory_over_time(today=during) == []
    assert periods(today=during) == []
    t = territory_barometer(period="2026-T4", today=during)
    assert t.total.hidden and t.networks == [] and t.small_networks == 0
    assert all(g.hidden for g in t.sectors)


def test_a_closed_quarter_is_published_with_all_its_answers(club: Network) -> None:
    answers(club, 5, activity="up")
    assert network_barometer(network=club, today=dt.date(2026, 12, 31)) == []
    [quarter] = network_barometer(network=club, today=dt.date(2027, 1, 1))
    assert (quarter.label, quarter.answers, quarter.balance("activity")) == ("2026-T4", 5, 100)
    assert periods(today=dt.date(2027, 1, 1)) == ["2026-T4"]


def test_a_sixth_answer_in_the_open_quarter_changes_nothing_that_is_shown(club: Network) -> None:
    # The review's probe: 5 answers, then a sixth, used to show the sixth person's answer by difference.
    during = dt.date(2026, 11, 27)
    answers(club, 5, period="2026-T3", activity="up")
    answers(club, 5, activity="up", morale="optimistic")
    before = network_barometer(network=club, today=during)
    answers(club, 1, activity="down", morale="pessimistic")
    assert network_barometer(network=club, today=during) == before
    assert [q.label for q in before] == ["2026-T3"]


def test_a_quarter_reads_t4_2026_in_french_and_q4_2026_in_english() -> None:
    from django.utils import translation

    from meute.barometer.services import quarter_label

    with translation.override("fr"):
        assert quarter_label("2026-T4") == "T4 2026"
    with translation.override("en"):
        assert quarter_label("2026-T4") == "Q4 2026"
    assert quarter_label("autre") == "autre"
