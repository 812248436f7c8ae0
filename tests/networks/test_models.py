"""Validation and invariants held by the networks models, and the directory search text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meute.accounts.models import Person
from meute.engine.text import fold
from meute.networks.models import Membership, Network, Status, network_search_text
from meute.networks.search import stems
from meute.networks.selectors import DirectoryFilters, directory_search
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _errors(obj: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()  # type: ignore[attr-defined]
    return exc.value.message_dict


# Networks


def test_it_refuses_unknown_purposes_naming_the_field() -> None:
    network = NetworkFactory.build(purposes=["exchange", "gossip"])
    errors = _errors(network)
    assert list(errors) == ["purposes"]
    assert "gossip" in errors["purposes"][0]


def test_it_refuses_unknown_meeting_formats() -> None:
    network = NetworkFactory.build(formats=["teleportation"])
    assert "teleportation" in _errors(network)["formats"][0]


def test_a_network_refusing_solicitation_must_publish_its_charter() -> None:
    network = NetworkFactory.build(refuses_solicitation=True, charter="")
    assert _errors(network) == {
        "charter": ["un réseau qui refuse la sollicitation commerciale doit publier sa charte"]
    }


def test_a_network_refusing_solicitation_with_a_versioned_charter_is_valid() -> None:
    network = NetworkFactory.build(refuses_solicitation=True, charter="Pas de vente.", charter_version="v1")
    network.full_clean()
    assert network.business_features_enabled is False


def test_a_charter_needs_a_version() -> None:
    network = NetworkFactory.build(charter="Bienveillance.", charter_version="")
    assert list(_errors(network)) == ["charter_version"]


# Memberships


def test_a_person_cannot_hold_two_open_memberships_in_one_network() -> None:
    first = MembershipFactory(status=Status.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=first.person, network=first.network, status=Status.APPLIED)


def test_a_person_who_left_may_join_again_and_the_history_is_kept() -> None:
    old = MembershipFactory(status=Status.LEFT, start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 6, 30))
    again = MembershipFactory(person=old.person, network=old.network, status=Status.ACTIVE)
    assert list(
        Membership.objects.filter(person=old.person, network=old.network)
        .order_by("id")
        .values_list("status", flat=True)
    ) == [Status.LEFT, Status.ACTIVE]
    assert again.pk != old.pk


def test_a_membership_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(status=Status.LEFT, start_date=dt.date(2024, 1, 1), end_date=dt.date(2023, 1, 1))


# Search text


def test_folding_removes_accents_and_case() -> None:
    assert fold("Bâtiment ÉCOLOGIQUE") == "batiment ecologique"


@pytest.mark.parametrize("query", ["batiment", "Bâtiment", "BATIMENT", "bâtiments", "batiments"])
def test_search_finds_a_network_described_with_batiment_whatever_the_accents_case_or_plural(
    query: str,
) -> None:
    NetworkFactory(name="Les Bâtisseurs", description="Chefs d'entreprise du Bâtiment en Touraine")
    NetworkFactory(name="Club numérique", description="Logiciels et données")
    found = directory_search(DirectoryFilters(q=query))
    assert [n.name for n in found] == ["Les Bâtisseurs"]


def test_every_query_word_must_match() -> None:
    NetworkFactory(name="Club", description="Bâtiment et énergie")
    assert directory_search(DirectoryFilters(q="bâtiment énergie")).count() == 1
    assert directory_search(DirectoryFilters(q="bâtiment vin")).count() == 0


def test_the_search_text_is_kept_up_to_date_on_save() -> None:
    network = NetworkFactory(description="Viticulture")
    network.description = "Bâtiment"
    network.save()
    network.refresh_from_db()
    assert network.search_text == network_search_text(network)
    assert f" {stems('bâtiment')[0]}" in network.search_text


def test_the_search_text_includes_the_labels_of_the_sectors() -> None:
    network = NetworkFactory(description="", sectors=["F"])  # F: construction
    assert f" {stems('construction')[0]}" in Network.objects.get(pk=network.pk).search_text


def test_the_factories_build_a_valid_person_and_network() -> None:
    person: Person = PersonFactory()
    person.full_clean()
    NetworkFactory().full_clean()
