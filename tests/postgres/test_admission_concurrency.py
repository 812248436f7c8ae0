"""Board approvals and seat acceptances never put more active members than the cap, even at once.

Real concurrent requests, each thread with its own PostgreSQL connection. The
window between counting the seats and taking one is widened on purpose; the
negative control removes the row lock and shows the same test then oversells.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection

from meute.accounts.models import Person
from meute.networks.models import AdmissionMode, Kind, Membership, Network, Rhythm, Status
from meute.networks.services import admissions, seats
from tests.postgres.concurrency import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAP = 5
APPLICANTS = 8


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (DATABASE_URL); SQLite serialises writers")


def _slow_seat_count(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.2) -> None:
    original = seats.seats_taken

    def slow(network: Network) -> int:
        taken = original(network)
        time.sleep(seconds)
        return taken

    monkeypatch.setattr(seats, "seats_taken", slow)


def _network_with_applications(free: int) -> tuple[Network, list[Membership]]:
    network = Network.objects.create(
        name="Club des cinq",
        slug="club-des-cinq",
        kind=Kind.CLUB,
        rhythm=Rhythm.MONTHLY,
        admission_mode=AdmissionMode.APPLICATION,
        member_cap=CAP,
    )
    for i in range(CAP - free):
        p = Person.objects.create(first_name="Membre", last_name=str(i))
        Membership.objects.create(person=p, network=network, status=Status.ACTIVE)
    applications = [
        Membership.objects.create(
            person=Person.objects.create(first_name="Candidat", last_name=str(i)),
            network=network,
            status=Status.APPLIED,
        )
        for i in range(APPLICANTS)
    ]
    return network, applications


def _approve(m: Membership) -> Any:
    return admissions.membership_approve(membership=m, actor=None)


def test_concurrent_approvals_never_exceed_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    network, applications = _network_with_applications(free=1)
    _slow_seat_count(monkeypatch)

    errors = all_at_once(applications, _approve)

    assert errors == []
    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() == CAP
    assert Membership.objects.filter(network=network, status=Status.WAITLISTED).count() == APPLICANTS - 1
    positions = sorted(
        Membership.objects.filter(network=network, status=Status.WAITLISTED).values_list(
            "queue_position", flat=True
        )
    )
    assert positions == list(range(1, APPLICANTS))  # a clean queue, no two people at the same rank


def test_an_acceptance_racing_approvals_keeps_its_reserved_seat_and_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network, applications = _network_with_applications(free=1)
    # The free seat is offered to someone on the waiting list while the board approves others.
    waiting = Membership.objects.create(
        person=Person.objects.create(first_name="En", last_name="attente"),
        network=network,
        status=Status.WAITLISTED,
        queue_position=1,
    )
    seats.seat_offers_expire()  # nothing expires
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        seats.offer_free_seats(seats.locked_network(network), timezone.now())
    waiting.refresh_from_db()
    assert waiting.offer_expires_at is not None
    _slow_seat_count(monkeypatch)

    def act(m: Membership) -> Any:
        if m.pk == waiting.pk:
            return seats.seat_offer_accept(membership=m, person=m.person)
        return _approve(m)

    errors = all_at_once([waiting, *applications], act)

    assert errors == []
    waiting.refresh_from_db()
    assert waiting.status == Status.ACTIVE
    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() == CAP


def test_without_the_row_lock_the_same_approvals_oversell(monkeypatch: pytest.MonkeyPatch) -> None:
    network, applications = _network_with_applications(free=1)
    _slow_seat_count(monkeypatch)
    monkeypatch.setattr(admissions, "locked_network", lambda n: Network.objects.get(pk=n.pk))

    all_at_once(applications, _approve)

    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() > CAP
