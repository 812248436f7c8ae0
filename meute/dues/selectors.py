"""Reads on dues: a network's members with their current period, a member's own history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.dues.models import DuesPeriod
from meute.networks.models import Membership, Network

# How long before the end a period counts as "to renew".
RENEWAL_NOTICE_DAYS = 30


@dataclass(frozen=True)
class DuesLine:
    membership: Membership
    current: DuesPeriod | None  # the period covering today, else the latest one
    periods: list[DuesPeriod]
    state: str  # "paid", "unpaid", "to_renew", "expired", "none"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "paid": _("À jour"),
    "unpaid": _("Non payée"),
    "to_renew": _("À renouveler"),
    "expired": _("Échue"),
    "none": _("Aucune période"),
}

# The lines that need the treasurer first.
STATE_ORDER = {"expired": 0, "unpaid": 1, "to_renew": 2, "none": 3, "paid": 4}


def _line(membership: Membership, today: dt.date) -> DuesLine:
    periods = sorted(membership.dues_periods.all(), key=lambda p: p.start, reverse=True)
    covering = [p for p in periods if p.start <= today <= p.end]
    current = covering[0] if covering else (periods[0] if periods else None)
    if current is None:
        state = "none"
    elif current.end < today:
        state = "expired"
    elif not current.is_paid:
        state = "unpaid"
    elif current.end <= today + dt.timedelta(days=RENEWAL_NOTICE_DAYS) and not any(
        p.start > current.end for p in periods
    ):
        state = "to_renew"
    else:
        state = "paid"
    return DuesLine(membership=membership, current=current, periods=periods, state=state)


def network_dues(network: Network, today: dt.date | None = None) -> list[DuesLine]:
    """Every active member of the network with their dues state, those needing attention first."""
    today = today or timezone.localdate()
    memberships = (
        Membership.objects.active()
        .filter(network=network)
        .select_related("person", "person__organisation")
        .prefetch_related(Prefetch("dues_periods", queryset=DuesPeriod.objects.order_by("-start")))
    )
    lines = [_line(m, today) for m in memberships]
    return sorted(lines, key=lambda x: (STATE_ORDER[x.state], x.membership.person.last_name))


def dues_summary(lines: list[DuesLine]) -> dict[str, int]:
    counts = {state: 0 for state in STATE_LABELS}
    for line in lines:
        counts[line.state] += 1
    return counts


def person_dues(person: Person, network: Network, today: dt.date | None = None) -> DuesLine | None:
    """The person's own dues in this network, or None if they are not an active member."""
    today = today or timezone.localdate()
    membership = (
        Membership.objects.active()
        .filter(network=network, person=person)
        .prefetch_related("dues_periods")
        .first()
    )
    return _line(membership, today) if membership else None


def network_period(network: Network, pk: int) -> DuesPeriod | None:
    """A dues period of this network's members; another network's id answers None (no id guessing)."""
    return (
        DuesPeriod.objects.select_related("membership__person")
        .filter(pk=pk, membership__network=network)
        .first()
    )
