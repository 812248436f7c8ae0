"""The demo's events and network life: past and upcoming meetings with attendance,
a past speed meeting with its schedule and outcome, an upcoming one with
registrations, a business-meeting day, dues, and a year of barometer answers.

Called by :func:`meute.demo.loader.demo_load` inside its transaction; deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from meute.accounts.models import Person
from meute.attendance.models import AttendanceRecord, AttendanceStatus
from meute.barometer.models import BarometerAnswer, BarometerReceipt
from meute.dues.models import DuesPeriod
from meute.events.models import (
    Audience,
    CheckIn,
    Event,
    EventKind,
    EventStatus,
    MeetingRating,
    PlanStatus,
    Registration,
    RegistrationStatus,
)
from meute.events.speed.compute import plan_compute
from meute.events.speed.services import plan_configure
from meute.networks.models import Membership, Network, Role


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _first_tuesday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def _active(network: Network) -> list[Membership]:
    return list(Membership.objects.active().filter(network=network).select_related("person").order_by("id"))


def _register(event: Event, people: list[Person], attended: bool) -> list[Registration]:
    rows = [
        Registration(
            event=event,
            person=p,
            status=RegistrationStatus.CONFIRMED,
            offers=p.offers,
            seeks=p.seeks,
            attendance=CheckIn.PRESENT if attended else "",
        )
        for p in people
    ]
    return Registration.objects.bulk_create(rows)


def demo_life_load(*, networks: dict[str, Network], today: dt.date, rng: random.Random) -> None:
    _monthly_meetings(networks["puissance-20"], today, rng)
    _weekly_breakfasts(networks["affaires-en-touraine"], today, rng)
    _speed_meetings(networks["aceos"], today, rng)
    _chamber_events(networks, today, rng)
    _dues(networks["puissance-20"], today, rng)
    _barometer(networks, today, rng)
    for slug in ("affaires-en-touraine", "aceos"):
        _referrals(networks[slug], today, rng)


# Fixed public holidays in France (Easter-based ones move and are left out).
_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _working_day(day: dt.date) -> dt.date:
    """The first day from `day` that is neither a weekend nor a fixed public holiday."""
    while day.weekday() >= 5 or (day.month, day.day) in _HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def _referrals(network: Network, today: dt.date, rng: random.Random) -> None:
    """A year of business referrals between members, about half of them already closed."""
    from meute.referrals.models import Referral, Temperature

    members = [m.person for m in _active(network)]
    if len(members) < 2:
        return
    subjects = [
        "Rénovation des bureaux",
        "Refonte du site internet",
        "Contrat de maintenance informatique",
        "Transport de marchandises",
        "Mission d'expertise comptable",
        "Formation des équipes commerciales",
        "Flotte de véhicules",
        "Assurance des locaux",
        "Aménagement d'un magasin",
        "Supports de communication",
    ]
    rows = []
    for _ in range(4 * len(members) // 3):
        giver, recipient = rng.sample(members, 2)
        given = today - dt.timedelta(days=rng.randint(3, 360))
        closed = rng.random() < 0.5 and given < today - dt.timedelta(days=20)
        rows.append(
            Referral(
                network=network,
                giver=giver,
                recipient=recipient,
                subject=rng.choice(subjects),
                temperature=rng.choice([Temperature.HOT, Temperature.COLD]),
                given_on=given,
                business_closed=True if closed else None,
                amount=Decimal(rng.randrange(800, 40_000, 100)) if closed else None,
                closed_on=given + dt.timedelta(days=rng.randint(7, 60)) if closed else None,
            )
        )
    for r in rows:  # an affair is not closed in the future
        if r.closed_on and r.closed_on > today:
            r.closed_on = today
    Referral.objects.bulk_create(rows)


def _monthly_meetings(network: Network, today: dt.date, rng: random.Random) -> None:
    """Puissance 20's first-Tuesday dinners: a year of them with attendance, and the next ones."""
    members = _active(network)
    president = next((m for m in members if m.role == Role.PRESIDENT), members[0])
    records = []
    for back in range(12, -4, -1):
        month = (today.month - back - 1) % 12 + 1
        year = today.year + (today.month - back - 1) // 12
        day = _first_tuesday(year, month)
        event = Event.objects.create(
            network=network,
            title="Dîner mensuel de Puissance 20",
            kind=EventKind.MEETING,
            description="Tour de table sur la conjoncture, puis un invité qui raconte son entreprise.",
            starts_at=_at(day, 19, 30),
            ends_at=_at(day, 22, 30),
            place="Restaurant L'Odéon",
            address="10 place du Général Leclerc",
            commune=network.commune,
            capacity=25,
            audience=Audience.MEMBERS,
            status=EventStatus.PUBLISHED,
        )
        if day >= today:
            _register(event, [m.person for m in members[: rng.randint(8, 15)]], attended=False)
            continue
        for m in members:
            status = rng.choices(
                [
                    AttendanceStatus.PRESENT,
                    AttendanceStatus.EXCUSED,
                    AttendanceStatus.ABSENT,
                    AttendanceStatus.SUBSTITUTE,
                ],
                [80, 10, 7, 3],
            )[0]
            records.append(
                AttendanceRecord(
                    event=event,
                    person=m.person,
                    status=status,
                    substitute_name="Un associé" if status == AttendanceStatus.SUBSTITUTE else "",
                    recorded_by=president.person.user,
                )
            )
    AttendanceRecord.objects.bulk_create(records)


