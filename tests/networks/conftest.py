"""Fixtures of the admissions tests: a manager of another network, besides tests/conftest.py's roles."""

from __future__ import annotations

import pytest

from meute.accounts.models import User
from meute.networks.models import Network, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory

ALL_ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")


@pytest.fixture
def other_manager(other_club: Network) -> User:
    """President of `other_club`: a manager, but not of `club`."""
    user = UserFactory(email="president@autre.example")
    PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    MembershipFactory(person=user.person, network=other_club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def as_any(as_role, request):  # type: ignore[no-untyped-def]
    """Like `as_role`, with `other_manager` too."""
    from django.test import Client

    def login(role: str) -> Client:
        if role != "other_manager":
            return as_role(role)
        client = Client()
        client.force_login(request.getfixturevalue(role), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
