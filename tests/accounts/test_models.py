"""Validation and invariants held by the accounts models: SIREN and SIRET, phone numbers, consents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from meute.accounts.models import ConsentPurpose, Organisation
from meute.accounts.validators import validate_siren, validate_siret
from tests.factories import (
    ConsentFactory,
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
