"""Walk-ins at check-in: registered with what the organiser typed, never revealing a stored record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from meute.accounts.models import Person, User
from meute.events import services
from meute.events.models import CheckIn, Event, Registration, RegistrationStatus
from meute.networks.models import Network, Role, Status
from tests.events.test_registrations import make_event
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour_event")]


@pytest.fixture
def other_manager(other_club: Network) -> User:
    user = UserFactory(email="president@autre.example", first_name="Paul", last_name="Roy")
    PersonFactory(user=user, first_name="Paul", last_name="Roy", email=user.email)
    MembershipFactory(person=user.person, network=other_club, role=Role.PRESIDENT)
    return user


@pytest.fixture
def company_of_member(member: User) -> None:
    member.person.organisation = OrganisationFactory(name="Moreau SARL")
    member.person.save()


def walk_in(client: Client, event: Event, **typed: str) -> str:
    response = client.post(f"/evenements/{event.pk}/pointage/sur-place/", typed, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_manager_of_another_network_learns_nothing_from_a_strangers_email(
    other_club: Network,
    member: User,
    company_of_member: None,
    as_role: Callable[[str], Client],
    other_manager: User,
) -> None:
    own = make_event(other_club)
    client = Client()
    client.force_login(other_manager, backend="django.contrib.auth.backends.ModelBackend")

    html = walk_in(client, own, first_name="Jean", last_name="Inconnu", email="membre@club.example")

    assert "Claire" not in html and "Moreau" not in html
    assert "Jean Inconnu est enregistré(e) sur place." in html
    assert not Registration.objects.filter(event=own, person=member.person).exists()
    registration = Registration.objects.get(event=own)
    assert (registration.person.first_name, registration.person.last_name) == ("Jean", "Inconnu")
    assert registration.person.user is None and registration.person.organisation is None
    assert registration.walk_in and registration.attendance == CheckIn.PRESENT


def test_typing_the_right_name_does_not_link_a_person_of_another_network(
    other_club: Network, member: User, company_of_member: None, other_manager: User
) -> None:
    own = make_event(other_club)

    registration = services.walk_in_register(
        event=own, actor=other_manager, first_name="Claire", last_name="Moreau", email="membre@club.example"
    )

    assert registration.person != member.person
    assert registration.person.organisation is None  # not "Moreau SARL"


def test_a_member_of_the_organising_network_typed_with_their_name_is_linked(
    club: Network, member: User, company_of_member: None, as_role: Callable[[str], Client]
) -> None:
    event = make_event(club)

    html = walk_in(
        as_role("manager"), event, first_name="claire", last_name="MOREAU", email="Membre@Club.example"
    )

    registration = Registration.objects.get(event=event)
    assert registration.person == member.person
    assert "claire MOREAU est enregistré(e) sur place." in html
    assert Person.objects.filter(email__iexact="membre@club.example").count() == 1


def test_a_members_email_typed_with_another_name_is_not_linked_nor_revealed(
    club: Network, member: User, company_of_member: None, as_role: Callable[[str], Client]
) -> None:
    event = make_event(club)

    html = walk_in(as_role("manager"), event, first_name="?", last_name="?", email="membre@club.example")

    registration = Registration.objects.get(event=event)
    assert registration.person != member.person
    assert "Claire" not in html and "Moreau SARL" not in html


def test_a_former_member_is_not_linked(club: Network, as_role: Callable[[str], Client]) -> None:
    event = make_event(club)
    former = MembershipFactory(network=club, status=Status.LEFT).person

    walk_in(
        as_role("manager"),
        event,
        first_name=former.first_name,
        last_name=former.last_name,
        email=former.email,
    )

    assert Registration.objects.get(event=event).person != former


def test_chamber_staff_may_link_anyone_who_gives_their_name_and_email(
    staff: User, other_member: User
) -> None:
    event = make_event(None, title="Soirée de la CCI")

    registration = services.walk_in_register(
        event=event, actor=staff, first_name="Hugo", last_name="Bernard", email="membre@autre.example"
    )

    assert registration.person == other_member.person


def test_a_linked_member_already_registered_is_told_in_the_typed_words(
    club: Network, member: User, as_role: Callable[[str], Client]
) -> None:
    event = make_event(club)
    services.registration_create(event=event, person=member.person)

    html = walk_in(
        as_role("manager"), event, first_name="Claire", last_name="Moreau", email="membre@club.example"
    )

    assert "Claire Moreau est déjà inscrit(e) à cet événement" in html
    assert Registration.objects.filter(event=event).count() == 1


def test_a_walk_in_without_email_gets_a_new_record_with_the_typed_company(
    club: Network, manager: User
) -> None:
    event = make_event(club)

    registration = services.walk_in_register(
        event=event, actor=manager, first_name="Zoé", last_name="Martin", company="Martin SARL"
    )

    assert registration.person.email == "" and registration.person.organisation is not None
    assert registration.person.organisation.name == "Martin SARL"
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_second_walk_in_of_the_same_member_is_refused(club: Network, member: User, manager: User) -> None:
    event = make_event(club)
    services.walk_in_register(
        event=event, actor=manager, first_name="Claire", last_name="Moreau", email="membre@club.example"
    )

    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.walk_in_register(
            event=event, actor=manager, first_name="Claire", last_name="Moreau", email="membre@club.example"
        )
