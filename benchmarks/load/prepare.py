"""Prepare a load run on the national data set: the burst event (50 places, emptied) and var/load/plan.json."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import django


def main(out: Path, places: int = 50) -> dict[str, object]:
    django.setup()
    from django.utils import timezone

    from meute.accounts.models import User
    from meute.events.models import Audience, Event, EventKind, EventStatus
    from meute.networks.models import Network

    rng = random.Random(1)
    slugs = list(Network.objects.filter(slug__startswith="nat").values_list("slug", flat=True)[:3000])
    if not slugs:
        raise SystemExit("load: no national data set: run `meute demo_load --scale national` first")
    events = list(
        Event.objects.filter(audience=Audience.PUBLIC, network__slug__startswith="nat").values_list(
            "pk", flat=True
        )[:5000]
    )
    start = timezone.now() + dt.timedelta(days=10)
    burst, _ = Event.objects.update_or_create(
        title="Charge : rafale d'inscriptions",
        defaults={
            "kind": EventKind.EVENING,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "capacity": places,
            "audience": Audience.PUBLIC,
            "status": EventStatus.PUBLISHED,
        },
    )
    burst.registrations.all().delete()
    accounts = list(
        User.objects.filter(email__startswith="nat1-charge").order_by("pk").values_list("email", flat=True)
    )
    plan = {
        "slugs": rng.sample(slugs, min(500, len(slugs))),
        "events": rng.sample(events, min(500, len(events))),
        "burst_event": burst.pk,
        "places": places,
        "accounts": accounts,
        "password": "charge-nationale-2026",
        "words": [
            "export",
            "numérique",
            "Bretagne",
            "club",
            "industrie",
            "Touraine",
            "recrutement",
            "cercle",
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(plan))
    return plan


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]))
