"""Six roles for the network-life pages: the five of tests/conftest.py and
`other_manager`, president of `other_club`, who must see nothing of `club`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.events.models import Audience, Event, EventKind
from meute.networks.models import Network, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory

ALL_ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")


@pytest.fixture
def other_manager(other_club: Network) -> User:
    user = UserFactory(email="president@autre.example", first_name="Paul", last_name="Roy")
    PersonFactory(user=user, first_name="Paul", last_name="Roy", email=user.email)
    MembershipFactory(person=user.person, network=other_club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """A client logged in as one of ALL_ROLES (`anonymous`: not logged in)."""

    def login(role: str) -> Client:
        assert role in ALL_ROLES, role
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def make_event(network: Network, days: int = -7, **kwargs: Any) -> Event:
    """A meeting of the network, `days` days from now (in the past by default)."""
    start = timezone.now() + dt.timedelta(days=days)
    values: dict[str, Any] = {
        "network": network,
        "title": "Réunion mensuelle",
        "kind": EventKind.MEETING,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "audience": Audience.MEMBERS,
    }
    values.update(kwargs)
    return Event.objects.create(**values)
