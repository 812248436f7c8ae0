"""Fixtures of the admissions tests: a manager of another network, besides tests/conftest.py's roles."""

from __future__ import annotations

import pytest

from meute.accounts.models import User
from meute.networks.models import Network, Role
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, UserFactory

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


@pytest.fixture
def neighbour(db: None) -> Network:
    """Another network full of what a query forgetting its network filter would pick up.

    Services under test run beside it (``pytestmark = pytest.mark.usefixtures("neighbour")``):
    capped at 3 and full: two active members (its president, a plumber), a former president, an open
    seat offer, two people waiting (positions 1 and 2, older than anything a test makes), an
    applicant, and one seat per profession. A count, a queue or a "someone else on the board"
    check that reads every network then finds rows that are not the tested network's.
    """
    import datetime as dt

    from django.utils import timezone

    from meute.networks.models import AdmissionMode, Status

    net = NetworkFactory(
        name="Réseau voisin",
        slug="voisin",
        member_cap=3,
        one_seat_per_profession=True,
        admission_mode=AdmissionMode.OPEN,
    )
    MembershipFactory(network=net, role=Role.PRESIDENT, person=PersonFactory(trade="Expert-comptable"))
    MembershipFactory(network=net, person=PersonFactory(organisation=None, trade="Plombier"))
    MembershipFactory(network=net, role=Role.PRESIDENT, status=Status.LEFT, end_date=dt.date(2025, 6, 30))
    now = timezone.now()
    MembershipFactory(
        network=net,
        status=Status.WAITLISTED,
        start_date=None,
        queue_position=1,
        offered_at=now,
        offer_expires_at=now + dt.timedelta(days=30),
    )
    for position in (2, 3):
        MembershipFactory(network=net, status=Status.WAITLISTED, start_date=None, queue_position=position)
    MembershipFactory(network=net, status=Status.APPLIED, start_date=None)
    return net