def _weekly_breakfasts(network: Network, today: dt.date, rng: random.Random) -> None:
    members = _active(network)
    records = []
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(-12, 3):
        day = monday + dt.timedelta(weeks=week, days=3)  # Thursdays
        event = Event.objects.create(
            network=network,
            title="Petit-déjeuner d'affaires",
            kind=EventKind.MEETING,
            starts_at=_at(day, 7, 30),
            ends_at=_at(day, 9, 0),
            place="Hôtel de Ballan",
            commune=network.commune,
            audience=Audience.MEMBERS,
        )
        if day >= today:
            continue
        for m in members:
            status = rng.choices(
                [AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT], [85, 8, 7]
            )[0]
            records.append(AttendanceRecord(event=event, person=m.person, status=status))
    AttendanceRecord.objects.bulk_create(records)


def _speed_meetings(network: Network, today: dt.date, rng: random.Random) -> None:
    """Aceos: a past speed meeting with its published schedule and outcome, and the next one."""
    members = _active(network)
    past_day = today - dt.timedelta(days=45)
    past = Event.objects.create(
        network=network,
        title="Rendez-vous d'affaires express d'automne",
        kind=EventKind.SPEED,
        description="Huit rendez-vous de sept minutes pour rencontrer des décideurs.",
        starts_at=_at(past_day, 18, 0),
        ends_at=_at(past_day, 20, 0),
        place="CCI Touraine, salle Descartes",
        address="4 bis rue Jules Favre",
        commune=network.commune,
        capacity=40,
        audience=Audience.PARTNERS,
    )
    registrations = _register(past, [m.person for m in members[:24]], attended=True)
    plan = plan_configure(event=past, table_size=2, rounds=6, round_minutes=7, break_minutes=2, seed=1)
    plan_compute(plan_id=plan.pk)
    plan.refresh_from_db()
    if plan.status == PlanStatus.READY:
        # Published without e-mailing anyone: the event is over.
        plan.status = PlanStatus.PUBLISHED
        plan.version += 1
        plan.published_at = past.starts_at - dt.timedelta(days=2)
        plan.save()
        by_id = {r.pk: r for r in registrations}
        ratings = []
        for a, b in sorted(_pairs(plan)):
            for rater, other in ((a, b), (b, a)):
                if rng.random() < 0.6:
                    useful = rng.random() < 0.7
                    signed = useful and rng.random() < 0.12
                    ratings.append(
                        MeetingRating(
                            event=past,
                            rater=by_id[rater],
                            other=by_id[other],
                            useful=useful,
                            follow_up=useful and rng.random() < 0.5,
                            contract_signed=signed,
                            amount=Decimal(rng.choice([1500, 3200, 4800, 9000, 12500])) if signed else None,
                        )
                    )
        MeetingRating.objects.bulk_create(ratings)

    next_day = today + dt.timedelta(days=21)
    upcoming = Event.objects.create(
        network=network,
        title="Rendez-vous d'affaires express de l'hiver",
        kind=EventKind.SPEED,
        description="Rencontrez en une soirée les décideurs qui peuvent devenir vos clients.",
        starts_at=_at(next_day, 18, 0),
        ends_at=_at(next_day, 20, 30),
        place="CCI Touraine, salle Descartes",
        address="4 bis rue Jules Favre",
        commune=network.commune,
        capacity=40,
        audience=Audience.PARTNERS,
        registration_closes_at=_at(next_day - dt.timedelta(days=2), 12),
    )
    _register(upcoming, [m.person for m in members[10:28]], attended=False)
    plan_configure(event=upcoming, table_size=2, rounds=8, round_minutes=7, break_minutes=2)


