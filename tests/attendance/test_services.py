"""Attendance services: all-or-nothing registers, rules, visitors; the month arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meute.accounts.models import User
from meute.attendance import services
from meute.attendance.models import AttendanceRecord, Visitor
from meute.attendance.selectors import months_before
from meute.audit.models import AuditEntry
from meute.events.models import Audience, Event, EventKind
from meute.networks.models import Membership, Network, Status
from tests.dues.conftest import make_event

pytestmark = pytest.mark.django_db


def test_an_unknown_member_refuses_the_whole_register(
    club: Network, member: User, other_member: User
) -> None:
    event = make_event(club)
    with pytest.raises(ValidationError) as exc:
        services.attendance_take(
            event=event,
            entries={member.person.pk: ("present", ""), other_member.person.pk: ("present", "")},
            actor=None,
        )
    assert "membre inconnu" in exc.value.messages[0]
    assert not AttendanceRecord.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_member_who_left_cannot_be_noted(club: Network, member: User) -> None:
    Membership.objects.filter(person=member.person).update(status=Status.LEFT)
    with pytest.raises(ValidationError):
        services.attendance_take(
            event=make_event(club), entries={member.person.pk: ("present", "")}, actor=None
        )


def test_an_unknown_status_or_unnamed_substitute_is_refused(club: Network, member: User) -> None:
    event = make_event(club)
    for entry in (("visiting", ""), ("substitute", "  ")):
        with pytest.raises(ValidationError) as exc:
            services.attendance_take(event=event, entries={member.person.pk: entry}, actor=None)
        assert "Claire Moreau" in exc.value.messages[0]
    assert not AttendanceRecord.objects.exists()


def test_a_substitute_name_is_dropped_for_other_statuses(club: Network, member: User) -> None:
    services.attendance_take(
        event=make_event(club), entries={member.person.pk: ("present", "Julie")}, actor=None
    )
    assert AttendanceRecord.objects.get().substitute_name == ""


def test_a_cci_event_has_no_register(db: None, member: User) -> None:
    start = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
    event = Event.objects.create(
        title="CCI", kind=EventKind.EVENING, starts_at=start, ends_at=start, audience=Audience.PUBLIC
    )
    with pytest.raises(ValidationError):
        services.attendance_take(event=event, entries={}, actor=None)


def test_the_rule_service_checks_its_bounds(club: Network) -> None:
    with pytest.raises(ValidationError) as exc:
        services.attendance_rule_set(network=club, max_unexcused=-1, window_months=0, actor=None)
    assert set(exc.value.message_dict) == {"max_unexcused", "window_months"}


def test_a_visitor_cannot_be_tied_to_another_networks_meeting(club: Network, other_club: Network) -> None:
    with pytest.raises(ValidationError) as exc:
        services.visitor_create(network=club, name="Jeanne", event=make_event(other_club), actor=None)
    assert "event" in exc.value.message_dict
    assert not Visitor.objects.exists()


def test_an_unknown_follow_up_status_is_refused(club: Network) -> None:
    visitor = services.visitor_create(network=club, name="Jeanne", actor=None)
    with pytest.raises(ValidationError):
        services.visitor_follow_up(visitor=visitor, status="vip", notes="", actor=None)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 6, 15), 6, dt.date(2025, 12, 15)),
        (dt.date(2026, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 10), 12, dt.date(2025, 1, 10)),
        (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected
