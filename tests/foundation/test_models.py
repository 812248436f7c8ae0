"""Validation and invariants held by the models themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from meute.accounts.models import ConsentPurpose, Organisation, Person
from meute.accounts.validators import validate_siren, validate_siret
from meute.engine.text import fold
from meute.networks.models import Membership, Network, Status
from meute.networks.search import network_search_text, stems
from meute.networks.selectors import DirectoryFilters, directory_search
from tests.factories import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    valid_siren,
    valid_siret,
)

pytestmark = pytest.mark.django_db


def _bad_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def _errors(obj: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()  # type: ignore[attr-defined]
    return exc.value.message_dict


# SIREN and SIRET


def test_the_factory_makes_organisations_that_pass_validation() -> None:
    org = OrganisationFactory()
    org.full_clean()
    assert org.siret.startswith(org.siren)


def test_it_refuses_a_siren_with_a_bad_check_digit_naming_the_field() -> None:
    org = Organisation(name="ACME", siren=_bad_check_digit(valid_siren()))
    assert _errors(org) == {"siren": ["le numéro SIREN a une clé de contrôle invalide"]}


def test_it_refuses_a_siren_of_the_wrong_length() -> None:
    org = Organisation(name="ACME", siren="12345678")
    assert _errors(org) == {"siren": ["le numéro SIREN n'a pas le bon nombre de chiffres"]}


def test_it_refuses_a_siren_with_letters() -> None:
    org = Organisation(name="ACME", siren="12345678A")
    assert _errors(org) == {"siren": ["le numéro SIREN ne doit contenir que des chiffres"]}


def test_it_refuses_a_siret_with_a_bad_check_digit_naming_the_field() -> None:
    siren = valid_siren()
    org = Organisation(name="ACME", siren=siren, siret=_bad_check_digit(valid_siret(siren)))
    assert _errors(org) == {"siret": ["le numéro SIRET a une clé de contrôle invalide"]}


def test_it_refuses_a_siret_of_the_wrong_length() -> None:
    org = Organisation(name="ACME", siret="1234567890123")
    assert "le numéro SIRET n'a pas le bon nombre de chiffres" in _errors(org)["siret"]


def test_it_refuses_a_siret_with_letters() -> None:
    org = Organisation(name="ACME", siret="1234567890123X")
    assert "le numéro SIRET ne doit contenir que des chiffres" in _errors(org)["siret"]


def test_it_refuses_a_siret_that_does_not_start_with_the_siren() -> None:
    siren, other = valid_siren(), valid_siren()
    while other == siren:
        other = valid_siren()
    org = Organisation(name="ACME", siren=siren, siret=valid_siret(other))
    assert _errors(org) == {"siret": ["le SIRET ne commence pas par le SIREN de l'organisation"]}


@settings(max_examples=200, deadline=None)
@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=8),
    tail=st.text(alphabet="0123456789", min_size=4, max_size=4),
    position=st.integers(0, 13),
    delta=st.integers(1, 9),
)
def test_changing_any_one_digit_of_a_valid_siret_is_caught(
    body: str, tail: str, position: int, delta: int
) -> None:
    siren = body + luhn.calc_check_digit(body)
    siret = siren + tail + luhn.calc_check_digit(siren + tail)
    assume(not siret.startswith("356000000"))  # La Poste's establishments use another checksum
    validate_siren(siren)
    validate_siret(siret)
    typo = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1 :]
    with pytest.raises(ValidationError):
        validate_siret(typo)


def test_it_fills_the_siren_from_the_siret() -> None:
    siret = valid_siret(valid_siren())
    org = Organisation(name="ACME", siret=siret)
    org.full_clean()
    assert org.siren == siret[:9]


# Phone numbers


def test_it_stores_phone_numbers_in_e164() -> None:
    person = PersonFactory.build(organisation=None, phone="02 47 47 20 00")
    person.full_clean()
    assert person.phone == "+33247472000"
    assert person.phone_display == "02 47 47 20 00"


def test_it_refuses_a_phone_number_that_does_not_exist_naming_the_field() -> None:
    person = PersonFactory.build(organisation=None, phone="12345")
    assert _errors(person) == {"phone": ["ce numéro de téléphone n'existe pas"]}


def test_it_refuses_an_unreadable_phone_number_naming_the_field() -> None:
    person = PersonFactory.build(organisation=None, phone="pas un numéro")
    assert _errors(person) == {"phone": ["ce numéro de téléphone est illisible"]}


# Consents


def test_a_person_without_any_decision_has_no_consent() -> None:
    assert PersonFactory().has_consent(ConsentPurpose.DIRECTORY) is False


def test_has_consent_follows_the_latest_decision() -> None:
    person = PersonFactory()
    t0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    ConsentFactory(person=person, granted=True, given_at=t0)
    assert person.has_consent(ConsentPurpose.DIRECTORY) is True
    ConsentFactory(person=person, granted=False, given_at=t0 + dt.timedelta(days=1))
    assert person.has_consent(ConsentPurpose.DIRECTORY) is False
    ConsentFactory(person=person, granted=True, given_at=t0 + dt.timedelta(days=2))
    assert person.has_consent(ConsentPurpose.DIRECTORY) is True
    assert person.consents.count() == 3  # history kept


def test_a_consent_for_one_purpose_says_nothing_of_another() -> None:
    person = PersonFactory()
    ConsentFactory(person=person, purpose=ConsentPurpose.DIRECTORY, granted=True)
    assert person.has_consent(ConsentPurpose.MATCHMAKING) is False


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
