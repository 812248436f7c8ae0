"""Speed-meeting fixtures: a speed event of `club` with six participants.

`member` (from tests/conftest.py) is one of the six, so permission tests can
read "a participant"; the five others are members of `club` with profiles that
complement each other. Two of them work for the same company (colleagues).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from meute.accounts.models import ConsentPurpose, User
from meute.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from meute.networks.models import Network
from tests.factories import ConsentFactory, MembershipFactory, OrganisationFactory

PROFILES = [
    ("Expertise comptable pour artisans", "Des clients artisans du bâtiment"),
    ("Plomberie et chauffage", "Un expert-comptable et une assurance"),
    ("Assurance des entreprises", "Des artisans à assurer"),
    ("Électricité générale", "Un architecte et un comptable"),
    ("Architecture et maîtrise d'œuvre", "Des entreprises du bâtiment"),
    ("Communication et sites internet", "Des clients artisans"),
]


@pytest.fixture
def speed_event(club: Network) -> Event:
    start = timezone.now() + dt.timedelta(days=7)
    event = Event(
        network=club,
        title="Rendez-vous express de l'Été",
        kind=EventKind.SPEED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        audience=Audience.MEMBERS,
        place="Château de Tours",
    )
    event.full_clean()
    event.save()
    return event


def register(event: Event, person: Any, *, consent: bool = True, **kwargs: Any) -> Registration:
    if consent:
        ConsentFactory(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    values: dict[str, Any] = {
        "status": RegistrationStatus.CONFIRMED,
        "offers": person.offers,
        "seeks": person.seeks,
    }
    values.update(kwargs)
    return Registration.objects.create(event=event, person=person, **values)


@pytest.fixture
def speed_people(speed_event: Event, club: Network, member: User) -> list[Registration]:
    """Six confirmed participants; the 2nd and 3rd are colleagues; the 1st is `member`."""
    shared = OrganisationFactory(name="Durand & Fils")
    regs = [register(speed_event, member.person, offers=PROFILES[0][0], seeks=PROFILES[0][1])]
    for k, (offers, seeks) in enumerate(PROFILES[1:], start=1):
        person = MembershipFactory(network=club).person
        if k in (1, 2):
            person.organisation = shared
            person.save()
        regs.append(register(speed_event, person, offers=offers, seeks=seeks))
    return regs


@pytest.fixture
def other_manager(other_club: Network) -> User:
    """A president of another network: runs their own events, not `club`'s."""
    from meute.networks.models import Role
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(email="presidente@autre.example")
    PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    MembershipFactory(person=user.person, network=other_club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def non_participant(club: Network) -> User:
    """A member of `club` who did not register for the speed event."""
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(email="curieux@club.example")
    PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    MembershipFactory(person=user.person, network=club)
    return user


@pytest.fixture
def published_plan(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> Any:
    from meute.events.speed import services as speed_services

    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=8, break_minutes=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_generate(plan=plan)
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        return speed_services.plan_publish(plan=plan)


def _meeting(network: Network, title: str, **kwargs: Any) -> Event:
    start = timezone.now() + dt.timedelta(days=10)
    event = Event(
        network=network,
        title=title,
        kind=EventKind.MEETING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        audience=Audience.MEMBERS,
        place="Hôtel de la Loire",
        **kwargs,
    )
    event.full_clean()
    event.save()
    return event


@pytest.fixture
def neighbour_event(club: Network, member: User) -> Event:
    """Another event of `club` the same week, full: `member` and another member confirmed, one waiting.

    Its rows are older than anything a test makes, so a count, a duplicate check or a
    promotion that forgets its event filter picks them up and fails the test.
    """
    event = _meeting(club, "Petit-déjeuner du réseau", capacity=2)
    Registration.objects.create(event=event, person=member.person, status=RegistrationStatus.CONFIRMED)
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
        person = MembershipFactory(network=club).person
        Registration.objects.create(event=event, person=person, status=status)
    return event


@pytest.fixture
def club_event(club: Network, neighbour_event: Event) -> Event:
    """A meeting of `club` with two places, always beside `neighbour_event`."""
    return _meeting(club, "Dîner mensuel", capacity=2)
