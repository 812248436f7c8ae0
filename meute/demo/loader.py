"""A deterministic demo of Touraine's business networks (fictional people, Faker fr_FR).

Built from the networks the chamber's own press describes: Puissance 20, Club
One, Aceos, Noveco, the France–Portugal club, Centre & Tic, clubs of retail
chains and of sales directors, a transport community, the chamber's networking
programme and a few more — more than a thousand distinct people, many in two or
more networks, with memberships spread over the past years.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker
from stdnum import luhn

from meute.accounts.models import (
    CURRENT_CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    HeadcountBand,
    Organisation,
    Person,
    User,
)
from meute.accounts.validators import normalise_phone
from meute.demo.data import NETWORKS, PASSWORD, SECTOR_WEIGHTS, TRADES
from meute.demo.life import demo_life_load
from meute.engine.text import fold
from meute.networks.models import (
    Membership,
    Network,
    Role,
    Status,
)
from meute.observatory.demo import observatory_demo_load
from meute.packs.demo import packs_demo_load
from meute.reference.models import Commune, NafCode

SEED = 37


def _siren(rng: random.Random) -> str:
    body = f"{rng.randint(10_000_000, 99_999_999)}"
    return body + luhn.calc_check_digit(body)


def _siret(rng: random.Random, siren: str) -> str:
    body = siren + f"{rng.randint(1, 9999):04d}"
    return body + luhn.calc_check_digit(body)


def is_loaded() -> bool:
    return Network.objects.filter(slug="puissance-20").exists()


@transaction.atomic
def demo_load(*, people: int = 1150, today: dt.date | None = None) -> dict[str, Any]:
    """Load the demo; does nothing (and says so) when it is already there."""
    if is_loaded():
        return {"loaded": False}
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    communes = {c.insee: c for c in Commune.objects.all()}
    naf = {n.code: n for n in NafCode.objects.filter(code__in=[t[0] for ts in TRADES.values() for t in ts])}
    big = sorted(communes.values(), key=lambda c: c.insee)
    # Where people work: mostly the Tours area, then the rest of the département.
    near_tours = [
        communes[i]
        for i in ["37261", "37122", "37214", "37233", "37208", "37050", "37195", "37018", "37109", "37156"]
        if i in communes
    ]

    networks = {}
    for spec in NETWORKS:
        net = Network(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            tagline=spec.tagline,
            description=spec.description,
            purposes=list(spec.purposes),
            sectors=spec.sectors,
            themes=spec.themes,
            territory=spec.territory,
            commune=communes.get(spec.commune),
            rhythm=spec.rhythm,
            formats=list(spec.formats),
            hours_per_month=spec.hours,
            member_cap=spec.cap,
            admission_mode=spec.admission,
            one_seat_per_profession=spec.one_seat,
            refuses_solicitation=spec.refuses,
            charter=spec.charter,
            charter_version="2024-1" if spec.charter else "",
            languages=spec.languages,
            contact_name=fake.name(),
            contact_email=f"contact@{spec.slug}.example",
            website=f"https://{spec.slug}.example",
            founded_on=dt.date(spec.founded, rng.randint(1, 12), 1),
            dues_amount=spec.dues,
        )
        net.full_clean()
        net.save()
        networks[spec.slug] = net

    sectors = list(SECTOR_WEIGHTS)
    weights = [SECTOR_WEIGHTS[s] for s in sectors]
    orgs: list[Organisation] = []
    persons: list[Person] = []
    trades_of: list[tuple[str, str]] = []
    for i in range(people):
        sector = rng.choices(sectors, weights)[0]
        code, trade, offers, seeks = rng.choice(TRADES[sector])
        commune = rng.choice(near_tours) if rng.random() < 0.7 else rng.choice(big)
        org = None
        if rng.random() < 0.85:  # some members work alone, without a company record
            siren = _siren(rng)
            org = Organisation(
                name=fake.company(),
                siren=siren,
                siret=_siret(rng, siren),
                naf=naf.get(code),
                headcount=rng.choice([b for b, _ in HeadcountBand.choices]),
                commune=commune,
                website=f"https://entreprise-{i}.example",
                description=offers,
            )
            orgs.append(org)
        first, last = fake.first_name(), fake.last_name()
        try:
            phone = normalise_phone(fake.phone_number())
        except Exception:  # Faker may produce a number libphonenumber rejects: leave it empty
            phone = ""
        persons.append(
            Person(
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}.{i}@exemple.fr",
                phone=phone,
                job_title=rng.choice(["Gérant(e)", "Président(e)", "Directeur(rice)", trade]),
                trade=trade,
                organisation=org,
                commune=commune,
                is_decision_maker=rng.random() < 0.75,
                offers=offers,
                seeks=seeks,
                tags=[trade.lower()],
            )
        )
        trades_of.append((sector, code))
    Organisation.objects.bulk_create(orgs, batch_size=500)
    for p in persons:
        if p.organisation is not None:
            p.organisation_id = p.organisation.pk
    Person.objects.bulk_create(persons, batch_size=500)

    # Memberships: fill each network with people of its sectors first, so that many
    # people end up in two or more networks, as in the chamber's counts.
    by_sector: dict[str, list[int]] = {}
    for idx, (sector, _code) in enumerate(trades_of):
        by_sector.setdefault(sector, []).append(idx)
    rows: list[Membership] = []
    for spec in NETWORKS:
        net = networks[spec.slug]
        pool = (
            [i for s in spec.sectors for i in by_sector.get(s, [])] if spec.sectors else list(range(people))
        )
        rng.shuffle(pool)
        taken: list[int] = []
        seated: set[str] = set()
        for idx in pool:
            if len(taken) >= spec.size + spec.waitlist:
                break
            code = trades_of[idx][1]
            if spec.one_seat and code in seated and len(taken) < spec.size:
                continue  # one seat per profession: that trade is already seated
            seated.add(code)
            taken.append(idx)
        founded = net.founded_on or dt.date(2010, 1, 1)
        for rank, idx in enumerate(taken):
            person = persons[idx]
            if rank >= spec.size:
                rows.append(Membership(person=person, network=net, status=Status.WAITLISTED))
                continue
            start = _date_between(
                rng, max(founded, today - dt.timedelta(days=365 * 6)), today - dt.timedelta(days=20)
            )
            role = Role.PRESIDENT if rank == 0 else Role.BOARD if rank < 4 else Role.MEMBER
            rows.append(
                Membership(person=person, network=net, role=role, status=Status.ACTIVE, start_date=start)
            )
        # Former members: history for the observatory's growth figures.
        for idx in pool[len(taken) : len(taken) + max(2, spec.size // 8)]:
            start = _date_between(
                rng, max(founded, today - dt.timedelta(days=365 * 7)), today - dt.timedelta(days=400)
            )
            end = _date_between(rng, start + dt.timedelta(days=180), today - dt.timedelta(days=30))
            rows.append(
                Membership(
                    person=persons[idx], network=net, status=Status.LEFT, start_date=start, end_date=end
                )
            )
    # Everyone else came at least to the chamber's networking evenings.
    members = {id(m.person) for m in rows}
    evenings = networks["soirees-cci"]
    for p in persons:
        if id(p) not in members:
            start = _date_between(rng, today - dt.timedelta(days=365 * 5), today - dt.timedelta(days=10))
            rows.append(Membership(person=p, network=evenings, status=Status.ACTIVE, start_date=start))
    Membership.objects.bulk_create(rows, batch_size=1000)

    now = timezone.now()
    consents = []
    for p in persons:
        for purpose, share in ((ConsentPurpose.DIRECTORY, 0.82), (ConsentPurpose.MATCHMAKING, 0.7)):
            consents.append(
                Consent(
                    person=p,
                    purpose=purpose,
                    granted=rng.random() < share,
                    text_version=CURRENT_CONSENT_VERSION,
                    given_at=now,
                )
            )
    Consent.objects.bulk_create(consents, batch_size=1000)

    _demo_accounts(persons, networks)
    # Puissance 20 is full: its waiting list is kept in order.
    for position, m in enumerate(
        Membership.objects.filter(network=networks["puissance-20"], status=Status.WAITLISTED).order_by("id"),
        start=1,
    ):
        m.queue_position = position
        m.save(update_fields=["queue_position"])
    demo_life_load(networks=networks, today=today, rng=rng)
    packs_demo_load(today=today, password=PASSWORD)
    observatory_demo_load(today=today)
    return {"loaded": True, "networks": len(networks), "people": len(persons), "memberships": len(rows)}


def _demo_accounts(persons: list[Person], networks: dict[str, Network]) -> None:
    staff = User.objects.create_user(
        email="cci@meute.example", password=PASSWORD, first_name="Claire", last_name="Agent"
    )
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    president = Membership.objects.get(network=networks["puissance-20"], role=Role.PRESIDENT).person
    _attach(president, "president.p20@meute.example")
    # The demo member: someone active in Aceos, also given a seat in Centre & Tic.
    member = (
        Membership.objects.active().filter(network=networks["aceos"], role=Role.MEMBER).order_by("id").first()
    )
    assert member is not None
    _attach(member.person, "membre@meute.example")
    if not Membership.objects.filter(person=member.person, network=networks["centre-et-tic"]).exists():
        Membership.objects.create(
            person=member.person,
            network=networks["centre-et-tic"],
            status=Status.ACTIVE,
            start_date=dt.date(2025, 3, 1),
        )
    visitor = User.objects.create_user(
        email="visiteur@meute.example", password=PASSWORD, first_name="Victor", last_name="Visiteur"
    )
    Person.objects.create(user=visitor, first_name="Victor", last_name="Visiteur", email=visitor.email)


def _attach(person: Person, email: str) -> None:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=person.first_name, last_name=person.last_name
    )
    person.user = user
    person.save(update_fields=["user"])


def _ascii(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))
