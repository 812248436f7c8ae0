"""Reads of outcomes: the meetings held, a person's own ratings, the figures published.

The privacy rules of :mod:`meute.events.outcomes` are enforced here, so that no
view can forget them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from enum import Enum
from itertools import combinations
from typing import Any, Literal

from django.db.models import Q
from django.utils import timezone

from meute.accounts.models import Person
from meute.events.models import (
    CheckIn,
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

MIN_ANSWERS = 5  # people who answered, never counting the reader


class Reader(Enum):
    """A reader not known in advance: figures must then be safe for any reader, one who answered too."""

    ANYONE = "anyone"


Viewer = Person | None | Literal[Reader.ANYONE]

Pair = tuple[int, int]


def pair_of(a: int, b: int) -> Pair:
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
        .exclude(attendance__in=[CheckIn.ABSENT, CheckIn.EXCUSED])
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
        pairs.update(pair_of(a, b) for a, b in combinations(people, 2) if a != b)
    booked = MeetingRequest.objects.filter(
        event=event, status=RequestStatus.ACCEPTED, slot__isnull=False
    ).values_list("sender_id", "recipient_id")
    pairs.update(pair_of(a, b) for a, b in booked if a in present and b in present)
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


# --------------------------------------------------------------------------- published figures


def _reader_answered(viewer: Viewer, people: set[int]) -> bool:
    if viewer is Reader.ANYONE:
        return bool(people)  # the reader could be any of them
    return viewer is not None and viewer.pk in people


# A contract's stated amount: (amount, who stated it, the two people of the contract).
Stated = tuple[Decimal, int, frozenset[int]]


def _amount_people(stated: list[Stated], viewer: Viewer) -> int:
    """How many people stated the amounts of the contracts the viewer did not take part in.

    For an unknown reader, the fewest over every reader who took part in a contract.
    """

    def without(person: int | None) -> int:
        return len({who for _amount, who, pair in stated if person not in pair})

    if viewer is Reader.ANYONE:
        parties = {p for _amount, _who, pair in stated for p in pair}
        return min((without(p) for p in parties), default=0)
    return without(viewer.pk if viewer is not None else None)


def event_outcome(event: Event, *, viewer: Viewer = Reader.ANYONE) -> dict[str, Any]:
    """An event's aggregate outcome as `viewer` may read it.

    `viewer` is the person who will read the figures (None: a reader with no
    person record, who took part in nothing). Rating figures are None unless at
    least MIN_ANSWERS distinct people answered, not counting the viewer; the
    amount is None unless the amounts it adds up were stated by MIN_ANSWERS
    people, leaving out the contracts the viewer took part in. By default the
    reader is unknown and the figures are only those safe for any reader.

    Keys: meetings, ratings, people, shown, viewer_answered, useful_share
    (percent), useful, follow_ups, contracts, amount, amount_shown.
    """
    pairs = meeting_pairs(event)
    ratings = list(
        MeetingRating.objects.filter(event=event).values(
            "rater_id",
            "rater__person_id",
            "other_id",
            "other__person_id",
            "useful",
            "follow_up",
            "contract_signed",
            "amount",
        )
    )
    # People, not ratings: a person re-registered after a cancellation is still one person.
    people = {r["rater__person_id"] for r in ratings}
    answered = _reader_answered(viewer, people)
    shown = len(people) - answered >= MIN_ANSWERS
    follow: set[Pair] = set()
    contract: dict[Pair, Decimal] = {}
    stated: dict[Pair, Stated] = {}
    for r in ratings:
        pair = pair_of(r["rater_id"], r["other_id"])
        if r["follow_up"]:
            follow.add(pair)
        if r["contract_signed"]:
            # Reported by both: counted once, at the larger amount (the one that makes the total).
            contract[pair] = max(contract.get(pair, Decimal(0)), r["amount"] or Decimal(0))
            if r["amount"] is not None:
                mine: Stated = (
                    r["amount"],
                    r["rater__person_id"],
                    frozenset((r["rater__person_id"], r["other__person_id"])),
                )
                best = stated.get(pair)
                if best is None or (mine[0], -mine[1]) > (best[0], -best[1]):
                    stated[pair] = mine
    amount_shown = shown and _amount_people(list(stated.values()), viewer) >= MIN_ANSWERS
    out: dict[str, Any] = {
        "meetings": len(pairs),
        "ratings": None,
        "people": None,
        "shown": shown,
        "viewer_answered": answered if viewer is not Reader.ANYONE else False,
        "useful_share": None,
        "useful": None,
        "follow_ups": None,
        "contracts": None,
        "amount": None,
        "amount_shown": amount_shown,
    }
    if not shown:
        return out
    useful = sum(1 for r in ratings if r["useful"])
    out |= {
        "ratings": len(ratings),
        "people": len(people),
        "useful": useful,
        "useful_share": round(100 * useful / len(ratings)),
        "follow_ups": len(follow),
        "contracts": len(contract),
        "amount": sum(contract.values(), Decimal(0)) if amount_shown else None,
    }
    return out


def chamber_outcomes(*, viewer: Viewer = Reader.ANYONE, now: dt.datetime | None = None) -> dict[str, Any]:
    """One row per past event with meetings or ratings, as `viewer` may read them, and totals.

    Totals add up only the figures shown to the viewer (`events_shown` events;
    the amount over `amounts_shown` events), so that a withheld figure cannot be
    found by subtracting the others.
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
        "amounts_shown": 0,
        "meetings": 0,
        "ratings": 0,
        "useful": 0,
        "follow_ups": 0,
        "contracts": 0,
        "amount": Decimal(0),
    }
    for event in events:
        figures = event_outcome(event, viewer=viewer)
        rows.append({"event": event, **figures})
        totals["events"] += 1
        totals["meetings"] += figures["meetings"]
        if figures["shown"]:
            totals["events_shown"] += 1
            for key in ("ratings", "useful", "follow_ups", "contracts"):
                totals[key] += figures[key]
        if figures["amount_shown"]:
            totals["amounts_shown"] += 1
            totals["amount"] += figures["amount"]
    totals["useful_share"] = round(100 * totals["useful"] / totals["ratings"]) if totals["ratings"] else None
    return {"rows": rows, "totals": totals}


def _may_have_meetings() -> Q:
    """Events that can have meetings: speed meetings, business days, or any event already rated."""
    return (
        Q(kind__in=[EventKind.SPEED, EventKind.BUSINESS_DAY])
        | Q(rotation_plan__status=PlanStatus.PUBLISHED)
        | Q(ratings__isnull=False)
    )
