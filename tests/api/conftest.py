"""API fixtures: a token per role, a members-only event of `club`, an applicant and a dues period.

`api_as(role, scope)` returns a client whose requests carry that role's personal
access token (`anonymous`: no token at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.api.models import Scope
from meute.api.services import token_create
from meute.dues.models import DuesPeriod
from meute.events.models import Audience, Event, EventKind
from meute.networks.models import Membership, Network, Status
from tests.factories import MembershipFactory

ROLES = ("staff", "manager", "member", "other_member", "anonymous")


@pytest.fixture(autouse=True)
def generous_throttle(settings: Any) -> None:
    settings.API_THROTTLE_RATE = "100000/min"
    cache.clear()


@pytest.fixture
def api_as(request: pytest.FixtureRequest) -> Callable[..., Client]:
    def make(role: str, scope: str = Scope.READ_WRITE) -> Client:
        assert role in ROLES, role
        user = request.getfixturevalue(role)
        if user is None:
            return Client()
        _token, secret = token_create(user=user, name="test", scope=scope, days=30)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def make_event(network: Network | None, days: int = 7, **kwargs: Any) -> Event:
    start = timezone.now() + dt.timedelta(days=days)
    values: dict[str, Any] = {
        "network": network,
        "title": "Réunion mensuelle",
        "kind": EventKind.MEETING,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "audience": Audience.MEMBERS,
        "capacity": 30,
    }
    values.update(kwargs)
    return Event.objects.create(**values)


@pytest.fixture
def club_event(club: Network) -> Event:
    """A members-only meeting of `club` next week."""
    return make_event(club)


@pytest.fixture
def other_event(other_club: Network) -> Event:
    """A members-only meeting of `other_club`: `club`'s people must not find it."""
    return make_event(other_club)


@pytest.fixture
def applicant(club: Network) -> Membership:
    return MembershipFactory(network=club, status=Status.APPLIED, start_date=None)


@pytest.fixture
def other_applicant(other_club: Network) -> Membership:
    return MembershipFactory(network=other_club, status=Status.APPLIED, start_date=None)


@pytest.fixture
def period(member: User) -> DuesPeriod:
    membership = member.person.memberships.get()
    return DuesPeriod.objects.create(
        membership=membership, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=120
    )
