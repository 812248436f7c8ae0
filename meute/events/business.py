"""Business-meeting days: profiles, meeting requests, availability, placement, agendas.

Services (writes, one transaction each, keyword-only arguments) and the few
selectors the views need. This module is the bridge between the rows and the
slot engine (`meute.engine.slots`): it loads the accepted requests and the
participants' availability, builds a `SlotsInstance`, solves it, checks the
plan and saves every placement in one transaction.

Requests expire `event.request_ttl_hours` after they are sent (and at the
latest when the event starts), so that an unanswered request does not hold a
slot. Reads never write: they treat a pending request past its deadline as
expired (`MeetingRequest.status_at`, `current_status`). The expiry is written
by `meute expire_requests` (daily) and by the writes that depend on it
(asking, answering, placing).

Table numbers are stored from 1 (what people read on the table), slot
numbers from 0 (an index into the day, as in the engine).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

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


def participant_of(event: Event, person: Any) -> Registration | None:
    """The person's confirmed registration to the event, if any: only they take part in meetings."""
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person, status=RegistrationStatus.CONFIRMED)
        .select_related("person", "person__organisation")
        .first()
    )


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


def requests_expire(*, event: Event | None = None, now: dt.datetime | None = None) -> int:
    """Mark pending requests past their deadline as expired; returns how many. Idempotent."""
    now = now or timezone.now()
    qs = MeetingRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now)
    if event is not None:
        qs = qs.filter(event=event)
    return qs.update(status=RequestStatus.EXPIRED)


# --------------------------------------------------------------------------- participant writes


def _require_business_day(event: Event) -> None:
    if not is_business_day(event):
        raise ValidationError(
            _("Cet événement n'est pas une journée de rendez-vous d'affaires."), code="kind"
        )


def _require_participant(registration: Registration) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("Seules les personnes inscrites prennent part aux rendez-vous."), code="status"
        )


def profile_update(*, registration: Registration, offers: str, seeks: str) -> Registration:
    """Publish what a participant offers and seeks for this event."""
    _require_participant(registration)
    registration.offers = offers.strip()
    registration.seeks = seeks.strip()
    registration.save(update_fields=["offers", "seeks", "updated_at"])
    return registration


def availability_set(
    *, registration: Registration, slots: list[int], now: dt.datetime | None = None
) -> Registration:
    """Record the slots a participant is free for meetings.

    Raises ValidationError for a slot outside the day, after the event started,
    or when a slot holding one of their placed meetings is taken away (the
    organiser would have to place again; ask them instead).
    """
    now = now or timezone.now()
    event = registration.event
    _require_business_day(event)
    _require_participant(registration)
    if now >= event.starts_at:
        raise ValidationError(
            _("L'événement a commencé : les disponibilités ne changent plus."), code="started"
        )
    chosen: set[int] = set()
    for s in slots:
        if not isinstance(s, int) or isinstance(s, bool) or not 0 <= s < event.slots:
            shown = s + 1 if isinstance(s, int) and not isinstance(s, bool) else s
            raise ValidationError(
                {
                    "slots": _("Le créneau %(s)s n'existe pas dans cette journée (créneaux 1 à %(n)s).")
                    % {"s": shown, "n": event.slots}
                },
                code="out_of_range",
            )
        chosen.add(s)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        placed: set[int] = set(
            MeetingRequest.objects.filter(
                Q(sender=registration) | Q(recipient=registration),
                status=RequestStatus.ACCEPTED,
                slot__isnull=False,
            ).values_list("slot", flat=True)  # type: ignore[arg-type]  # not null: filtered above
        )
        lost = sorted(placed - chosen)
        if lost:
            times = slot_times(event)
            raise ValidationError(
                {
                    "slots": _(
                        "Vous avez déjà un rendez-vous placé à %(t)s : demandez à l'organisateur de le déplacer."
                    )
                    % {
                        "t": ", ".join(
                            timezone.localtime(times[s].starts_at).strftime("%H:%M")
                            for s in lost
                            if s < len(times)
                        )
                    }
                },
                code="placed",
            )
        registration.available_slots = sorted(chosen)
        registration.save(update_fields=["available_slots", "updated_at"])
    return registration


