"""Reads of business-meeting days: slots, participants, requests, agendas, placement.

Reads never write: a pending request past its deadline reads as expired
(`MeetingRequest.status_at`, `current_status`); see :mod:`meute.events.business`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from meute.accounts.models import ConsentPurpose
from meute.engine import slots as engine
from meute.events.models import (
    Event,
    EventKind,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
)

# --------------------------------------------------------------------------- time of the day


@dataclass(frozen=True)
class Slot:
    index: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def slot_times(event: Event) -> list[Slot]:
    """The event's slots with their times: slot i starts at starts_at + i x slot_minutes."""
    step = dt.timedelta(minutes=event.slot_minutes)
    return [Slot(i, event.starts_at + i * step, event.starts_at + (i + 1) * step) for i in range(event.slots)]


def is_business_day(event: Event) -> bool:
    return event.kind == EventKind.BUSINESS_DAY


# --------------------------------------------------------------------------- selectors


def profiles_visible(*, registration: Registration) -> list[Registration]:
    """The other participants' public profiles: only people who consented to matchmaking."""
    others = (
        Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.CONFIRMED)
        .exclude(pk=registration.pk)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "id")
    )
    return [r for r in others if r.person.has_consent(ConsentPurpose.MATCHMAKING)]


def requests_of(*, registration: Registration) -> dict[str, list[MeetingRequest]]:
    """A participant's received and sent requests (show `current_status`: overdue ones read as expired)."""
    related = ("sender__person__organisation", "recipient__person__organisation")
    return {
        "received": list(
            MeetingRequest.objects.filter(recipient=registration)
            .select_related(*related)
            .order_by("-created_at")
        ),
        "sent": list(
            MeetingRequest.objects.filter(sender=registration)
            .select_related(*related)
            .order_by("-created_at")
        ),
    }


def agenda_of(*, registration: Registration) -> list[dict[str, Any]]:
    """The participant's placed meetings in time order: slot, times, table, the other person."""
    times = {s.index: s for s in slot_times(registration.event)}
    rows = (
        MeetingRequest.objects.filter(
            Q(sender=registration) | Q(recipient=registration),
            status=RequestStatus.ACCEPTED,
            slot__isnull=False,
        )
        .select_related("sender__person__organisation", "recipient__person__organisation")
        .order_by("slot")
    )
    agenda = []
    for r in rows:
        slot = times.get(r.slot)  # type: ignore[arg-type]
        if slot is None:  # the organiser shortened the day after placing: not a meeting any more
            continue
        other = r.recipient if r.sender_id == registration.pk else r.sender
        agenda.append({"request": r, "slot": slot, "table": r.table, "other": other})
    return agenda


def accepted_unplaced(*, registration: Registration) -> list[MeetingRequest]:
    return list(
        MeetingRequest.objects.filter(
            Q(sender=registration) | Q(recipient=registration),
            status=RequestStatus.ACCEPTED,
            slot__isnull=True,
        ).select_related("sender__person", "recipient__person")
    )


# --------------------------------------------------------------------------- expiry


def pending_received_count(*, registration: Registration, now: dt.datetime | None = None) -> int:
    """Requests still waiting for this participant's answer (not those past their deadline)."""
    return MeetingRequest.objects.filter(
        recipient=registration, status=RequestStatus.PENDING, expires_at__gt=now or timezone.now()
    ).count()


def request_counts(*, event: Event, now: dt.datetime | None = None) -> dict[str, int]:
    """How many of the event's requests are in each status, overdue pending ones counted as expired."""
    now = now or timezone.now()
    current = Case(
        When(status=RequestStatus.PENDING, expires_at__lte=now, then=Value(RequestStatus.EXPIRED.value)),
        default=F("status"),
    )
    found = dict(
        MeetingRequest.objects.filter(event=event)
        .annotate(current=current)
        .values_list("current")
        .annotate(n=Count("id"))
        .values_list("current", "n")
    )
    return {status: found.get(status, 0) for status in RequestStatus.values}


# --------------------------------------------------------------------------- placement


def slots_instance(event: Event) -> tuple[engine.SlotsInstance, list[MeetingRequest]]:
    """The engine's input from the rows: confirmed participants, their slots, the accepted requests."""
    registrations = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).order_by("id")
    )
    ids = {r.pk for r in registrations}
    accepted = [
        r
        for r in MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED).order_by("id")
        if r.sender_id in ids and r.recipient_id in ids
    ]
    doc = {
        "format": engine.FORMAT_IN,
        "slots": event.slots,
        "tables": event.tables,
        "participants": [
            {
                "id": f"r{r.pk}",
                # Slots the day no longer has (it was shortened) are ignored, not an error.
                "available": sorted(
                    {s for s in (r.available_slots or []) if isinstance(s, int) and 0 <= s < event.slots}
                ),
            }
            for r in registrations
        ],
        "meetings": [
            {"id": f"m{m.pk}", "between": [f"r{m.sender_id}", f"r{m.recipient_id}"], "priority": m.priority}
            for m in accepted
        ],
    }
    return engine.parse_instance(doc), accepted


def placement_figures(*, event: Event) -> dict[str, Any] | None:
    """Figures of the placement stored in the rows (None before any placement or without room).

    `valid` is False when availability or the day changed since: place again.
    """
    if event.slots < 1 or event.tables < 1:
        return None
    instance, accepted = slots_instance(event)
    placed = [
        engine.Placement(f"m{m.pk}", m.slot, (m.table or 0) - 1) for m in accepted if m.slot is not None
    ]
    if not placed and not MeetingRequest.objects.filter(event=event, slot__isnull=False).exists():
        return None
    plan = engine.SlotPlan(tuple(placed))
    errors = engine.is_valid_plan(instance, plan)
    figures: dict[str, Any] = {"valid": not errors, "meetings": len(instance.meetings), "placed": len(placed)}
    if not errors:
        figures |= engine.plan_figures(instance, plan)
    return figures


def placement_rows(*, event: Event) -> QuerySet[MeetingRequest]:
    """Every accepted meeting of the event, placed first by slot and table (for the organiser)."""
    return (
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
        .select_related("sender__person", "recipient__person")
        .order_by(F("slot").asc(nulls_last=True), "table", "id")
    )