def _pairs(plan: object) -> set[tuple[int, int]]:
    tables: dict[tuple[int, int], list[int]] = {}
    for seat in plan.seats.all():  # type: ignore[attr-defined]
        tables.setdefault((seat.round_no, seat.table_no), []).append(seat.registration_id)
    pairs = set()
    for ids in tables.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def _chamber_events(networks: dict[str, Network], today: dt.date, rng: random.Random) -> None:
    evening_members = _active(networks["soirees-cci"])
    day = _working_day(today + dt.timedelta(days=12))
    evening = Event.objects.create(
        title="Soirée réseau de la CCI : ne restez pas seul",
        kind=EventKind.EVENING,
        description="Rencontres libres, présentation des réseaux de Touraine et buffet.",
        starts_at=_at(day, 18, 30),
        ends_at=_at(day, 21, 30),
        place="CCI Touraine",
        address="4 bis rue Jules Favre",
        commune=networks["soirees-cci"].commune,
        capacity=120,
        audience=Audience.PUBLIC,
        price="Gratuit, sur inscription",
    )
    _register(evening, [m.person for m in evening_members[:85]], attended=False)
    day = _working_day(today + dt.timedelta(days=35))
    business_day = Event.objects.create(
        title="Journée des rendez-vous d'affaires du BTP",
        kind=EventKind.BUSINESS_DAY,
        description="Donneurs d'ordre et entreprises du bâtiment : des rendez-vous de 20 minutes réservés à l'avance.",
        starts_at=_at(day, 9, 0),
        ends_at=_at(day, 13, 0),
        place="Parc des expositions de Tours",
        commune=networks["soirees-cci"].commune,
        capacity=80,
        audience=Audience.PUBLIC,
        slots=12,
        slot_minutes=20,
        tables=20,
    )
    builders = [m.person for m in _active(networks["noveco"])[:30]]
    for r in _register(business_day, builders, attended=False):
        r.available_slots = list(range(12))
        r.save(update_fields=["available_slots"])


def _dues(network: Network, today: dt.date, rng: random.Random) -> None:
    periods = []
    for m in _active(network):
        start = dt.date(today.year, 1, 1)
        paid = rng.random() < 0.85
        periods.append(
            DuesPeriod(
                membership=m,
                start=start,
                end=dt.date(today.year, 12, 31),
                amount=network.dues_amount or Decimal("300"),
                paid_on=start + dt.timedelta(days=rng.randint(5, 60)) if paid else None,
            )
        )
    DuesPeriod.objects.bulk_create(periods)


def _barometer(networks: dict[str, Network], today: dt.date, rng: random.Random) -> None:
    """A year of anonymous answers: four quarters, several networks, each answer with its sector."""
    answers, receipts = [], []
    for back in range(4, -1, -1):
        month = (today.month - 1 - 3 * back) % 12 + 1
        year = today.year + (today.month - 1 - 3 * back) // 12
        period = f"{year}-T{(month - 1) // 3 + 1}"
        mood = 0.35 + 0.1 * (4 - back) / 4  # the mood improves over the year
        for slug in (
            "puissance-20",
            "aceos",
            "centre-et-tic",
            "noveco",
            "club-des-enseignes",
            "transporteurs-touraine",
        ):
            members = _active(networks[slug])
            share = rng.uniform(0.35, 0.7)
            for m in members:
                if rng.random() > share:
                    continue
                naf = (
                    m.person.organisation.naf if m.person.organisation_id and m.person.organisation else None
                )

                def pick(options: list[str], mood: float = mood) -> str:
                    x = rng.random()
                    return options[2] if x < mood else options[1] if x < mood + 0.4 else options[0]

                answers.append(
                    BarometerAnswer(
                        network=networks[slug],
                        period=period,
                        sector=naf.section if naf else "",
                        activity=pick(["down", "stable", "up"]),
                        orders=pick(["down", "stable", "up"]),
                        hiring=pick(["reduce", "stable", "hire"]),
                        cash=pick(["tight", "normal", "comfortable"]),
                        morale=pick(["pessimistic", "neutral", "optimistic"]),
                    )
                )
                receipts.append(BarometerReceipt(person=m.person, network=networks[slug], period=period))
    rng.shuffle(answers)  # nothing in the order of rows links an answer to a receipt
    BarometerAnswer.objects.bulk_create(answers, batch_size=1000)
    BarometerReceipt.objects.bulk_create(receipts, batch_size=1000, ignore_conflicts=True)
