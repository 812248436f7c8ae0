"""Writes on accounts, people and consents."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import CURRENT_CONSENT_VERSION, Consent, ConsentPurpose, Person, User


def consent_record(
    *, person: Person, purpose: str, granted: bool, version: str = CURRENT_CONSENT_VERSION
) -> Consent:
    """Record one decision; earlier ones stay as history."""
    return Consent.objects.create(
        person=person, purpose=purpose, granted=granted, text_version=version, given_at=timezone.now()
    )


def account_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    directory_consent: bool,
    matchmaking_consent: bool,
) -> User:
    """Create an account and its person, with the two consents as given, in one transaction.

    An existing person record with the same e-mail and no account (imported from
    a network's member list) is attached to the new account instead of duplicated.
    """
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        person = Person.objects.filter(email__iexact=user.email, user__isnull=True).order_by("id").first()
        if person is None:
            person = Person.objects.create(first_name=first_name, last_name=last_name, email=user.email)
        person.user = user
        person.save(update_fields=["user"])
        consent_record(person=person, purpose=ConsentPurpose.DIRECTORY, granted=directory_consent)
        consent_record(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=matchmaking_consent)
    return user
