"""Fixtures for business-meeting days and outcomes, imported by tests/events/business/test_*.py
and tests/events/outcomes/test_*.py (`from tests.events.conftest_business import *`).

Named roles, on top of tests/conftest.py (`club`, `staff`, `manager`, `member`, `other_member`):

- `day`: a business-meeting day of `club`, in ten days, 4 slots of 20 minutes, 2 tables;
- `participant`, `partner`: club members registered to `day`, consenting to matchmaking;
- `member`: a club member *not* registered (the non-participant member);
- `other_manager`: president of `other_club`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meute.accounts.models import ConsentPurpose, User
from meute.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from meute.networks.models import Network, Role
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory

BUSINESS_ROLES = ("staff", "manager", "other_manager", "participant", "member", "anonymous")

START = dt.timedelta(days=10)


def make_day(network: Network | None, **kwargs: Any) -> Event:
    start = kwargs.pop("starts_at", timezone.now() + START)
    values: dict[str, Any] = {
        "network": network,
        "title": "Journée d'affaires de Touraine",
        "kind": EventKind.BUSINESS_DAY,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=4),
        "audience": Audience.MEMBERS if network else Audience.PUBLIC,
        "slots": 4,
        "slot_minutes": 20,
        "tables": 2,
        "request_ttl_hours": 72,
    }
    values.update(kwargs)
    event = Event(**values)
    event.full_clean()
    event.save()
    return event


def make_user(network: Network | None = None, *, role: str = Role.MEMBER, **kwargs: Any) -> User:
    user: User = UserFactory(**kwargs)  # type: ignore[assignment]
    person = PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    if network is not None:
        MembershipFactory(person=person, network=network, role=role)
    return user


def register(event: Event, user_or_person: Any, *, consent: bool = True, **kwargs: Any) -> Registration:
    """A confirmed registration, written directly (registration rules are tested elsewhere)."""
    person = getattr(user_or_person, "person", user_or_person)
    if consent:
        ConsentFactory(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    values = {"status": RegistrationStatus.CONFIRMED, "offers": person.offers, "seeks": person.seeks}
    values.update(kwargs)
    return Registration.objects.create(event=event, person=person, **values)


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def day(club: Network) -> Event:
    return make_day(club)


@pytest.fixture
def participant(day: Event, club: Network) -> User:
    user = make_user(club, first_name="Alice", last_name="Martin")
    register(day, user, offers="Menuiserie sur mesure", seeks="Architectes")
    return user


@pytest.fixture
def partner(day: Event, club: Network) -> User:
    user = make_user(club, first_name="Bruno", last_name="Petit")
    register(day, user, offers="Plans d'architecte", seeks="Artisans du bois")
    return user


@pytest.fixture
def other_manager(other_club: Network) -> User:
    return make_user(other_club, role=Role.PRESIDENT, first_name="Oscar", last_name="Autre")


@pytest.fixture
def client_as(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """A client logged in as one of BUSINESS_ROLES (`anonymous`: nobody)."""

    def make(role: str) -> Client:
        assert role in BUSINESS_ROLES, role
        return login(None if role == "anonymous" else request.getfixturevalue(role))

    return make


def reg_of(event: Event, user: User) -> Registration:
    return Registration.objects.get(event=event, person=user.person, status=RegistrationStatus.CONFIRMED)
