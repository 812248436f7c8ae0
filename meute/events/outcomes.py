"""What events brought: the meetings people had, their ratings, and the published figures.

A *meeting* is a pair of confirmed participants (not marked absent or excused)
who either shared a table in some round of the event's published speed-meeting
plan, or had a booked one-to-one meeting placed by the organiser.

Privacy rules, enforced here so that no view can forget them:

- a person's individual ratings are read only through `ratings_given`, which the
  views call for the person themselves;
- published figures are aggregates, and every figure computed from ratings is
  withheld (`None`, shown as "moins de 5 réponses") when fewer than
  `MIN_ANSWERS` ratings exist; chamber totals add up only the events whose
  figures are shown, so a withheld figure cannot be recovered by subtraction.

Follow-ups and contracts are counted per meeting (either person saying so is
enough), and a contract's amount is the larger of the two stated, so a contract
reported by both people is not counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.events.models import (
    Attendance,
    Event,
    EventKind,
    MeetingRating,
    MeetingRequest,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RequestStatus,
    RotationPlan,
    Seat,
)

MIN_ANSWERS = 5

Pair = tuple[int, int]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


# --------------------------------------------------------------------------- meetings held


def is_meeting_event(event: Event) -> bool:
    """Whether the event is one where people have meetings to rate (speed meetings, business day)."""
    if event.kind in (EventKind.SPEED, EventKind.BUSINESS_DAY):
        return True
    return RotationPlan.objects.filter(event=event, status=PlanStatus.PUBLISHED).exists()


def _present_ids(event: Event) -> set[int]:
    return set(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .exclude(attendance__in=[Attendance.ABSENT, Attendance.EXCUSED])
        .values_list("id", flat=True)
    )


def meeting_pairs(event: Event) -> set[Pair]:
    """Every meeting of the event, as pairs of registration ids (smaller first)."""
    present = _present_ids(event)
    pairs: set[Pair] = set()
    tables: dict[tuple[int, int], list[int]] = defaultdict(list)
    seats = Seat.objects.filter(plan__event=event, plan__status=PlanStatus.PUBLISHED).values_list(
        "round_no", "table_no", "registration_id"
    )
    for round_no, table_no, reg in seats:
        if reg in present:
            tables[(round_no, table_no)].append(reg)
    for people in tables.values():
        pairs.update(_pair(a, b) for a, b in combinations(people, 2) if a != b)
    booked = MeetingRequest.objects.filter(
        event=event, status=RequestStatus.ACCEPTED, slot__isnull=False
    ).values_list("sender_id", "recipient_id")
    pairs.update(_pair(a, b) for a, b in booked if a in present and b in present)
    return pairs


def partners_of(*, registration: Registration) -> list[Registration]:
    """The people this participant met at the event, by name."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    ids = {
        b if a == registration.pk else a
        for a, b in meeting_pairs(registration.event)
        if registration.pk in (a, b)
    }
    return list(
        Registration.objects.filter(pk__in=ids)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "id")
    )


# --------------------------------------------------------------------------- ratings (a person's own)


def ratings_given(*, registration: Registration) -> dict[int, MeetingRating]:
    """The participant's own ratings, by the other person's registration id. For them only."""
    return {r.other_id: r for r in MeetingRating.objects.filter(rater=registration)}


