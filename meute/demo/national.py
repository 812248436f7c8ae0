"""A national-scale data set, generated fast and the same for a given seed.

`meute demo_load --scale national [--seed S]` builds about 100,000 people,
3,000 networks, 400,000 memberships, 20,000 events and 300,000 registrations
with `bulk_create` in batches, to measure the pages and the query plans at the
size of a national federation (docs/benchmarks.md). `--scale sample` builds
the same shape a thousand times smaller, for the query-count tests.

Everything comes from one `random.Random(seed)`: the same seed gives the same
rows (ids aside). Nobody here can log in except the accounts of
:data:`LOAD_ACCOUNTS`, made for the load tests (password ``LOAD_PASSWORD``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from meute.accounts.models import Person, User
from meute.events.models import Audience, Event, EventKind, EventStatus, Registration, RegistrationStatus
from meute.networks.models import (
    AdmissionMode,
    Kind,
    Membership,
    Network,
    Rhythm,
    Role,
    Status,
    network_search_text,
)

__all__ = ["SCALES", "Scale", "national_load"]

LOAD_PASSWORD = "charge-nationale-2026"
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    people: int
    networks: int
    memberships: int
    events: int
    registrations: int
    accounts: int  # people with a log-in, for the load tests


SCALES = {
    "national": Scale(100_000, 3_000, 400_000, 20_000, 300_000, accounts=400),
    "sample": Scale(100, 3, 400, 20, 300, accounts=5),
}

FIRST = [
    "Camille",
    "Louis",
    "Léa",
    "Hugo",
    "Chloé",
    "Jules",
    "Inès",
    "Gabriel",
    "Manon",
    "Arthur",
    "Jade",
    "Raphaël",
    "Louise",
    "Adam",
    "Emma",
    "Paul",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
]
TRADES = [
    "boulanger",
    "architecte",
    "expert-comptable",
    "plombier",
    "avocat",
    "imprimeur",
    "menuisier",
    "graphiste",
    "électricien",
]
REGIONS = [
    "Bretagne",
    "Normandie",
    "Occitanie",
    "Provence",
    "Alsace",
    "Bourgogne",
    "Auvergne",
    "Lorraine",
    "Picardie",
    "Touraine",
]
THEMES = [
    "export",
    "numérique",
    "recrutement",
    "transmission",
    "énergie",
    "industrie",
    "commerce",
    "tourisme",
    "innovation",
]


def _batched(model: Any, rows: list[Any]) -> None:
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH)


def national_load(*, scale: str = "national", seed: int = 1) -> dict[str, int]:
    """Create the data set in one transaction; return the counts. Refuses to run twice."""
    size = SCALES[scale]
    rng = random.Random(seed)
    prefix = f"nat{seed}-"
    if Network.objects.filter(slug__startswith=prefix).exists():
        return {"loaded": 0}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        password = make_password(LOAD_PASSWORD)
        users = [
            User(
                username=f"{prefix}charge{i}@meute.example",
                email=f"{prefix}charge{i}@meute.example",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                password=password,
            )
            for i in range(size.accounts)
        ]
        _batched(User, users)
        users = list(User.objects.filter(email__startswith=prefix).order_by("pk"))
        people = []
        for i in range(size.people):
            user = users[i] if i < len(users) else None
            people.append(
                Person(
                    user=user,
                    first_name=user.first_name if user else rng.choice(FIRST),
                    last_name=user.last_name if user else rng.choice(LAST),
                    email=user.email if user else f"{prefix}p{i}@meute.example",
                    trade=rng.choice(TRADES),
                    offers=f"{rng.choice(TRADES)} {rng.choice(THEMES)}",
                    seeks=f"{rng.choice(TRADES)} {rng.choice(THEMES)}",
                )
            )
        _batched(Person, people)
        person_ids = list(
            Person.objects.filter(email__startswith=prefix).order_by("pk").values_list("pk", flat=True)
        )

        networks = []
        for i in range(size.networks):
            region = rng.choice(REGIONS)
            n = Network(
                name=f"{rng.choice(['Club', 'Cercle', 'Réseau', 'Association'])} {rng.choice(THEMES)} {region} {i}",
                slug=f"{prefix}{i}",
                kind=rng.choice(Kind.values),
                tagline=f"Les dirigeants {rng.choice(THEMES)} de {region}",
                description=f"Un réseau de {region} autour de {rng.choice(THEMES)} et {rng.choice(THEMES)}.",
                territory=region,
                themes=rng.sample(THEMES, 2),
                rhythm=rng.choice(Rhythm.values),
                admission_mode=rng.choice(AdmissionMode.values),
                member_cap=rng.choice([None, None, 30, 60]),
            )
            n.search_text = network_search_text(n)
            networks.append(n)
        _batched(Network, networks)
        network_ids = list(
            Network.objects.filter(slug__startswith=prefix).order_by("pk").values_list("pk", flat=True)
        )

        # Each membership a distinct (person, network): person k takes consecutive picks.
        per_person = max(size.memberships // size.people, 1)
        extra = size.memberships - per_person * size.people
        memberships = []
        today = now.date()
        for k, pid in enumerate(person_ids):
            count = per_person + (1 if k < extra else 0)
            for nid in rng.sample(network_ids, min(count, len(network_ids))):
                memberships.append(
                    Membership(
                        person_id=pid,
                        network_id=nid,
                        role=Role.PRESIDENT if rng.random() < 0.01 else Role.MEMBER,
                        status=Status.ACTIVE,
                        start_date=today - dt.timedelta(days=rng.randrange(30, 3000)),
                    )
                )
        _batched(Membership, memberships)

        events = []
        for i in range(size.events):
            start = now + dt.timedelta(days=rng.randrange(-300, 300), hours=rng.randrange(8, 20))
            events.append(
                Event(
                    network_id=rng.choice(network_ids),
                    title=f"{rng.choice(['Dîner', 'Petit-déjeuner', 'Visite', 'Atelier'])} {rng.choice(THEMES)} {i}",
                    kind=rng.choice([EventKind.MEETING, EventKind.EVENING]),
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                    capacity=rng.choice([None, 20, 40, 80]),
                    audience=rng.choice(Audience.values),
                    status=EventStatus.PUBLISHED,
                )
            )
        _batched(Event, events)
        event_ids = list(
            Event.objects.filter(network_id__in=network_ids).order_by("pk").values_list("pk", flat=True)
        )

        per_event = max(size.registrations // size.events, 1)
        registrations = []
        for eid in event_ids:
            for pid in rng.sample(person_ids, min(per_event, len(person_ids))):
                registrations.append(
                    Registration(event_id=eid, person_id=pid, status=RegistrationStatus.CONFIRMED)
                )
        _batched(Registration, registrations)
    return {
        "loaded": 1,
        "people": len(person_ids),
        "networks": len(network_ids),
        "memberships": len(memberships),
        "events": len(event_ids),
        "registrations": len(registrations),
    }
