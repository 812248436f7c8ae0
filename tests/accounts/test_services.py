"""Multi-model writes of accounts: sign-up and consents."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meute.accounts.models import CURRENT_CONSENT_VERSION, Consent, ConsentPurpose, Person, User
from meute.accounts.services import account_signup, consent_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# account_signup


def _signup(email: str = "Nouvelle@Exemple.fr", **kwargs: object) -> User:
    data: dict[str, object] = {
        "email": email,
        "password": "une-Phrase-de-passe-solide-42",
        "first_name": "Camille",
        "last_name": "Martin",
        "directory_consent": True,
        "matchmaking_consent": False,
    }
    data.update(kwargs)
    return account_signup(**data)  # type: ignore[arg-type]


def test_signup_creates_the_account_the_person_and_both_consents() -> None:
    user = _signup()
    assert user.email == "nouvelle@exemple.fr"
    assert user.check_password("une-Phrase-de-passe-solide-42")
    person = Person.objects.get(user=user)
    assert (person.first_name, person.last_name, person.email) == ("Camille", "Martin", "nouvelle@exemple.fr")
    consents = {c.purpose: c for c in Consent.objects.filter(person=person)}
    assert set(consents) == {ConsentPurpose.DIRECTORY, ConsentPurpose.MATCHMAKING}
    assert consents[ConsentPurpose.DIRECTORY].granted is True
    assert consents[ConsentPurpose.MATCHMAKING].granted is False
    assert {c.text_version for c in consents.values()} == {CURRENT_CONSENT_VERSION}
    assert all(c.given_at is not None and c.text for c in consents.values())


def test_signup_attaches_an_imported_person_with_the_same_email_instead_of_duplicating() -> None:
    imported = PersonFactory(email="Nouvelle@exemple.fr", user=None, first_name="Camille", last_name="Martin")
    user = _signup(email="nouvelle@EXEMPLE.fr")
    assert Person.objects.filter(email__iexact="nouvelle@exemple.fr").count() == 1
    imported.refresh_from_db()
    assert imported.user == user


def test_signup_does_not_take_over_a_person_who_already_has_an_account() -> None:
    owner = User.objects.create_user(email="autre@exemple.fr", password="x-y-z-123456")
    taken = PersonFactory(email="nouvelle@exemple.fr", user=owner)
    user = _signup()
    assert Person.objects.get(user=user).pk != taken.pk
    taken.refresh_from_db()
    assert taken.user == owner


def test_signup_with_a_taken_email_writes_nothing_more() -> None:
    _signup()
    people, consents = Person.objects.count(), Consent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _signup(email="NOUVELLE@exemple.fr")
    assert refused.value.code == "exists"
    assert (Person.objects.count(), Consent.objects.count()) == (people, consents)


def test_consent_record_keeps_the_earlier_decisions() -> None:
    person = PersonFactory()
    consent_record(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    consent_record(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=False)
    assert person.consents.count() == 2
    assert person.has_consent(ConsentPurpose.MATCHMAKING) is False
