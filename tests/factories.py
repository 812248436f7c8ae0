"""factory_boy factories with French fake data.

Each factory builds the smallest valid object; tests say what matters to them
through keyword arguments (`NetworkFactory(member_cap=2)`), never through a
shared world.
"""

from __future__ import annotations

import datetime as dt
import random

import factory
import factory.random
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum import luhn

from meute.accounts.models import (
    CURRENT_CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    Organisation,
    Person,
    User,
)
from meute.networks.models import AdmissionMode, Kind, Membership, Network, Purpose, Rhythm, Role, Status

PASSWORD = "une-Phrase-de-passe-solide-42"


def fr(provider: str, **kwargs: object) -> factory.Faker:
    """A French Faker value (names, companies, jobs as a Tours chamber would see them)."""
    return factory.Faker(provider, locale="fr_FR", **kwargs)


def valid_siren(rng: random.Random | None = None) -> str:
    """Eight random digits and their Luhn check digit: a SIREN that stdnum accepts."""
    # factory_boy's generator, so `factory.random.reseed_random` makes runs repeatable.
    rng = rng or factory.random.randgen
    body = "".join(rng.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit(body)


def valid_siret(siren: str, rng: random.Random | None = None) -> str:
    """The SIREN, four digits of establishment number and a Luhn check digit over the 13."""
    # factory_boy's generator, so `factory.random.reseed_random` makes runs repeatable.
    rng = rng or factory.random.randgen
    body = siren + "".join(rng.choice("0123456789") for _ in range(4))
    return body + luhn.calc_check_digit(body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    username = factory.SelfAttribute("email")
    first_name = fr("first_name")
    last_name = fr("last_name")
    is_active = True
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = fr("company")
    siren = factory.LazyFunction(valid_siren)
    siret = factory.LazyAttribute(lambda o: valid_siret(o.siren))


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = fr("first_name")
    last_name = fr("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@exemple.fr")
    job_title = fr("job")
    organisation = factory.SubFactory(OrganisationFactory)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau {n:03d}")
    slug = factory.Sequence(lambda n: f"reseau-{n:03d}")
    kind = Kind.CLUB
    tagline = fr("catch_phrase")
    purposes = factory.LazyFunction(lambda: [Purpose.EXCHANGE.value])
    rhythm = Rhythm.MONTHLY
    admission_mode = AdmissionMode.OPEN
    is_published = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Role.MEMBER
    status = Status.ACTIVE
    start_date = factory.LazyFunction(lambda: dt.date(2025, 1, 15))


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.DIRECTORY
    granted = True
    text_version = CURRENT_CONSENT_VERSION
    given_at = factory.LazyFunction(timezone.now)
