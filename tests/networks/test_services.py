"""Multi-model writes of networks: membership requests, network edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from meute.networks.models import AdmissionMode, Membership, Network, Status
from meute.networks.services.admissions import membership_request
from meute.networks.services.pages import network_update
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour")]

TODAY = dt.date(2026, 3, 2)


def _snapshot(network: Network) -> dict[str, object]:
    fresh = Network.objects.get(pk=network.pk)
    data = model_to_dict(fresh)
    data["updated_at"] = fresh.updated_at
    return data


# membership_request


def test_it_admits_at_once_into_an_open_network_with_seats_left() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.OPEN, member_cap=3)
    MembershipFactory.create_batch(2, network=network)
    membership = membership_request(person=PersonFactory(), network=network, today=TODAY)
    membership.refresh_from_db()
    assert (membership.status, membership.start_date) == (Status.ACTIVE, TODAY)


def test_it_admits_into_an_open_network_without_a_cap() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.OPEN, member_cap=None)
    membership = membership_request(person=PersonFactory(), network=network, today=TODAY)
    assert membership.status == Status.ACTIVE


def test_it_waitlists_when_an_open_network_is_full() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.OPEN, member_cap=2)
    MembershipFactory.create_batch(2, network=network)
    membership = membership_request(person=PersonFactory(), network=network, today=TODAY)
    assert (membership.status, membership.start_date) == (Status.WAITLISTED, None)
    assert Membership.objects.filter(network=network, status=Status.ACTIVE).count() == 2


def test_former_and_waiting_members_do_not_take_seats() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.OPEN, member_cap=1)
    MembershipFactory(network=network, status=Status.LEFT)
    MembershipFactory(network=network, status=Status.APPLIED)
    assert membership_request(person=PersonFactory(), network=network).status == Status.ACTIVE


@pytest.mark.parametrize("mode", [AdmissionMode.APPLICATION, AdmissionMode.COOPTATION])
def test_it_records_an_application_when_the_board_decides(mode: AdmissionMode) -> None:
    network = NetworkFactory(admission_mode=mode, member_cap=None)
    membership = membership_request(person=PersonFactory(), network=network, today=TODAY)
    assert (membership.status, membership.start_date) == (Status.APPLIED, None)


def test_it_refuses_a_second_request_from_the_same_person() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.APPLICATION)
    person = PersonFactory()
    membership_request(person=person, network=network)
    with pytest.raises(ValidationError, match="déjà une adhésion"):
        membership_request(person=person, network=network)
    assert Membership.objects.filter(person=person, network=network).count() == 1


def test_a_former_member_may_ask_again() -> None:
    old = MembershipFactory(status=Status.LEFT, network=NetworkFactory(admission_mode=AdmissionMode.OPEN))
    again = membership_request(person=old.person, network=old.network)
    assert again.status == Status.ACTIVE
    assert Membership.objects.filter(person=old.person, network=old.network).count() == 2


# network_update


def test_it_saves_a_manager_edit() -> None:
    network = NetworkFactory(tagline="Avant", member_cap=10)
    network_update(network=network, data={"tagline": "Après", "member_cap": 12})
    network.refresh_from_db()
    assert (network.tagline, network.member_cap) == ("Après", 12)


def test_it_refuses_a_cap_below_the_active_members_and_saves_nothing() -> None:
    network = NetworkFactory(tagline="Avant", member_cap=10)
    MembershipFactory.create_batch(3, network=network)
    before = _snapshot(network)
    with pytest.raises(ValidationError) as exc:
        network_update(network=network, data={"tagline": "Après", "member_cap": 2})
    assert list(exc.value.message_dict) == ["member_cap"]
    assert "3 membres actifs" in exc.value.message_dict["member_cap"][0]
    assert _snapshot(network) == before


def test_a_cap_equal_to_the_active_members_is_accepted() -> None:
    network = NetworkFactory(member_cap=10)
    MembershipFactory.create_batch(3, network=network)
    network_update(network=network, data={"member_cap": 3})
    assert Network.objects.get(pk=network.pk).member_cap == 3


def test_it_refuses_fields_a_manager_may_not_edit() -> None:
    network = NetworkFactory(name="Nom", slug="nom")
    before = _snapshot(network)
    with pytest.raises(ValidationError, match="Champs non modifiables : is_published, slug"):
        network_update(network=network, data={"slug": "autre", "is_published": False, "tagline": "x"})
    assert _snapshot(network) == before


def test_it_validates_the_whole_network_before_saving() -> None:
    network = NetworkFactory(tagline="Avant")
    before = _snapshot(network)
    with pytest.raises(ValidationError) as exc:
        network_update(
            network=network, data={"tagline": "Après", "refuses_solicitation": True, "charter": ""}
        )
    assert "charter" in exc.value.message_dict
    assert _snapshot(network) == before
