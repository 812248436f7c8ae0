"""Reads on referrals: personal lists and the figures of networks and of the chamber."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from meute.accounts.models import Person
from meute.accounts.selectors import person_of
from meute.networks import permissions
from meute.networks.models import Membership, Network
from meute.referrals.models import Referral, Temperature

ZERO = Decimal("0")


def referrals_given(*, person: Person, network: Network) -> QuerySet[Referral]:
    return Referral.objects.filter(network=network, giver=person).select_related("recipient")


def referrals_received(*, person: Person, network: Network) -> QuerySet[Referral]:
    return Referral.objects.filter(network=network, recipient=person).select_related("giver")


def recipient_choices(*, network: Network, giver: Person) -> QuerySet[Person]:
    """Active members of the network a giver may pass business to (not oneself)."""
    return (
        Person.objects.filter(memberships__in=Membership.objects.active().filter(network=network))
        .exclude(pk=giver.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )


def referral_visible_to(*, user: Any, network: Network, pk: int) -> Referral | None:
    """The referral `pk` of `network` if the user gave it, received it or manages the network."""
    referral = Referral.objects.filter(network=network, pk=pk).select_related("giver", "recipient").first()
    if referral is None:
        return None
    person = person_of(user)
    if person is not None and person.pk in (referral.giver_id, referral.recipient_id):
        return referral
    if permissions.can_manage(user, network):
        return referral
    return None


@dataclass
class MemberRow:
    person: Person
    given: int = 0
    received: int = 0
    deals_from_given: int = 0
    amount_from_given: Decimal = ZERO
    deals_received: int = 0
    amount_received: Decimal = ZERO


def member_totals(*, network: Network, person: Person | None = None) -> list[MemberRow]:
    """Per member: referrals given and received, and the business closed from them.

    `amount_from_given` is the business a member generated for others;
    `amount_received` is the business a member closed thanks to others.
    With `person`, only that member's row (what a plain member may see).
    """
    people = Person.objects.filter(
        memberships__in=Membership.objects.active().filter(network=network)
    ).distinct()
    rows: dict[int, MemberRow] = {}
    referrals = Referral.objects.filter(network=network)
    if person is not None:
        people = people.filter(pk=person.pk)
        referrals = referrals.filter(Q(giver=person) | Q(recipient=person))
    for p in people.order_by("last_name", "first_name"):
        rows[p.pk] = MemberRow(person=p)
    wanted = {person.pk} if person is not None else None
    for r in referrals.select_related("giver", "recipient"):
        for who, side in ((r.giver, "given"), (r.recipient, "received")):
            if wanted is not None and who.pk not in wanted:
                continue
            # People who left the network keep their history in the figures.
            row = rows.setdefault(who.pk, MemberRow(person=who))
            closed = r.business_closed is True
            amount = r.amount or ZERO
            if side == "given":
                row.given += 1
                row.deals_from_given += closed
                row.amount_from_given += amount if closed else ZERO
            else:
                row.received += 1
                row.deals_received += closed
                row.amount_received += amount if closed else ZERO
    return sorted(rows.values(), key=lambda m: (m.person.last_name, m.person.first_name, m.person.pk))


@dataclass
class MonthRow:
    month: dt.date
    referrals: int = 0
    hot: int = 0
    deals: int = 0
    amount: Decimal = ZERO
    share: int = field(default=0)  # width of the bar, percent of the best month's amount


def _monthly(referrals: QuerySet[Referral]) -> list[MonthRow]:
    months: dict[dt.date, MonthRow] = {}
    given = (
        referrals.annotate(month=TruncMonth("given_on"))
        .values("month")
        .annotate(n=Count("id"), hot=Count("id", filter=Q(temperature=Temperature.HOT)))
    )
    for g in given:
        row = months.setdefault(g["month"], MonthRow(month=g["month"]))
        row.referrals, row.hot = g["n"], g["hot"]
    deals = (
        referrals.filter(business_closed=True)
        .annotate(month=TruncMonth("closed_on"))
        .values("month")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    for d in deals:
        row = months.setdefault(d["month"], MonthRow(month=d["month"]))
        row.deals, row.amount = d["n"], d["amount"] or ZERO
    result = sorted(months.values(), key=lambda m: m.month)
    best = max((m.amount for m in result), default=ZERO)
    for m in result:
        m.share = round(m.amount * 100 / best) if best else 0
    return result


def monthly_totals(*, network: Network, person: Person | None = None) -> list[MonthRow]:
    """Referrals given (by month given) and business closed (by month closed) in a network.

    With `person`, only referrals that person gave or received.
    """
    referrals = Referral.objects.filter(network=network)
    if person is not None:
        referrals = referrals.filter(Q(giver=person) | Q(recipient=person))
    return _monthly(referrals)


@dataclass
class NetworkRow:
    network: Network
    referrals: int
    hot: int
    deals: int
    amount: Decimal


def chamber_by_network() -> list[NetworkRow]:
    """Totals of every network that has referrals, for CCI staff."""
    rows = (
        Network.objects.annotate(
            n=Count("referrals"),
            hot=Count("referrals", filter=Q(referrals__temperature=Temperature.HOT)),
            deals=Count("referrals", filter=Q(referrals__business_closed=True)),
            total=Sum("referrals__amount", filter=Q(referrals__business_closed=True)),
        )
        .filter(n__gt=0)
        .order_by("name")
    )
    return [
        NetworkRow(network=n, referrals=n.n, hot=n.hot, deals=n.deals, amount=n.total or ZERO)  # type: ignore[attr-defined]
        for n in rows
    ]


def chamber_by_month() -> list[MonthRow]:
    """Totals across all networks by month, for CCI staff."""
    return _monthly(Referral.objects.all())


def chamber_totals() -> dict[str, Any]:
    agg = Referral.objects.aggregate(
        referrals=Count("id"),
        deals=Count("id", filter=Q(business_closed=True)),
        amount=Sum("amount", filter=Q(business_closed=True)),
    )
    agg["amount"] = agg["amount"] or ZERO
    return agg
