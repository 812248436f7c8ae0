"""Writes on accounts, people and consents."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import (
    CURRENT_CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    Person,
    SignupRequest,
    User,
)
from meute.accounts.tasks import send_signup_email
from meute.accounts.tokens import (
    email_digest,
    normalise_email,
)

SIGNUP_LIMIT_WINDOW = dt.timedelta(hours=1)


def consent_record(
    *, person: Person, purpose: str, granted: bool, version: str = CURRENT_CONSENT_VERSION
) -> Consent:
    """Record one decision; earlier ones stay as history."""
    return Consent.objects.create(
        person=person, purpose=purpose, granted=granted, text_version=version, given_at=timezone.now()
    )


def signup_request(*, email: str, client_ip: str | None, base_url: str) -> bool:
    """Answer a sign-up form: e-mail the address, never attach or create anything yet.

    The e-mail (sent by `send_signup_email` once this commits) carries a link to
    create the account if the address has none, or tells its owner that someone
    tried to sign up with it. The caller answers the same in both cases, so the
    form says nothing about who has an account.

    Returns False, recording and sending nothing, when the client address has sent
    SIGNUP_LIMIT_PER_CLIENT requests in the last hour. Past SIGNUP_LIMIT_PER_EMAIL
    requests for one address in the hour, the request counts but no e-mail leaves,
    and the answer stays True: the mailbox is not flooded and nothing is revealed.
    """
    email = normalise_email(email)
    digest = email_digest(email)
    now = timezone.now()
    since = now - SIGNUP_LIMIT_WINDOW
    with transaction.atomic():
        SignupRequest.objects.filter(created_at__lt=since).delete()
        if (
            client_ip
            and SignupRequest.objects.filter(client_ip=client_ip, created_at__gte=since).count()
            >= settings.SIGNUP_LIMIT_PER_CLIENT
        ):
            return False
        sent_to_email = SignupRequest.objects.filter(email_digest=digest, created_at__gte=since).count()
        SignupRequest.objects.create(email_digest=digest, client_ip=client_ip, created_at=now)
        if sent_to_email < settings.SIGNUP_LIMIT_PER_EMAIL:
            transaction.on_commit(lambda: send_signup_email.enqueue(email, base_url))  # type: ignore[misc]
    return True


def signup_person(*, email: str) -> Person | None:
    """The person record a new account for `email` takes over: imported with that address, no account."""
    return Person.objects.filter(email__iexact=email, user__isnull=True).order_by("id").first()


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

    Only for an address proven by a sign-up link (`signup_token_email`): an
    existing person record with the same e-mail and no account (imported from a
    network's member list, with its memberships and roles) is attached to the new
    account instead of duplicated. Raises ValidationError (code "exists") if the
    address already has an account.
    """
    email = normalise_email(email)
    exists = ValidationError(_("Un compte existe déjà pour cette adresse."), code="exists")
    if User.objects.filter(email__iexact=email).exists():
        raise exists
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, first_name=first_name, last_name=last_name
            )
            # Found by address, not by id, so not through `meute.core.locking.locked`; a single
            # row of its last group ("Person"), locked on its own.
            person = (
                Person.objects.select_for_update()
                .filter(email__iexact=email, user__isnull=True)
                .order_by("id")
                .first()
            )
            if person is None:
                person = Person.objects.create(first_name=first_name, last_name=last_name, email=email)
            person.user = user
            person.save(update_fields=["user"])
            consent_record(person=person, purpose=ConsentPurpose.DIRECTORY, granted=directory_consent)
            consent_record(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=matchmaking_consent)
    except IntegrityError as exc:  # the same link followed twice at once
        raise exists from exc
    return user
