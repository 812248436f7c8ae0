"""Beyond the shared roles: `other_manager`, president of `other_club`, and a client for any of the six roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.networks.models import Network, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory

SIX_ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")


@pytest.fixture
def other_manager(other_club: Network) -> User:
    user = UserFactory(email="president@autre.example")
    person = PersonFactory(user=user, first_name="Zoé", last_name="Perrin")
    MembershipFactory(person=person, network=other_club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    def login(role: str) -> Client:
        assert role in SIX_ROLES, role
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