def rating_save(
    *,
    rater: Registration,
    other: Registration,
    useful: bool,
    follow_up: bool = False,
    contract_signed: bool = False,
    amount: Decimal | None = None,
    now: dt.datetime | None = None,
) -> MeetingRating:
    """Record (or change) what a meeting brought, in the rater's words.

    Raises ValidationError before the event, for someone the rater did not meet,
    or for an amount without a contract or below zero.
    """
    now = now or timezone.now()
    event = rater.event
    if now < event.starts_at:
        raise ValidationError(_("Les rencontres se notent une fois l'événement commencé."), code="early")
    if rater.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Seules les personnes inscrites notent leurs rencontres."), code="status")
    if other.event_id != event.pk or _pair(rater.pk, other.pk) not in meeting_pairs(event):
        raise ValidationError(_("Vous n'avez pas rencontré cette personne à cet événement."), code="not_met")
    if amount is not None and not contract_signed:
        raise ValidationError(
            {"amount": _("Indiquez un montant seulement si un contrat a été signé.")},
            code="amount_without_contract",
        )
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("Le montant ne peut pas être négatif.")}, code="negative")
    with transaction.atomic():
        rating, _created = MeetingRating.objects.update_or_create(
            rater=rater,
            other=other,
            defaults={
                "event": event,
                "useful": useful,
                "follow_up": follow_up,
                "contract_signed": contract_signed,
                "amount": amount if contract_signed else None,
            },
        )
    return rating


# --------------------------------------------------------------------------- published figures


def event_outcome(event: Event) -> dict[str, Any]:
    """An event's aggregate outcome; rating figures are None below MIN_ANSWERS ratings.

    Keys: meetings, ratings, shown, useful_share (percent), follow_ups, contracts, amount.
    """
    pairs = meeting_pairs(event)
    ratings = list(
        MeetingRating.objects.filter(event=event).values(
            "rater_id", "other_id", "useful", "follow_up", "contract_signed", "amount"
        )
    )
    shown = len(ratings) >= MIN_ANSWERS
    out: dict[str, Any] = {
        "meetings": len(pairs),
        "ratings": len(ratings),
        "shown": shown,
        "useful_share": None,
        "follow_ups": None,
        "contracts": None,
        "amount": None,
        "useful": None,
    }
    if not shown:
        return out
    follow: set[Pair] = set()
    contract: dict[Pair, Decimal] = {}
    for r in ratings:
        pair = _pair(r["rater_id"], r["other_id"])
        if r["follow_up"]:
            follow.add(pair)
        if r["contract_signed"]:
            contract[pair] = max(contract.get(pair, Decimal(0)), r["amount"] or Decimal(0))
    useful = sum(1 for r in ratings if r["useful"])
    out |= {
        "useful": useful,
        "useful_share": round(100 * useful / len(ratings)),
        "follow_ups": len(follow),
        "contracts": len(contract),
        "amount": sum(contract.values(), Decimal(0)),
    }
    return out


def chamber_outcomes(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """One row per past event with meetings or ratings, and totals over the rows shown.

    Totals add up only events with at least MIN_ANSWERS ratings (`events_shown`),
    so that a withheld row cannot be found by subtracting the others.
    """
    now = now or timezone.now()
    events = (
        Event.objects.filter(starts_at__lte=now)
        .filter(_may_have_meetings())
        .select_related("network")
        .distinct()
        .order_by("-starts_at")
    )
    rows = []
    totals: dict[str, Any] = {
        "events": 0,
        "events_shown": 0,
        "meetings": 0,
        "ratings": 0,
        "useful": 0,
        "follow_ups": 0,
        "contracts": 0,
        "amount": Decimal(0),
    }
    for event in events:
        figures = event_outcome(event)
        rows.append({"event": event, **figures})
        totals["events"] += 1
        totals["meetings"] += figures["meetings"]
        if figures["shown"]:
            totals["events_shown"] += 1
            for key in ("ratings", "useful", "follow_ups", "contracts", "amount"):
                totals[key] += figures[key]
    totals["useful_share"] = round(100 * totals["useful"] / totals["ratings"]) if totals["ratings"] else None
    return {"rows": rows, "totals": totals}


def _may_have_meetings() -> Q:
    """Events that can have meetings: speed meetings, business days, or any event already rated."""
    return (
        Q(kind__in=[EventKind.SPEED, EventKind.BUSINESS_DAY])
        | Q(rotation_plan__status=PlanStatus.PUBLISHED)
        | Q(ratings__isnull=False)
    )
