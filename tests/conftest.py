"""Named people and networks, so every permission test reads the same.

- `club`: a published, open network; `other_club`: another one.
- `staff`: CCI staff (is_staff), member of no network.
- `manager`: president of `club`.
- `member`: active member of `club`.
- `other_member`: active member of `other_club` only.
- `anonymous`: nobody logged in.

`as_role("member")` returns a test client logged in as that role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meute.accounts.models import ConsentPurpose, User
from meute.networks.models import Network, Role
from tests.factories import ConsentFactory, MembershipFactory, NetworkFactory, PersonFactory, UserFactory

ROLES = ("staff", "manager", "member", "other_member", "anonymous")


def _user_with_person(**user_kwargs: object) -> User:
    user = UserFactory(**user_kwargs)
    PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    return user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    # PBKDF2's deliberate slowness costs a second per account and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def club(db: None) -> Network:
    return NetworkFactory(name="Club des dirigeants du Bâtiment", slug="club", member_cap=20)


@pytest.fixture
def other_club(db: None) -> Network:
    return NetworkFactory(name="Autre club", slug="other-club")


@pytest.fixture
def staff(db: None) -> User:
    return _user_with_person(email="staff@cci.example", first_name="Inès", last_name="Garnier", is_staff=True)


@pytest.fixture
def manager(club: Network) -> User:
    user = _user_with_person(email="president@club.example", first_name="Marc", last_name="Lenoir")
    MembershipFactory(person=user.person, network=club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def member(club: Network) -> User:
    user = _user_with_person(email="membre@club.example", first_name="Claire", last_name="Moreau")
    MembershipFactory(person=user.person, network=club)
    # Members consent to appear in their network's list unless a test says otherwise.
    ConsentFactory(person=user.person, purpose=ConsentPurpose.DIRECTORY, granted=True)
    return user


@pytest.fixture
def other_member(other_club: Network) -> User:
    user = _user_with_person(email="membre@autre.example", first_name="Hugo", last_name="Bernard")
    MembershipFactory(person=user.person, network=other_club)
    return user


@pytest.fixture
def anonymous() -> None:
    return None


@pytest.fixture
def as_role(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """A fresh client logged in as the named role (`anonymous`: not logged in)."""

    def login(role: str) -> Client:
        assert role in ROLES, role
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
