"""Seats cannot be oversold, even when many people join at the same second.

Real concurrent requests, each thread with its own PostgreSQL connection. The
negative control removes the row lock and shows that the same test then sees
the overselling: the test can fail.
"""

from __future__ import annotations

import pytest
from django.db import connection

from meute.accounts.models import Person
from meute.networks.models import AdmissionMode, Kind, Membership, Network, Rhythm, Status
from meute.networks.services import admissions
from tests.postgres.concurrency import all_at_once, slow_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAP = 5
APPLICANTS = 8


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (DATABASE_URL); SQLite serialises writers")


def _almost_full_network() -> tuple[Network, list[Person]]:
    network = Network.objects.create(
        name="Club des vingt",
        slug="club-des-vingt",
        kind=Kind.CLUB,
        rhythm=Rhythm.MONTHLY,
        admission_mode=AdmissionMode.OPEN,
        member_cap=CAP,
    )
    for i in range(CAP - 1):
        p = Person.objects.create(first_name="Membre", last_name=str(i))
        Membership.objects.create(person=p, network=network, status=Status.ACTIVE)
    applicants = [Person.objects.create(first_name="Candidat", last_name=str(i)) for i in range(APPLICANTS)]
    return network, applicants


def _join_all_at_once(network: Network, applicants: list[Person]) -> list[str]:
    return all_at_once(
        applicants, lambda person: admissions.membership_request(person=person, network=network)
    )


def test_concurrent_joins_never_exceed_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    network, applicants = _almost_full_network()
    slow_create(monkeypatch, Membership.objects)

    errors = _join_all_at_once(network, applicants)

    assert errors == []
    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() == CAP
    assert Membership.objects.filter(network=network, status=Status.WAITLISTED).count() == APPLICANTS - 1


def test_without_the_row_lock_the_same_test_sees_overselling(monkeypatch: pytest.MonkeyPatch) -> None:
    network, applicants = _almost_full_network()
    slow_create(monkeypatch, Membership.objects)
    monkeypatch.setattr(admissions, "locked_network", lambda n: Network.objects.get(pk=n.pk))

    _join_all_at_once(network, applicants)

    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() > CAP
