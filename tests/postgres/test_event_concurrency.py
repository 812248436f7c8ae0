"""An event's places cannot be oversold when many people register at the same second."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from meute.accounts.models import Person
from meute.events import services
from meute.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from tests.postgres.concurrency import all_at_once, slow_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAPACITY = 3
PEOPLE = 10


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (DATABASE_URL); SQLite serialises writers")


def _event_and_people() -> tuple[Event, list[Person]]:
    start = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        title="Soirée réseau",
        kind=EventKind.EVENING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        audience=Audience.PUBLIC,
        capacity=CAPACITY,
    )
    people = [Person.objects.create(first_name="Invité", last_name=str(i)) for i in range(PEOPLE)]
    return event, people


def _register_all(event: Event, people: list[Person]) -> list[str]:
    return all_at_once(people, lambda person: services.registration_create(event=event, person=person))


def test_concurrent_registrations_never_exceed_the_capacity(monkeypatch: pytest.MonkeyPatch) -> None:
    event, people = _event_and_people()
    slow_create(monkeypatch, Registration.objects)

    assert _register_all(event, people) == []

    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITLISTED) == PEOPLE - CAPACITY


def test_without_the_row_lock_the_same_test_sees_overbooking(monkeypatch: pytest.MonkeyPatch) -> None:
    event, people = _event_and_people()
    slow_create(monkeypatch, Registration.objects)
    monkeypatch.setattr(services, "_locked", lambda e: Event.objects.get(pk=e.pk))

    _register_all(event, people)

    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    assert confirmed > CAPACITY


def test_the_same_person_registering_twice_at_once_gets_one_registration() -> None:
    event, people = _event_and_people()

    errors = all_at_once(
        [people[0]] * 4, lambda person: services.registration_create(event=event, person=person)
    )

    assert Registration.objects.filter(event=event, person=people[0]).count() == 1
    assert len(errors) == 3 and all("déjà inscrit" in e for e in errors)
