"""Noveco in the demo: its firms' capability profiles, past collaborations and an open tender.

Called once by the demo loader after its networks and people exist; running it again
changes nothing. Two accounts (password of the demo) show it: the president of Noveco
(``noveco@meute.example``, sees turnovers) and a member firm (``entreprise.noveco@meute.example``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import Person, User
from meute.networks.models import MANAGER_ROLES, Membership, Network, Status
from meute.packs import services
from meute.packs.models import Certification, Collaboration, CollaborationSource, FirmProfile, Tender
from meute.packs.trades import CertKind, Trade, trades_of_naf
from meute.reference.models import Commune

SEED = 12
NOTICE = Path(__file__).resolve().parent / "fixtures" / "avis_exemple.json"
ACCOUNTS = [
    ("noveco@meute.example", "Président(e) de Noveco (voit les chiffres d'affaires)"),
    ("entreprise.noveco@meute.example", "Entreprise membre de Noveco"),
]
# Trades every tender of the demo needs at least twice in the cluster.
NEEDED = [
    Trade.GROS_OEUVRE,
    Trade.CHARPENTE,
    Trade.COUVERTURE,
    Trade.MENUISERIE,
    Trade.ISOLATION,
    Trade.ELECTRICITE,
    Trade.CHAUFFAGE,
    Trade.PEINTURE,
    Trade.PLOMBERIE,
]


@transaction.atomic
def packs_demo_load(*, today: dt.date | None = None, password: str | None = None) -> dict[str, Any]:
    """Profiles for Noveco's member firms, collaborations, and an open tender (idempotent)."""
    network = Network.objects.filter(slug="noveco").first()
    if network is None or FirmProfile.objects.filter(network=network).exists():
        return {"loaded": False}
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    memberships = list(
        Membership.objects.filter(network=network, status=Status.ACTIVE, person__organisation__isnull=False)
        .select_related("person__organisation__naf", "person__organisation__commune", "person__commune")
        .order_by("id")
    )
    fallback = list(Commune.objects.filter(insee__in=["37261", "37003", "37122", "37027", "37132", "37233"]))
    firms: list[FirmProfile] = []
    seen: set[int] = set()
    for m in memberships:
        org = m.person.organisation
        if org is None or org.pk in seen:
            continue
        seen.add(org.pk)
        trades = trades_of_naf(org.naf.code) if org.naf else []
        if not trades or rng.random() < 0.4:
            trades = sorted(set(trades) | set(rng.sample(NEEDED, rng.choice([1, 1, 2]))))
        turnover = max(120, round(rng.lognormvariate(math.log(900), 0.7)))
        firms.append(
            FirmProfile.objects.create(
                network=network,
                organisation=org,
                contact=m.person,
                trades=trades,
                turnover_keur=turnover,
                workforce=max(1, round(turnover / 95 + rng.uniform(-2, 2))),
                commune=org.commune or m.person.commune or rng.choice(fallback),
                radius_km=rng.choice([30, 45, 45, 60]),
                references=rng.choice(
                    [
                        "Groupe scolaire de Montlouis (2024), lot couverture",
                        "Rénovation de 40 logements sociaux, Joué-lès-Tours (2023)",
                        "Salle polyvalente de Bléré (2025)",
                        "Réhabilitation d'un corps de ferme en gîtes, Loches (2022)",
                        "",
                    ]
                ),
            )
        )
    # Every needed trade at least twice, so the open tender has a choice for each lot.
    for trade in NEEDED:
        holders = [f for f in firms if trade in f.trades]
        for firm in rng.sample([f for f in firms if trade not in f.trades], max(0, 2 - len(holders))):
            firm.trades = sorted([*firm.trades, trade])
            firm.save(update_fields=["trades"])
    certs = []
    for firm in firms:
        for kind, share in ((CertKind.RGE, 0.55), (CertKind.QUALIBAT, 0.5)):
            if rng.random() < share:
                # One in six has let it lapse: it shows, and does not count.
                days = rng.randint(-400, -30) if rng.random() < 1 / 6 else rng.randint(200, 1100)
                certs.append(Certification(firm=firm, kind=kind, valid_until=today + dt.timedelta(days=days)))
    Certification.objects.bulk_create(certs)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < min(14, len(firms) * (len(firms) - 1) // 2):
        a, b = sorted(rng.sample([f.pk for f in firms], 2))
        pairs.add((a, b))
    Collaboration.objects.bulk_create(
        Collaboration(
            network=network,
            firm_a_id=a,
            firm_b_id=b,
            source=CollaborationSource.WON,
            year=today.year - rng.randint(1, 4),
            note="Marché gagné ensemble",
        )
        for a, b in sorted(pairs)
    )
    tender = services.tender_import(network=network, person=None, name=NOTICE.name, data=NOTICE.read_bytes())
    Tender.objects.filter(pk=tender.pk).update(
        deadline=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=45), dt.time(12, 0)))
    )
    if password:
        _accounts(network, firms, password)
    return {"loaded": True, "firms": len(firms), "collaborations": len(pairs), "tender": tender.pk}


def _accounts(network: Network, firms: list[FirmProfile], password: str) -> None:
    president = (
        Membership.objects.filter(
            network=network, status=Status.ACTIVE, role__in=MANAGER_ROLES, person__user=None
        )
        .order_by("id")
        .first()
    )
    contacts = [f.contact for f in firms if f.contact and f.contact.user_id is None]
    if president is not None:
        _attach(president.person, ACCOUNTS[0][0], password)
    member = next((p for p in contacts if president is None or p.pk != president.person_id), None)
    if member is not None:
        _attach(member, ACCOUNTS[1][0], password)


def _attach(person: Person, email: str, password: str) -> None:
    if User.objects.filter(email=email).exists():
        return
    user = User.objects.create_user(
        email=email, password=password, first_name=person.first_name, last_name=person.last_name
    )
    person.user = user
    person.save(update_fields=["user"])
