"""Who may see the dues pages: the network's managers and CCI staff, and each member their own.

Everyone else gets a 404, as for a network that does not exist; the anonymous go to log in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.dues.models import DuesPeriod
from meute.networks.models import Membership, Network
from tests.dues.conftest import ALL_ROLES
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
LOGIN = reverse("accounts:login")

BOARD_ONLY = {"staff": 200, "manager": 200, "other_manager": 404, "member": 404, "other_member": 404}
# A member's own page: staff has no membership of its own, so nothing to show.
OWN_ONLY = {"staff": 404, "manager": 200, "other_manager": 404, "member": 200, "other_member": 404}


def period_of(user: User, network: Network, **kwargs: object) -> DuesPeriod:
    membership = Membership.objects.get(person=user.person, network=network)
    values: dict[str, object] = {
        "membership": membership,
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 12, 31),
        "amount": Decimal("120.00"),
    }
    values.update(kwargs)
    return DuesPeriod.objects.create(**values)


def expect(client: Client, url: str, role: str, table: dict[str, int]) -> None:
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next={url}"
    else:
        assert response.status_code == table[role], (role, url)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_dues_overview_is_for_the_board_and_staff(
    role: str, client_for: ClientFor, club: Network
) -> None:
    expect(client_for(role), reverse("dues:overview", args=[club.slug]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_period_form_is_for_the_board_and_staff(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("dues:period_create", args=[club.slug]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_payment_form_is_for_the_board_and_staff(
    role: str, client_for: ClientFor, club: Network, member: User
) -> None:
    period = period_of(member, club)
    expect(client_for(role), reverse("dues:payment", args=[club.slug, period.pk]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_member_sees_only_their_own_dues(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("dues:mine", args=[club.slug]), role, OWN_ONLY)


@pytest.mark.parametrize("role", ["staff", "manager", "other_manager", "member", "other_member"])
def test_posting_a_period_is_refused_to_those_who_may_not_see_the_form(
    role: str, client_for: ClientFor, club: Network, member: User
) -> None:
    membership = Membership.objects.get(person=member.person, network=club)
    data = {"membership": membership.pk, "start": "2026-01-01", "end": "2026-12-31", "amount": "100"}
    response = client_for(role).post(reverse("dues:period_create", args=[club.slug]), data)
    assert response.status_code == (302 if role in ("staff", "manager") else 404)
    assert DuesPeriod.objects.exists() == (role in ("staff", "manager"))


def test_a_manager_cannot_pay_another_networks_period_through_their_own_network(
    client_for: ClientFor, club: Network, manager: User, other_member: User, other_club: Network
) -> None:
    period = period_of(other_member, other_club)
    client = client_for("manager")
    assert client.get(reverse("dues:payment", args=[club.slug, period.pk])).status_code == 404
    assert (
        client.post(
            reverse("dues:payment", args=[club.slug, period.pk]), {"paid_on": "2025-02-01"}
        ).status_code
        == 404
    )
    assert client.get(reverse("dues:payment", args=[other_club.slug, period.pk])).status_code == 404
    period.refresh_from_db()
    assert period.paid_on is None


def test_a_manager_cannot_renew_a_member_of_another_network(
    client_for: ClientFor, club: Network, manager: User, other_member: User, other_club: Network
) -> None:
    foreign = Membership.objects.get(person=other_member.person, network=other_club)
    client = client_for("manager")
    url = reverse("dues:period_create", args=[club.slug])
    assert client.get(f"{url}?membre={foreign.pk}").status_code == 404
    response = client.post(
        url, {"membership": foreign.pk, "start": "2026-01-01", "end": "2026-12-31", "amount": "1"}
    )
    assert response.status_code == 200
    assert "membre inconnu dans ce réseau" in response.content.decode()
    assert not DuesPeriod.objects.exists()


def test_the_overview_lists_only_the_networks_own_members(
    client_for: ClientFor, club: Network, manager: User, member: User, other_member: User
) -> None:
    page = client_for("manager").get(reverse("dues:overview", args=[club.slug])).content.decode()
    assert "Claire Moreau" in page
    assert "Hugo Bernard" not in page


def test_a_member_page_shows_their_period_and_not_others(
    client_for: ClientFor, club: Network, member: User, manager: User
) -> None:
    period_of(member, club, amount=Decimal("150.00"), paid_on=dt.date(2025, 1, 10))
    period_of(manager, club, amount=Decimal("999.00"))
    page = client_for("member").get(reverse("dues:mine", args=[club.slug])).content.decode()
    assert "150,00" in page or "150.00" in page
    assert "999" not in page


def test_a_left_member_no_longer_sees_the_dues_page(
    client_for: ClientFor, club: Network, member: User
) -> None:
    Membership.objects.filter(person=member.person, network=club).update(status="left")
    assert client_for("member").get(reverse("dues:mine", args=[club.slug])).status_code == 404


def test_a_member_of_two_networks_sees_each_separately(
    client_for: ClientFor, club: Network, member: User
) -> None:
    second = MembershipFactory(person=member.person).network
    assert client_for("member").get(reverse("dues:mine", args=[second.slug])).status_code == 200
    assert client_for("member").get(reverse("dues:overview", args=[second.slug])).status_code == 404


@pytest.mark.parametrize("value", ["²", "١٤", "-1", "0", str(2**64), "1e3", " 3"])
def test_a_member_id_that_is_not_plain_ascii_digits_gives_an_empty_form(
    client_for: ClientFor, club: Network, manager: User, value: str
) -> None:
    # str.isdigit() accepts "²" and Arabic-Indic digits, which then broke the page (500).
    response = client_for("manager").get(reverse("dues:period_create", args=[club.slug]), {"membre": value})
    assert response.status_code == 200
