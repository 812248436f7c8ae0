"""What the API answers and accepts (version 1): plain, typed, documented in the OpenAPI schema.

Built by the ``*_out`` functions from the rows the apps' selectors return, so the
counts shown to the public follow the same rules as the pages (none under 5).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from meute.accounts.models import Person
from meute.dues.selectors import DuesLine
from meute.events.models import Event, Registration
from meute.events.speed.selectors import AgendaRow
from meute.networks.models import Membership, Network


class NetworkOut(Schema):
    slug: str
    name: str
    kind: str
    tagline: str
    territory: str
    commune: str | None = Field(None, description="INSEE code of the meetings' commune")
    rhythm: str
    admission_mode: str
    member_count: int | None = Field(None, description="Active members; null under 5 (shown 'moins de 5')")
    free_seats: int | None = Field(None, description="Null when uncapped or the size is hidden")
    url: str


class PersonCard(Schema):
    name: str
    job_title: str


class EventOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    audience: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    network: str | None = Field(None, description="Slug of the organising network; null for the chamber")
    capacity: int | None
    registration_open: bool
    url: str


class NetworkDetailOut(NetworkOut):
    description: str
    purposes: list[str]
    formats: list[str]
    languages: list[str]
    website: str
    contact_name: str
    contact_email: str
    dues_amount: Decimal | None
    charter_version: str
    board: list[PersonCard]
    upcoming_events: list[EventOut]


class RegistrationOut(Schema):
    id: int
    event: EventOut
    status: str
    attendance: str
    checked_in_at: dt.datetime | None


class MembershipOut(Schema):
    id: int
    network: str
    network_name: str
    role: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    waitlist_position: int | None = None


class MemberOut(Schema):
    """A membership as the network's managers see it."""

    id: int
    first_name: str
    last_name: str
    company: str
    role: str
    status: str
    start_date: dt.date | None
    created_at: dt.datetime


class CheckinOut(Schema):
    id: int
    first_name: str
    last_name: str
    company: str
    attendance: str
    checked_in_at: dt.datetime | None
    walk_in: bool


class PartnerOut(Schema):
    name: str
    job_title: str
    company: str
    offers: str
    why: str


class AgendaRoundOut(Schema):
    round_no: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table_no: int | None
    partners: list[PartnerOut]
    changed: bool


class AgendaOut(Schema):
    event: int
    published: bool
    rounds: list[AgendaRoundOut]


class DuesPeriodOut(Schema):
    id: int
    start: dt.date
    end: dt.date
    amount: Decimal
    paid_on: dt.date | None


class DuesLineOut(Schema):
    membership: int
    first_name: str
    last_name: str
    state: str
    current: DuesPeriodOut | None
    periods: list[DuesPeriodOut]


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    job_title: str
    company: str
    is_staff: bool


class DecisionIn(Schema):
    reason: str = Field("", max_length=2000)


class RoleIn(Schema):
    role: str = Field(..., max_length=20)


class AttendanceIn(Schema):
    attendance: str = Field(..., max_length=10, description="present, late, absent, excused or empty")


class PaymentIn(Schema):
    paid_on: dt.date


# --------------------------------------------------------------------------- builders


def network_out(n: Network) -> NetworkOut:
    return NetworkOut(
        slug=n.slug,
        name=n.name,
        kind=n.kind,
        tagline=n.tagline,
        territory=n.territory,
        commune=n.commune.insee if n.commune else None,
        rhythm=n.rhythm,
        admission_mode=n.admission_mode,
        member_count=getattr(n, "public_count", None),
        free_seats=getattr(n, "public_free_seats", None),
        url=n.get_absolute_url(),
    )


def event_out(e: Event) -> EventOut:
    return EventOut(
        id=e.pk,
        title=e.title,
        kind=e.kind,
        status=e.status,
        audience=e.audience,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        place=e.place,
        network=e.network.slug if e.network else None,
        capacity=e.capacity,
        registration_open=e.registration_open(),
        url=e.get_absolute_url(),
    )


def registration_out(r: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=r.pk,
        event=event_out(r.event),
        status=r.status,
        attendance=r.attendance,
        checked_in_at=r.checked_in_at,
    )


def membership_out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.pk,
        network=m.network.slug,
        network_name=m.network.name,
        role=m.role,
        status=m.status,
        start_date=m.start_date,
        end_date=m.end_date,
        waitlist_position=getattr(m, "position", None),
    )


def _company(p: Person) -> str:
    return p.organisation.name if p.organisation else ""


def member_out(m: Membership) -> MemberOut:
    p = m.person
    return MemberOut(
        id=m.pk,
        first_name=p.first_name,
        last_name=p.last_name,
        company=_company(p),
        role=m.role,
        status=m.status,
        start_date=m.start_date,
        created_at=m.created_at,
    )


def checkin_out(r: Registration) -> CheckinOut:
    p = r.person
    return CheckinOut(
        id=r.pk,
        first_name=p.first_name,
        last_name=p.last_name,
        company=_company(p),
        attendance=r.attendance,
        checked_in_at=r.checked_in_at,
        walk_in=r.walk_in,
    )


def agenda_round_out(row: AgendaRow) -> AgendaRoundOut:
    return AgendaRoundOut(
        round_no=row.round_no,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        table_no=row.table_no,
        partners=[
            PartnerOut(name=c.name, job_title=c.job_title, company=c.company, offers=c.offers, why=c.why)
            for c in row.partners
        ],
        changed=row.changed,
    )


def period_out(p: object) -> DuesPeriodOut:
    return DuesPeriodOut.model_validate(p, from_attributes=True)


def dues_line_out(line: DuesLine) -> DuesLineOut:
    p = line.membership.person
    return DuesLineOut(
        membership=line.membership.pk,
        first_name=p.first_name,
        last_name=p.last_name,
        state=line.state,
        current=period_out(line.current) if line.current else None,
        periods=[period_out(x) for x in line.periods],
    )
