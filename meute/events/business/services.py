"""Writes of business-meeting days: profile, availability, requests and answers, placement.

One transaction each, keyword-only arguments. Requests expire
`event.request_ttl_hours` after they are sent (and at the latest when the event
starts); the expiry is written by `meute expire_requests` (daily) and by the
writes that depend on it (asking, answering, placing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import ConsentPurpose
from meute.core.locking import locked
from meute.engine import slots as engine
from meute.events.business.selectors import is_business_day, slot_times, slots_instance
from meute.events.models import Event, MeetingRequest, Registration, RegistrationStatus, RequestStatus


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
        registration = locked(Registration, registration.pk)
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
        request = locked(MeetingRequest, request.pk)
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


def _check_room(event: Event) -> None:
    _require_business_day(event)
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
        event = locked(Event, event.pk)
        _check_room(event)
        requests_expire(event=event, now=now)
        instance, accepted = slots_instance(event)
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
