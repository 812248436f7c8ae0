"""The figures of a network and of the chamber, on tiny hand-built cases with exact answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from meute.accounts.models import Person, User
from meute.networks.models import Network
from meute.referrals.models import Referral
from meute.referrals.selectors import (
    chamber_by_month,
    chamber_by_network,
    chamber_totals,
    member_totals,
    monthly_totals,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def referral(
    network: Network,
    giver: Person,
    recipient: Person,
    given_on: dt.date,
    *,
    temperature: str = "cold",
    closed: bool | None = None,
    amount: str | None = None,
    closed_on: dt.date | None = None,
) -> Referral:
    # Built directly: these tests are about reading, the service's rules are tested elsewhere.
    return Referral.objects.create(
        network=network,
        giver=giver,
        recipient=recipient,
        subject="Besoin",
        temperature=temperature,
        given_on=given_on,
        business_closed=closed,
        amount=Decimal(amount) if amount is not None else None,
        closed_on=closed_on,
    )


@pytest.fixture
def history(
    club: Network, manager: User, member: User, other_club: Network, other_member: User
) -> dict[str, Person]:
    m, c = manager.person, member.person  # type: ignore[attr-defined]
    third = MembershipFactory(network=club, person__first_name="Aline", person__last_name="Zola").person
    referral(
        club,
        c,
        m,
        dt.date(2026, 1, 10),
        temperature="hot",
        closed=True,
        amount="1000",
        closed_on=dt.date(2026, 2, 3),
    )
    referral(club, c, third, dt.date(2026, 1, 20), closed=False, closed_on=dt.date(2026, 1, 25))
    referral(
        club,
        m,
        c,
        dt.date(2026, 2, 1),
        temperature="hot",
        closed=True,
        amount="250.50",
        closed_on=dt.date(2026, 2, 20),
    )
    referral(club, third, m, dt.date(2026, 2, 5))
    other = MembershipFactory(network=other_club).person
    referral(
        other_club,
        other_member.person,
        other,
        dt.date(2026, 2, 9),
        closed=True,
        amount="99",
        closed_on=dt.date(2026, 3, 1),
    )  # type: ignore[attr-defined]
    return {"manager": m, "member": c, "third": third}


def test_a_manager_sees_the_totals_of_every_member(club: Network, history: dict[str, Person]) -> None:
    rows = {r.person.pk: r for r in member_totals(network=club)}
    assert set(rows) == {p.pk for p in history.values()}
    claire = rows[history["member"].pk]
    assert (claire.given, claire.deals_from_given, claire.amount_from_given) == (2, 1, Decimal("1000"))
    assert (claire.received, claire.deals_received, claire.amount_received) == (1, 1, Decimal("250.50"))
    marc = rows[history["manager"].pk]
    assert (marc.given, marc.received, marc.deals_received, marc.amount_received) == (
        1,
        2,
        1,
        Decimal("1000"),
    )
    aline = rows[history["third"].pk]
    assert (aline.given, aline.received, aline.deals_received) == (1, 1, 0)


def test_a_member_sees_only_their_own_row(club: Network, history: dict[str, Person]) -> None:
    rows = member_totals(network=club, person=history["member"])
    assert [r.person for r in rows] == [history["member"]]
    assert rows[0].given == 2 and rows[0].received == 1


def test_referrals_count_in_the_month_given_and_business_in_the_month_closed(
    club: Network, history: dict[str, Person]
) -> None:
    months = {(m.month.year, m.month.month): m for m in monthly_totals(network=club)}
    assert list(months) == [(2026, 1), (2026, 2)]
    jan, feb = months[(2026, 1)], months[(2026, 2)]
    assert (jan.referrals, jan.hot, jan.deals, jan.amount) == (2, 1, 0, Decimal("0"))
    assert (feb.referrals, feb.hot, feb.deals, feb.amount) == (2, 1, 2, Decimal("1250.50"))
    assert (jan.share, feb.share) == (0, 100)


def test_a_members_months_count_only_their_referrals(club: Network, history: dict[str, Person]) -> None:
    months = monthly_totals(network=club, person=history["third"])
    assert [(m.month.month, m.referrals, m.deals) for m in months] == [(1, 1, 0), (2, 1, 0)]


def test_the_chamber_sees_totals_per_network_and_per_month(
    club: Network, other_club: Network, history: dict[str, Person]
) -> None:
    by_network = {r.network.pk: r for r in chamber_by_network()}
    assert (by_network[club.pk].referrals, by_network[club.pk].deals, by_network[club.pk].amount) == (
        4,
        2,
        Decimal("1250.50"),
    )
    assert by_network[club.pk].hot == 2
    assert (by_network[other_club.pk].referrals, by_network[other_club.pk].amount) == (1, Decimal("99"))
    months = [(m.month.month, m.referrals, m.deals, m.amount) for m in chamber_by_month()]
    assert months == [(1, 2, 0, Decimal("0")), (2, 3, 2, Decimal("1250.50")), (3, 0, 1, Decimal("99"))]
    assert chamber_totals() == {"referrals": 5, "deals": 3, "amount": Decimal("1349.50")}


def test_networks_without_referrals_are_left_out_of_the_chamber_table(club: Network) -> None:
    assert chamber_by_network() == []
