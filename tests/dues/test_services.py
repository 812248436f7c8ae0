"""Dues services: periods, reminders once per period, lapsing after the grace period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from meute.accounts.models import User
from meute.audit.models import AuditEntry
from meute.dues import services
from meute.dues.models import DuesPeriod
from meute.dues.selectors import network_dues, person_dues
from meute.networks.models import Membership, Network, Status
from meute.networks.services import memberships
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def period(membership: Membership, start: dt.date, end: dt.date, **kwargs: object) -> DuesPeriod:
    return DuesPeriod.objects.create(
        membership=membership, start=start, end=end, amount=Decimal("100"), **kwargs
    )


@pytest.fixture
def m(club: Network) -> Membership:
    return MembershipFactory(network=club, person__email="adherent@exemple.fr", person__first_name="Léa")


# Periods


def test_a_period_for_a_left_member_is_refused(m: Membership, staff: User) -> None:
    m.status = Status.LEFT
    m.save()
    with pytest.raises(ValidationError) as exc:
        services.dues_period_create(membership=m, start=TODAY, end=TODAY, amount=Decimal("1"), actor=staff)
    assert "membership" in exc.value.message_dict


def test_the_service_checks_dates_and_amount_even_without_the_form(m: Membership, staff: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.dues_period_create(
            membership=m, start=TODAY, end=TODAY - dt.timedelta(days=1), amount=Decimal("-1"), actor=staff
        )
    assert set(exc.value.message_dict) == {"end", "amount"}
    assert not DuesPeriod.objects.exists()
    assert not AuditEntry.objects.exists()


# Reminders


def test_a_member_whose_period_ends_within_the_window_is_reminded_once(m: Membership) -> None:
    period(m, dt.date(2025, 6, 20), dt.date(2026, 6, 19))
    assert services.dues_reminders_send(within_days=30, today=TODAY) == 1
    assert mail.outbox[0].to == ["adherent@exemple.fr"]
    assert "19/06/2026" in mail.outbox[0].body
    assert not getattr(mail.outbox[0], "alternatives", None)  # plain text only
    assert services.dues_reminders_send(within_days=30, today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_beyond_the_window_or_after_the_end(m: Membership, club: Network) -> None:
    period(m, dt.date(2025, 8, 1), dt.date(2026, 7, 31))
    ended = MembershipFactory(network=club)
    period(ended, dt.date(2025, 1, 1), dt.date(2026, 5, 31))
    assert services.dues_reminders_send(within_days=30, today=TODAY) == 0
    assert services.dues_reminders_send(within_days=60, today=TODAY) == 1


def test_a_member_who_already_renewed_is_not_reminded(m: Membership) -> None:
    period(m, dt.date(2025, 6, 20), dt.date(2026, 6, 19))
    period(m, dt.date(2026, 6, 20), dt.date(2027, 6, 19))
    assert services.dues_reminders_send(within_days=30, today=TODAY) == 0
    assert mail.outbox == []


def test_a_member_who_left_is_not_reminded(m: Membership) -> None:
    period(m, dt.date(2025, 6, 20), dt.date(2026, 6, 19))
    Membership.objects.filter(pk=m.pk).update(status=Status.LEFT)
    assert services.dues_reminders_send(within_days=30, today=TODAY) == 0


def test_the_reminder_command_uses_thirty_days_by_default(m: Membership) -> None:

    today = timezone.localdate()
    period(m, today - dt.timedelta(days=300), today + dt.timedelta(days=20))
    out = StringIO()
    call_command("send_dues_reminders", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_dues_reminders", "--days", "-1")


# Lapsing


def test_a_member_past_the_grace_period_is_marked_left_with_the_audit_trail(m: Membership) -> None:
    period(m, dt.date(2025, 1, 1), dt.date(2026, 3, 1))  # 92 days before TODAY
    lapsed = services.members_lapse(grace_days=60, today=TODAY)
    assert lapsed == [m]
    m.refresh_from_db()
    assert (m.status, m.end_date) == (Status.LEFT, TODAY)
    entry = AuditEntry.objects.get(action="membership.lapse")
    assert (entry.network_id, entry.target_id, entry.actor) == (m.network_id, m.pk, None)


def test_a_member_within_the_grace_period_stays(m: Membership) -> None:
    period(m, dt.date(2025, 5, 1), dt.date(2026, 4, 30))  # 32 days ago
    assert services.members_lapse(grace_days=60, today=TODAY) == []
    m.refresh_from_db()
    assert m.status == Status.ACTIVE


def test_a_member_with_a_newer_period_stays_even_unpaid(m: Membership) -> None:
    period(m, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    period(m, dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert services.members_lapse(grace_days=60, today=TODAY) == []


def test_a_member_without_any_period_is_left_alone(m: Membership) -> None:
    assert services.members_lapse(grace_days=0, today=TODAY) == []


def test_lapsing_goes_through_the_networks_leave_service(
    m: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = memberships.membership_leave
    calls: list[dict] = []

    def spy(**kwargs: object) -> object:
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(memberships, "membership_leave", spy)
    period(m, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    services.members_lapse(grace_days=60, today=TODAY)
    assert [(c["membership"].pk, c["end_date"]) for c in calls] == [(m.pk, TODAY)]
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "membership.leave",
        "membership.lapse",
    }


@pytest.mark.skipif(
    not hasattr(Membership, "offer_expires_at"), reason="no waiting-list offers in the networks app"
)
def test_a_lapsed_member_frees_a_seat_for_the_waiting_list(m: Membership, club: Network) -> None:
    club.member_cap = 1
    club.save()
    waiting = MembershipFactory(network=club, status=Status.WAITLISTED)
    period(m, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    services.members_lapse(grace_days=60, today=TODAY)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at is not None  # type: ignore[attr-defined]


def test_a_failing_leave_undoes_the_lapse(m: Membership, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(memberships, "membership_leave", broken)
    period(m, dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    with pytest.raises(RuntimeError):
        services.members_lapse(grace_days=60, today=TODAY)
    m.refresh_from_db()
    assert m.status == Status.ACTIVE
    assert not AuditEntry.objects.exists()


def test_the_lapse_command_reports_and_refuses_negative_grace(m: Membership) -> None:
    period(m, dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    out = StringIO()
    call_command("lapse_members", "--grace-days", "60", "--dry-run", stdout=out)
    assert "would lapse" in out.getvalue()
    m.refresh_from_db()
    assert m.status == Status.ACTIVE
    call_command("lapse_members", "--grace-days", "60", stdout=out)
    assert "1 member(s) lapsed" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("lapse_members", "--grace-days", "-1")


# Selectors


@pytest.mark.parametrize(
    ("periods", "state"),
    [
        ([], "none"),
        ([(dt.date(2026, 1, 1), dt.date(2026, 12, 31), None)], "unpaid"),
        ([(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 1, 2))], "paid"),
        ([(dt.date(2025, 6, 15), dt.date(2026, 6, 14), dt.date(2025, 6, 15))], "to_renew"),
        ([(dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 1, 2))], "expired"),
        (
            [
                (dt.date(2025, 6, 15), dt.date(2026, 6, 14), dt.date(2025, 6, 15)),
                (dt.date(2026, 6, 15), dt.date(2027, 6, 14), None),
            ],
            "paid",
        ),
    ],
)
def test_the_dues_state_of_a_member(m: Membership, periods: list, state: str) -> None:
    for start, end, paid_on in periods:
        period(m, start, end, paid_on=paid_on)
    assert person_dues(m.person, m.network, today=TODAY).state == state  # type: ignore[union-attr]
    assert [line.state for line in network_dues(m.network, today=TODAY)] == [state]


@pytest.mark.parametrize(("field", "value"), [("start", dt.date(1, 1, 1)), ("end", dt.date(9999, 12, 31))])
def test_a_period_out_of_range_is_refused_by_the_service_itself(
    club: Network, member: User, manager: User, field: str, value: dt.date
) -> None:
    dates = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)} | {field: value}
    with pytest.raises(ValidationError) as exc:
        services.dues_period_create(
            membership=Membership.objects.get(person=member.person, network=club),
            amount=Decimal("120"),
            paid_on=None,
            actor=manager,
            **dates,
        )
    assert "1900 et 2200" in exc.value.message_dict[field][0]
