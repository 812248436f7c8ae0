"""The treasurer's screens: recording a period, a payment, and refusing bad input by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meute.accounts.models import User
from meute.audit.models import AuditEntry
from meute.dues.models import DuesPeriod
from meute.networks.models import Membership, Network

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def membership_of(user: User, network: Network) -> Membership:
    return Membership.objects.get(person=user.person, network=network)


def post_period(client: Client, network: Network, **data: object) -> object:
    return client.post(reverse("dues:period_create", args=[network.slug]), data)


def test_a_manager_records_a_paid_period_with_the_audit_trail(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    m = membership_of(member, club)
    response = post_period(
        client_for("manager"),
        club,
        membership=m.pk,
        start="2026-01-01",
        end="2026-12-31",
        amount="120",
        paid_on="2026-01-05",
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    period = DuesPeriod.objects.get()
    assert (period.membership, period.amount, period.paid_on) == (m, Decimal("120"), dt.date(2026, 1, 5))
    assert period.recorded_by == manager
    entry = AuditEntry.objects.get(action="dues.period_create")
    assert (entry.actor, entry.network, entry.target_id) == (manager, club, period.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"start": "2026-12-31", "end": "2026-01-01"},
            "end",
            "la fin de la période doit venir après son début",
        ),
        ({"amount": "-5"}, "amount", "le montant ne peut pas être négatif"),
        ({"amount": "abc"}, "amount", "Saisissez un nombre."),
        ({"membership": "999999"}, "membership", "membre inconnu dans ce réseau"),
        ({"start": "pas une date"}, "start", "Saisissez une date valide."),
        ({"paid_on": "2199-01-01"}, "paid_on", "la date de paiement ne peut pas être dans le futur"),
    ],
)
def test_the_period_form_refuses_bad_input_naming_the_field(
    client_for: ClientFor, club: Network, manager: User, member: User, data: dict, field: str, message: str
) -> None:
    payload = {
        "membership": membership_of(member, club).pk,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "amount": "120",
    }
    payload.update(data)
    response = post_period(client_for("manager"), club, **payload)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in response.context["form"].errors[field]  # type: ignore[attr-defined]
    assert not DuesPeriod.objects.exists()


def test_an_overlapping_period_is_refused_on_the_start_field(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    m = membership_of(member, club)
    DuesPeriod.objects.create(membership=m, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=100)
    response = post_period(
        client_for("manager"), club, membership=m.pk, start="2026-06-01", end="2027-05-31", amount="100"
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "chevauche" in str(response.context["form"].errors["start"])  # type: ignore[attr-defined]
    assert DuesPeriod.objects.count() == 1


def test_the_renewal_form_proposes_the_year_after_the_last_period(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    club.dues_amount = Decimal("90.00")
    club.save()
    m = membership_of(member, club)
    DuesPeriod.objects.create(membership=m, start=dt.date(2025, 3, 1), end=dt.date(2026, 2, 28), amount=80)
    response = client_for("manager").get(reverse("dues:period_create", args=[club.slug]) + f"?membre={m.pk}")
    initial = response.context["form"].initial
    assert (initial["start"], initial["end"], initial["amount"]) == (
        dt.date(2026, 3, 1),
        dt.date(2027, 2, 28),
        Decimal("90.00"),
    )


def test_a_manager_records_a_payment(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    period = DuesPeriod.objects.create(
        membership=membership_of(member, club),
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        amount=100,
    )
    response = client_for("manager").post(
        reverse("dues:payment", args=[club.slug, period.pk]), {"paid_on": "2026-01-20"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.paid_on == dt.date(2026, 1, 20)
    assert AuditEntry.objects.filter(action="dues.payment_record", network=club, actor=manager).exists()


@pytest.mark.parametrize(
    ("paid_on", "message"),
    [("", "Ce champ est obligatoire."), ("2199-01-01", "la date de paiement ne peut pas être dans le futur")],
)
def test_the_payment_form_refuses_bad_dates(
    client_for: ClientFor, club: Network, manager: User, member: User, paid_on: str, message: str
) -> None:
    period = DuesPeriod.objects.create(
        membership=membership_of(member, club),
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        amount=100,
    )
    response = client_for("manager").post(
        reverse("dues:payment", args=[club.slug, period.pk]), {"paid_on": paid_on}
    )
    assert message in response.context["form"].errors["paid_on"]
    period.refresh_from_db()
    assert period.paid_on is None


def test_paying_twice_is_refused(client_for: ClientFor, club: Network, manager: User, member: User) -> None:
    period = DuesPeriod.objects.create(
        membership=membership_of(member, club),
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        amount=100,
        paid_on=dt.date(2026, 1, 2),
    )
    response = client_for("manager").post(
        reverse("dues:payment", args=[club.slug, period.pk]), {"paid_on": "2026-01-20"}
    )
    assert "déjà enregistré" in str(response.context["form"].errors["paid_on"])
    period.refresh_from_db()
    assert period.paid_on == dt.date(2026, 1, 2)


def test_the_overview_puts_expired_and_unpaid_members_first(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    today = timezone.localdate()
    DuesPeriod.objects.create(
        membership=membership_of(manager, club),
        start=today - dt.timedelta(days=10),
        end=today + dt.timedelta(days=300),
        amount=100,
        paid_on=today,
    )
    DuesPeriod.objects.create(
        membership=membership_of(member, club),
        start=today - dt.timedelta(days=400),
        end=today - dt.timedelta(days=35),
        amount=100,
        paid_on=today - dt.timedelta(days=400),
    )
    response = client_for("manager").get(reverse("dues:overview", args=[club.slug]))
    lines = response.context["lines"]
    assert [(line.membership.person.last_name, line.state) for line in lines] == [
        ("Moreau", "expired"),
        ("Lenoir", "paid"),
    ]


@pytest.mark.parametrize(
    ("field", "value"), [("end", "9999-12-31"), ("start", "0001-01-01"), ("paid_on", "2201-01-01")]
)
def test_a_period_dated_out_of_range_is_refused_by_name(
    client_for: ClientFor, club: Network, member: User, field: str, value: str
) -> None:
    # A period ending 9999-12-31 was saved, then its renewal page overflowed (500) forever.
    m = membership_of(member, club)
    data = {"membership": m.pk, "start": "2026-01-01", "end": "2026-12-31", "amount": "120", field: value}
    response = post_period(client_for("manager"), club, **data)
    assert response.status_code == 200
    assert "1900 et 2200" in str(response.context["form"].errors[field])  # type: ignore[attr-defined]
    assert not DuesPeriod.objects.exists()
