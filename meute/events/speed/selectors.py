"""Reads of speed meetings: who takes part, a plan's tables, a participant's agenda.

What the other participants are shown of someone follows that person's latest
matchmaking decision, read when the page or document is made
(:func:`shared_profile_ids`, :func:`partner_card`); see :mod:`meute.events.speed`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from meute.accounts.models import Consent, ConsentPurpose
from meute.events.models import (
    CheckIn,
    Event,
    EventKind,
    PairReason,
    Registration,
    RegistrationStatus,
    RotationPlan,
    Seat,
)

GONE = (CheckIn.ABSENT, CheckIn.EXCUSED)
ARRIVED = (CheckIn.PRESENT, CheckIn.LATE)
FORMAT_FIELDS = ("table_size", "rounds", "round_minutes", "break_minutes", "first_table")


def is_speed_event(event: Event) -> bool:
    return event.kind == EventKind.SPEED


def plan_of(event: Event) -> RotationPlan | None:
    return RotationPlan.objects.filter(event=event).first()


def participants(event: Event) -> list[Registration]:
    """The people to seat: confirmed registrations not marked absent or excused."""
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .exclude(attendance__in=GONE)
        .select_related("person", "person__organisation", "person__organisation__naf")
        .prefetch_related("wishes", "avoids")
        .order_by("pk")
    )


def round_times(event: Event, plan: RotationPlan, round_no: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a round (1-based): event start + (round - 1) x (round + break)."""
    step = dt.timedelta(minutes=plan.round_minutes + plan.break_minutes)
    start = event.starts_at + (round_no - 1) * step
    return start, start + dt.timedelta(minutes=plan.round_minutes)


@dataclass(frozen=True)
class PartnerCard:
    """What a participant is shown of a table partner (empty fields: not to be shown)."""

    registration_id: int
    name: str
    job_title: str = ""
    company: str = ""
    offers: str = ""
    why: str = ""

    @property
    def details(self) -> str:
        """Function and company, as one line."""
        return ", ".join(x for x in (self.job_title, self.company) if x)


def partner_card(registration: Registration, *, shared: bool, why: str = "") -> PartnerCard:
    """The card of one participant for the others; `shared`: they consent to matchmaking.

    Without consent the card holds the name only: their partners need it to
    find them at the table, nothing more.
    """
    person = registration.person
    if not shared:
        return PartnerCard(registration_id=registration.pk, name=person.full_name)
    org = person.organisation
    return PartnerCard(
        registration_id=registration.pk,
        name=person.full_name,
        job_title=person.job_title or "",
        company=org.name if org else "",
        offers=registration.offers,
        why=why,
    )


@dataclass
class AgendaRow:
    """One round of one participant's agenda (``partners`` empty: a break)."""

    round_no: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table_no: int | None = None
    partners: list[PartnerCard] = field(default_factory=list)
    changed: bool = False
    locked: bool = False


def reasons_map(plan: RotationPlan) -> dict[tuple[int, int], str]:
    """Why each pair of the plan meets, by (smaller, larger) registration id."""
    return {(r.first_id, r.second_id): r.why for r in PairReason.objects.filter(plan=plan)}


def plan_cautions(plan: RotationPlan) -> dict[tuple[int, int], str]:
    """The organiser's cautions on seated pairs (probable competitors), by registration ids."""
    rows = PairReason.objects.filter(plan=plan).exclude(caution="")
    return {(r.first_id, r.second_id): r.caution for r in rows}


def shared_reasons(plan: RotationPlan, shared: set[int]) -> dict[tuple[int, int], str]:
    """The reasons that may be shown: both people consent to matchmaking today.

    A reason was written from both profiles when the plan was computed; it is
    withheld once either person no longer consents.
    """
    return {pair: why for pair, why in reasons_map(plan).items() if pair[0] in shared and pair[1] in shared}


def agenda(plan: RotationPlan, registration: Registration) -> list[AgendaRow]:
    """A participant's agenda, round by round: table, partners' cards and the reasons.

    A partner who does not consent to matchmaking appears by name only, and
    no reason is given for a meeting with them (see :func:`partner_card`).
    """
    event = plan.event
    mine = {s.round_no: s for s in Seat.objects.filter(plan=plan, registration=registration)}
    tables = {(s.round_no, s.table_no) for s in mine.values()}
    mates: dict[int, list[Registration]] = defaultdict(list)
    for s in (
        Seat.objects.filter(plan=plan, round_no__in=[r for r, _t in tables])
        .exclude(registration=registration)
        .select_related("registration__person", "registration__person__organisation")
    ):
        if (s.round_no, s.table_no) in tables:
            mates[s.round_no].append(s.registration)
    shared = shared_profile_ids([registration, *(p for ps in mates.values() for p in ps)])
    why = shared_reasons(plan, shared)
    rows = []
    for r in range(1, plan.rounds + 1):
        start, end = round_times(event, plan, r)
        row = AgendaRow(round_no=r, starts_at=start, ends_at=end)
        seat = mine.get(r)
        if seat is not None:
            row.table_no = seat.table_no
            row.changed = bool(plan.version) and seat.changed_in_version == plan.version
            row.locked = seat.locked
            for p in sorted(mates[r], key=lambda x: (x.person.last_name, x.person.first_name)):
                pair = (min(registration.pk, p.pk), max(registration.pk, p.pk))
                row.partners.append(partner_card(p, shared=p.pk in shared, why=why.get(pair, "")))
        rows.append(row)
    return rows


def plan_tables(plan: RotationPlan) -> list[tuple[int, list[tuple[int, list[Seat]]]]]:
    """The plan as ``[(round_no, [(table_no, seats), ...]), ...]`` for the organiser."""
    seats = Seat.objects.filter(plan=plan).select_related(
        "registration__person", "registration__person__organisation"
    )
    grouped: dict[int, dict[int, list[Seat]]] = defaultdict(lambda: defaultdict(list))
    for s in seats:
        grouped[s.round_no][s.table_no].append(s)
    return [(r, sorted(grouped[r].items())) for r in range(1, plan.rounds + 1)]


def seated_registrations(plan: RotationPlan) -> list[Registration]:
    ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True))
    return list(
        Registration.objects.filter(pk__in=ids)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def consenting(person_ids: Iterable[int]) -> set[int]:
    """People whose latest matchmaking decision is a yes (one query)."""
    latest: dict[int, bool] = {}
    for pid, granted in (
        Consent.objects.filter(person_id__in=list(person_ids), purpose=ConsentPurpose.MATCHMAKING)
        .order_by("person_id", "given_at", "id")
        .values_list("person_id", "granted")
    ):
        latest[pid] = granted
    return {pid for pid, granted in latest.items() if granted}


def shared_profile_ids(registrations: Iterable[Registration]) -> set[int]:
    """Ids of the registrations whose person consents to matchmaking today (one query).

    Only these people's profile (function, company, offers, seeks) is shown to
    the other participants, and only they are offered as people to meet.
    """
    regs = list(registrations)
    consent = consenting(r.person_id for r in regs)
    return {r.pk for r in regs if r.person_id in consent}


def plan_registrations(plan: RotationPlan, extra: Iterable[Registration] = ()) -> list[Registration]:
    """The registrations seated in the plan (and `extra`), by id, ready for the engine's input."""
    ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True)) | {
        r.pk for r in extra
    }
    return list(
        Registration.objects.filter(pk__in=ids)
        .select_related("person", "person__organisation", "person__organisation__naf")
        .prefetch_related("wishes", "avoids")
        .order_by("pk")
    )
