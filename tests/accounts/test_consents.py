"""People change their consents themselves, at any time; each decision is kept with its date and text."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from meute.accounts.models import Consent, ConsentPurpose, User
from tests.factories import UserFactory

URL = reverse("accounts:consents")


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_member_withdraws_and_grants_consents_and_the_history_stays(member: User) -> None:
    person = member.person
    assert person.has_consent(ConsentPurpose.DIRECTORY)
    before = Consent.objects.filter(person=person).count()

    page = client_of(member).get(reverse("accounts:profile")).content.decode()
    assert 'name="directory" checked' in page and "J&#x27;accepte que mon nom" in page
    response = client_of(member).post(URL, {"matchmaking": "on"}, follow=True)

    assert "Vos choix sont enregistrés" in response.content.decode()
    assert not person.has_consent(ConsentPurpose.DIRECTORY)
    assert person.has_consent(ConsentPurpose.MATCHMAKING)
    assert Consent.objects.filter(person=person).count() == before + 2  # nothing overwritten
    latest = Consent.objects.filter(person=person, purpose=ConsentPurpose.DIRECTORY).first()
    assert latest is not None and latest.text_version == "2026-01" and not latest.granted


def test_sending_the_same_choices_records_nothing(member: User) -> None:
    person = member.person
    before = Consent.objects.filter(person=person).count()
    wanted = {p: "on" for p in ConsentPurpose.values if person.has_consent(p)}
    response = client_of(member).post(URL, wanted, follow=True)
    assert (
        "Rien n&#x27;a changé." in response.content.decode()
        or "Rien n'a changé." in response.content.decode()
    )
    assert Consent.objects.filter(person=person).count() == before


def test_only_the_person_changes_their_own_consents(member: User, other_member: User) -> None:
    # a form has no field naming someone else: the consents changed are always the sender's
    client_of(other_member).post(URL, {})
    assert member.person.has_consent(ConsentPurpose.DIRECTORY)


def test_anonymous_accounts_without_a_person_and_get_are_refused(db: None) -> None:
    assert client_of(None).post(URL, {"directory": "on"}).status_code == 302  # to the login page
    assert client_of(UserFactory()).post(URL, {"directory": "on"}).status_code == 404
    assert not Consent.objects.exists()
    assert client_of(UserFactory()).get(URL).status_code == 405


def test_the_form_needs_the_csrf_token(member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(URL, {}).status_code == 403
    assert member.person.has_consent(ConsentPurpose.DIRECTORY)
