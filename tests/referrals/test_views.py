"""Giving a referral and recording its outcome through the pages; clear messages for bad input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import Network
from meute.referrals.models import Referral

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def test_a_member_passes_a_lead_to_another_member(
    client_for: ClientFor, club: Network, manager: User
) -> None:
    response = client_for("member").post(
        reverse("referrals:create", args=[club.slug]),
        {
            "recipient": manager.person.pk,  # type: ignore[attr-defined]
            "subject": "Extension d'atelier",
            "temperature": "hot",
            "prospect_name": "Mme Girard",
            "prospect_phone": "02 47 00 00 00",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("referrals:mine", args=[club.slug])  # type: ignore[attr-defined]
    referral = Referral.objects.get()
    assert (referral.recipient, referral.subject, referral.temperature) == (
        manager.person,
        "Extension d'atelier",
        "hot",
    )  # type: ignore[attr-defined]


def test_the_form_groups_the_temperature_in_a_fieldset_with_a_legend(
    client_for: ClientFor, club: Network, manager: User
) -> None:
    html = client_for("member").get(reverse("referrals:create", args=[club.slug])).content.decode()
    assert "<fieldset" in html and "<legend" in html and "Température" in html
    # no inline style or script (the CSP forbids them); scripts come from files
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    # Only the network's other active members are offered.
    assert "Marc Lenoir" in html and "Claire Moreau" not in html


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        ("member", "Destinataire : choisissez un membre actif de ce réseau, autre que vous."),
        ("other_member", "Destinataire : choisissez un membre actif de ce réseau, autre que vous."),
        (None, "Destinataire : choisissez le membre à qui vous passez cette affaire."),
    ],
)
def test_a_bad_recipient_gets_a_clear_message(
    client_for: ClientFor, club: Network, request: pytest.FixtureRequest, recipient: str | None, message: str
) -> None:
    pk = request.getfixturevalue(recipient).person.pk if recipient else ""
    response = client_for("member").post(
        reverse("referrals:create", args=[club.slug]), {"recipient": pk, "subject": "x", "temperature": "hot"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


@pytest.fixture
def received(club: Network, manager: User, member: User) -> Referral:
    return Referral.objects.create(
        network=club,
        giver=manager.person,  # type: ignore[attr-defined]
        recipient=member.person,  # type: ignore[attr-defined]
        subject="Toiture",
        temperature="cold",
        given_on=dt.date(2026, 1, 5),
    )


def test_the_recipient_records_the_business_closed(
    client_for: ClientFor, club: Network, received: Referral
) -> None:
    response = client_for("member").post(
        reverse("referrals:outcome", args=[club.slug, received.pk]),
        {"business_closed": "yes", "amount": "4200.00", "closed_on": "2026-02-01"},
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.business_closed is True
    assert str(received.amount) == "4200.00"
    assert received.closed_on.isoformat() == "2026-02-01"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"business_closed": "yes", "amount": "-3"}, "Montant : le montant ne peut pas être négatif."),
        ({"business_closed": "yes", "amount": "beaucoup"}, "Montant : saisissez un nombre"),
        ({"business_closed": "yes", "amount": ""}, "Montant : indiquez le montant"),
        (
            {"business_closed": "yes", "amount": "5", "closed_on": "2025-12-31"},
            "Date : l&#x27;affaire ne peut pas précéder",
        ),
        ({"amount": "5"}, "Affaire conclue : répondez oui ou non."),
    ],
)
def test_bad_outcomes_get_a_clear_message(
    client_for: ClientFor, club: Network, received: Referral, data: dict[str, str], message: str
) -> None:
    response = client_for("member").post(reverse("referrals:outcome", args=[club.slug, received.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    received.refresh_from_db()
    assert received.is_pending


def test_a_member_sees_only_their_own_figures_and_a_manager_everyones(
    client_for: ClientFor, club: Network, received: Referral
) -> None:
    url = reverse("referrals:figures", args=[club.slug])
    mine = client_for("member").get(url).content.decode()
    assert "Claire Moreau" in mine and "Marc Lenoir" not in mine
    board = client_for("manager").get(url).content.decode()
    assert "Claire Moreau" in board and "Marc Lenoir" in board
    # Every chart has its table: the bar sits in a table row with its figures, with a caption.
    assert "<caption>" in board and "<meter" in board and 'scope="row"' in board
    assert "style=" not in board


def test_the_list_shows_referrals_received_and_given(
    client_for: ClientFor, club: Network, received: Referral
) -> None:
    html = client_for("member").get(reverse("referrals:mine", args=[club.slug])).content.decode()
    assert "Toiture" in html and "Indiquer le résultat" in html


def test_the_chamber_page_shows_totals_per_network(
    client_for: ClientFor, club: Network, received: Referral
) -> None:
    html = client_for("staff").get(reverse("referrals:chamber")).content.decode()
    assert club.name in html and "<caption>" in html