def request_create(
    *,
    sender: Registration,
    recipient: Registration,
    message: str = "",
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """Ask another participant for a one-to-one meeting.

    Raises ValidationError: not a business-meeting day, event started, a request
    to oneself, someone from another event, someone who has not consented to
    matchmaking, or a request that already exists between the two (either way).
    """
    now = now or timezone.now()
    event = sender.event
    _require_business_day(event)
    _require_participant(sender)
    if sender.pk == recipient.pk or sender.person_id == recipient.person_id:
        raise ValidationError(_("Vous ne pouvez pas vous demander un rendez-vous à vous-même."), code="self")
    if recipient.event_id != event.pk or recipient.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Cette personne ne participe pas à cet événement."), code="not_participant")
    if now >= event.starts_at:
        raise ValidationError(
            _("L'événement a commencé : les demandes de rendez-vous sont closes."), code="started"
        )
    if not recipient.person.has_consent(ConsentPurpose.MATCHMAKING):
        raise ValidationError(
            _("Cette personne ne souhaite pas recevoir de demandes de rendez-vous."), code="consent"
        )
    requests_expire(event=event, now=now)
    reverse = MeetingRequest.objects.filter(sender=recipient, recipient=sender).first()
    if reverse is not None and reverse.status in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise ValidationError(
            _("%(name)s vous a déjà demandé un rendez-vous : répondez à sa demande.")
            % {"name": recipient.person.full_name},
            code="duplicate",
        )
    if MeetingRequest.objects.filter(sender=sender, recipient=recipient).exists():
        raise ValidationError(_("Vous avez déjà demandé un rendez-vous à cette personne."), code="duplicate")
    expires_at = min(now + dt.timedelta(hours=event.request_ttl_hours), event.starts_at)
    try:
        with transaction.atomic():
            return MeetingRequest.objects.create(
                event=event,
                sender=sender,
                recipient=recipient,
                message=message.strip(),
                expires_at=expires_at,
            )
    except IntegrityError as exc:  # the same request sent twice at the same instant
        raise ValidationError(
            _("Vous avez déjà demandé un rendez-vous à cette personne."), code="duplicate"
        ) from exc


def request_answer(
    *, request: MeetingRequest, recipient: Registration, accept: bool, now: dt.datetime | None = None
) -> MeetingRequest:
    """The recipient accepts or declines a pending request (not an expired one)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
        if request.recipient_id != recipient.pk:
            raise ValidationError(
                _("Seule la personne sollicitée peut répondre à cette demande."), code="not_recipient"
            )
        if request.status == RequestStatus.PENDING and request.expires_at <= now:
            # Recorded before refusing the answer (outside the block, so it is kept).
            request.status = RequestStatus.EXPIRED
            request.save(update_fields=["status"])
        elif request.status == RequestStatus.PENDING:
            request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
            request.answered_at = now
            request.save(update_fields=["status", "answered_at"])
            return request
    if request.status == RequestStatus.EXPIRED:
        raise ValidationError(_("Cette demande a expiré."), code="expired")
    raise ValidationError(_("Vous avez déjà répondu à cette demande."), code="answered")


# --------------------------------------------------------------------------- placement (organiser)


def _instance(event: Event) -> tuple[engine.SlotsInstance, list[MeetingRequest]]:
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


def _check_room(event: Event) -> None:
    if not is_business_day(event):
        raise ValidationError(
            _("Cet événement n'est pas une journée de rendez-vous d'affaires."), code="kind"
        )
    if event.slots < 1:
        raise ValidationError(
            _("Indiquez le nombre de créneaux de la journée avant de placer les rendez-vous."),
            code="no_slots",
        )
    if event.tables < 1:
        raise ValidationError(
            _("Indiquez le nombre de tables avant de placer les rendez-vous."), code="no_tables"
        )


def meetings_place(*, event: Event, seed: int = 0, now: dt.datetime | None = None) -> dict[str, Any]:
    """Place every accepted meeting into a slot and at a table with the engine; one transaction.

    Earlier placements are replaced. Returns the plan's figures (see `plan_figures`).
    Raises ValidationError when the day has no slots or no tables.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_room(event)
        requests_expire(event=event, now=now)
        instance, accepted = _instance(event)
        plan = engine.plan_meetings(instance, seed=seed)
        errors = engine.is_valid_plan(instance, plan)
        if errors:  # pragma: no cover - a solver bug, never the organiser's fault
            raise RuntimeError("invalid plan: " + "; ".join(errors[:3]))
        where = {p.meeting: p for p in plan.placed}
        MeetingRequest.objects.filter(event=event).exclude(slot=None, table=None).update(
            slot=None, table=None
        )
        changed = []
        for m in accepted:
            p = where.get(f"m{m.pk}")
            if p is not None:
                m.slot, m.table = p.slot, p.table + 1
                changed.append(m)
        MeetingRequest.objects.bulk_update(changed, ["slot", "table"])
        return engine.plan_figures(instance, plan)


def placement_figures(*, event: Event) -> dict[str, Any] | None:
    """Figures of the placement stored in the rows (None before any placement or without room).

    `valid` is False when availability or the day changed since: place again.
    """
    if event.slots < 1 or event.tables < 1:
        return None
    instance, accepted = _instance(event)
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
