"""Who may see and do what on the referral pages, for each role, and what they see.

Roles (tests/conftest.py and ./conftest.py): staff, manager (president of `club`),
other_manager (president of `other_club`), member (of `club`), other_member
(of `other_club`), anonymous. A page a role may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import Network
from meute.referrals.models import Referral
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
LOGIN = reverse("accounts:login")


@pytest.fixture
def referral(club: Network, manager: User, member: User) -> Referral:
    """The manager passed a lead to the member."""
    return Referral.objects.create(
        network=club,
        giver=manager.person,  # type: ignore[attr-defined]
        recipient=member.person,  # type: ignore[attr-defined]
        subject="Toiture d'un hangar",
        temperature="hot",
        prospect_name="M. Secret",
        prospect_email="secret@prospect.example",
        given_on=dt.date(2026, 10, 5),
    )


@pytest.fixture
def foreign_referral(other_club: Network, other_member: User) -> Referral:
    """A referral of another network, received by other_member."""
    giver = MembershipFactory(network=other_club).person
    return Referral.objects.create(
        network=other_club,
        giver=giver,
        recipient=other_member.person,  # type: ignore[attr-defined]
        subject="Étranger",
        temperature="cold",
        given_on=dt.date(2026, 10, 6),
    )


def check(client: Client, url: str, status: int) -> None:
    response = client.get(url)
    if status == 302:
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next={url}"  # type: ignore[attr-defined]
    else:
        assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_referral_list_is_for_members_managers_and_staff(
    client_for: ClientFor, club: Network, role: str, status: int
) -> None:
    check(client_for(role), reverse("referrals:mine", args=[club.slug]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_only_active_members_may_give_a_referral(
    client_for: ClientFor, club: Network, role: str, status: int
) -> None:
    check(client_for(role), reverse("referrals:create", args=[club.slug]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_figures_are_for_members_managers_and_staff(
    client_for: ClientFor, club: Network, role: str, status: int
) -> None:
    check(client_for(role), reverse("referrals:figures", args=[club.slug]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_a_referral_is_seen_by_its_two_members_the_networks_managers_and_staff(
    client_for: ClientFor, club: Network, referral: Referral, role: str, status: int
) -> None:
    check(client_for(role), reverse("referrals:detail", args=[club.slug, referral.pk]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 404),
        ("manager", 404),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_recipient_records_the_outcome(
    client_for: ClientFor, club: Network, referral: Referral, role: str, status: int
) -> None:
    check(client_for(role), reverse("referrals:outcome", args=[club.slug, referral.pk]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 404),
        ("other_manager", 404),
        ("member", 404),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_chamber_totals_are_for_staff_only(client_for: ClientFor, role: str, status: int) -> None:
    check(client_for(role), reverse("referrals:chamber"), status)


def test_a_member_who_is_not_a_party_does_not_see_the_referral(
    club: Network, referral: Referral, client_for: ClientFor
) -> None:
    bystander = MembershipFactory(network=club).person
    user = User.objects.create_user(email="temoin@club.example")
    bystander.user = user
    bystander.save()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("referrals:detail", args=[club.slug, referral.pk])).status_code == 404


def test_only_the_two_members_see_the_prospects_contact(
    client_for: ClientFor, club: Network, referral: Referral
) -> None:
    url = reverse("referrals:detail", args=[club.slug, referral.pk])
    assert b"secret@prospect.example" in client_for("member").get(url).content
    assert b"secret@prospect.example" in client_for("manager").get(url).content  # the giver
    assert b"secret@prospect.example" not in client_for("staff").get(url).content


@pytest.mark.parametrize("view", ["referrals:detail", "referrals:outcome"])
def test_another_networks_referral_ids_answer_404(
    client_for: ClientFor, club: Network, other_club: Network, foreign_referral: Referral, view: str
) -> None:
    # Through the member's own network, and through the other network's address.
    assert client_for("member").get(reverse(view, args=[club.slug, foreign_referral.pk])).status_code == 404
    assert (
        client_for("member").get(reverse(view, args=[other_club.slug, foreign_referral.pk])).status_code
        == 404
    )
    assert (
        client_for("manager").get(reverse(view, args=[other_club.slug, foreign_referral.pk])).status_code
        == 404
    )
    # Even its own recipient cannot reach it through another network's address.
    assert (
        client_for("other_member").get(reverse(view, args=[club.slug, foreign_referral.pk])).status_code
        == 404
    )


def test_a_recipient_cannot_record_an_outcome_through_another_networks_address(
    client_for: ClientFor, club: Network, foreign_referral: Referral
) -> None:
    url = reverse("referrals:outcome", args=[club.slug, foreign_referral.pk])
    response = client_for("other_member").post(url, {"business_closed": "yes", "amount": "10"})
    assert response.status_code == 404
    foreign_referral.refresh_from_db()
    assert foreign_referral.is_pending


@pytest.mark.parametrize("role", ["staff", "manager", "other_manager", "member", "other_member"])
def test_every_page_answers_404_where_the_network_refuses_solicitation(
    client_for: ClientFor, club: Network, referral: Referral, role: str
) -> None:
    Network.objects.filter(pk=club.pk).update(refuses_solicitation=True)
    client = client_for(role)
    for url in (
        reverse("referrals:mine", args=[club.slug]),
        reverse("referrals:create", args=[club.slug]),
        reverse("referrals:figures", args=[club.slug]),
        reverse("referrals:detail", args=[club.slug, referral.pk]),
        reverse("referrals:outcome", args=[club.slug, referral.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_nothing_can_be_posted_where_the_network_refuses_solicitation(
    client_for: ClientFor, club: Network, manager: User
) -> None:
    Network.objects.filter(pk=club.pk).update(refuses_solicitation=True)
    response = client_for("member").post(
        reverse("referrals:create", args=[club.slug]),
        {"recipient": manager.person.pk, "subject": "x", "temperature": "hot"},  # type: ignore[attr-defined]
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()
