"""Reads on attendance: a meeting's register, who is at risk, a member's own record, board figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meute.accounts.models import Person
from meute.attendance.models import AttendanceRecord, AttendanceRule, AttendanceStatus, Visitor, VisitorStatus
from meute.events.models import Event, EventStatus
from meute.networks.models import Membership, Network


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def rule_for(network: Network) -> AttendanceRule:
    """The network's rule, or the default one (3 unexcused absences over 6 months), unsaved."""
    return AttendanceRule.objects.filter(network=network).first() or AttendanceRule(network=network)


def network_meetings(network: Network) -> QuerySet[Event]:
    """The network's meetings (not cancelled), latest first, with the counts of their register."""
    return (
        Event.objects.filter(network=network)
        .exclude(status=EventStatus.CANCELLED)
        .annotate(
            recorded=Count("attendance_records"),
            present=Count(
                "attendance_records", filter=Q(attendance_records__status=AttendanceStatus.PRESENT)
            ),
            substituted=Count(
                "attendance_records", filter=Q(attendance_records__status=AttendanceStatus.SUBSTITUTE)
            ),
            excused=Count(
                "attendance_records", filter=Q(attendance_records__status=AttendanceStatus.EXCUSED)
            ),
            absent=Count("attendance_records", filter=Q(attendance_records__status=AttendanceStatus.ABSENT)),
        )
        .order_by("-starts_at")
    )


def register_members(network: Network) -> list[Membership]:
    """The network's active members, in the order of the register."""
    return list(
        Membership.objects.active()
        .filter(network=network)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name")
    )


def event_records(event: Event) -> dict[int, AttendanceRecord]:
    return {r.person_id: r for r in AttendanceRecord.objects.filter(event=event)}


@dataclass
class MemberTally:
    person: Person
    absent: int = 0
    excused: int = 0
    present: int = 0
    substitute: int = 0
    over_limit: bool = False
    at_limit: bool = False
    records: list[AttendanceRecord] = field(default_factory=list)


def _window_start(rule: AttendanceRule, today: dt.date) -> dt.datetime:
    start = months_before(today, rule.window_months)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _tally(person: Person, records: list[AttendanceRecord], rule: AttendanceRule) -> MemberTally:
    tally = MemberTally(person=person, records=records)
    for r in records:
        setattr(tally, r.status, getattr(tally, r.status) + 1)
    tally.over_limit = tally.absent > rule.max_unexcused
    tally.at_limit = tally.absent >= rule.max_unexcused
    return tally


def members_at_risk(network: Network, today: dt.date | None = None) -> list[MemberTally]:
    """Active members with their counts over the rule's window, most unexcused absences first."""
    today = today or timezone.localdate()
    rule = rule_for(network)
    since = _window_start(rule, today)
    members = register_members(network)
    by_person: dict[int, list[AttendanceRecord]] = {m.person_id: [] for m in members}
    for r in AttendanceRecord.objects.filter(
        event__network=network, event__starts_at__gte=since, person_id__in=by_person
    ).select_related("event"):
        by_person[r.person_id].append(r)
    tallies = [_tally(m.person, by_person[m.person_id], rule) for m in members]
    return sorted(tallies, key=lambda t: (-t.absent, -t.excused, t.person.last_name, t.person.first_name))


def member_record(network: Network, person: Person, today: dt.date | None = None) -> tuple[MemberTally, list]:
    """A member's own record: the tally over the rule's window, and every record in this network."""
    today = today or timezone.localdate()
    rule = rule_for(network)
    since = _window_start(rule, today)
    records = list(
        AttendanceRecord.objects.filter(event__network=network, person=person)
        .select_related("event")
        .order_by("-event__starts_at")
    )
    recent = [r for r in records if r.event.starts_at >= since]
    return _tally(person, recent, rule), records


def board_figures(network: Network) -> dict[str, object]:
    """Figures for the network's board only: meetings with a register, presence rate, visitors by status."""
    totals = AttendanceRecord.objects.filter(event__network=network).aggregate(
        recorded=Count("id"),
        present=Count("id", filter=Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE])),
        meetings=Count("event", distinct=True),
    )
    rate = round(100 * totals["present"] / totals["recorded"]) if totals["recorded"] else None
    visitor_counts = dict(
        Visitor.objects.filter(network=network).values_list("status").annotate(n=Count("id")).order_by()
    )
    visitors = [(label, visitor_counts.get(value, 0)) for value, label in VisitorStatus.choices]
    return {"meetings": totals["meetings"], "rate": rate, "visitors": visitors}
