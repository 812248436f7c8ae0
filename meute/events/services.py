"""Writes on events and registrations: one transaction each.

Seats are counted and taken under a row lock on the event, so concurrent
registrations can never oversell it (proven on PostgreSQL in tests/postgres).

What an organiser does (an event saved, an arrival noted, a walk-in seated) and what the
system does to someone's place (a promotion from the waiting list) write an audit entry in
the same transaction, as the networks' services do; a person's own registration and
cancellation do not (they are the registration's own record).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Organisation, Person, User
from meute.audit.services import audit_log
from meute.core.locking import locked
from meute.events import tasks
from meute.events.models import CalendarFeed, CheckIn, Event, Registration, RegistrationStatus
from meute.events.permissions import may_register
from meute.events.recurrence import occurrences
from meute.networks import permissions as network_permissions
from meute.networks.models import Membership

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

# Who acts: a user, or nobody (the system, or a caller that does not say).
Actor = User | AnonymousUser | None


def _locked(event: Event) -> Event:
    # A function of its own so that the PostgreSQL test can take the lock away (negative control).
    return locked(Event, event.pk)


def confirmed_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def registration_create(
    *, event: Event, person: Person, now: dt.datetime | None = None, walk_in: bool = False
) -> Registration:
    """Register a person: confirmed while places are left, then on the waiting list.

    Raises ValidationError with the reason: closed window, audience, double
    registration. A walk-in (at check-in, on the day) skips the window and is
    seated even beyond capacity: they are in the room.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if not walk_in:
            if not event.registration_open(now):
                raise ValidationError(_("Les inscriptions à cet événement sont fermées."), code="closed")
            if not may_register(person, event):
                raise ValidationError(_("Cet événement est réservé aux membres du réseau."), code="audience")
        if Registration.objects.filter(event=event, person=person, status__in=ACTIVE).exists():
            raise ValidationError(_("Vous êtes déjà inscrit(e) à cet événement."), code="duplicate")
        full = event.capacity is not None and confirmed_count(event) >= event.capacity
        status = RegistrationStatus.WAITLISTED if full and not walk_in else RegistrationStatus.CONFIRMED
        try:
            registration = Registration.objects.create(
                event=event,
                person=person,
                status=status,
                walk_in=walk_in,
                offers=person.offers,
                seeks=person.seeks,
                attendance=CheckIn.PRESENT if walk_in else "",
                checked_in_at=now if walk_in else None,
            )
        except IntegrityError as exc:  # the same person, registering twice at the same instant
            raise ValidationError(_("Vous êtes déjà inscrit(e) à cet événement."), code="duplicate") from exc
        if not walk_in:
            transaction.on_commit(lambda: tasks.send_registration_email.enqueue(registration.pk))
    return registration


def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; if it held a place, the first person waiting gets it and is told.

    Returns the promoted registration, if any.
    """
    with transaction.atomic():
        event = _locked(registration.event)
        if event.has_started:
            # what happened stays on record: attendance, ratings, contracts signed
            raise ValidationError(
                _("L'événement a commencé : l'inscription ne peut plus être annulée."), code="started"
            )
        registration = locked(Registration, registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return None
        held_place = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        promoted = None
        if held_place and (event.capacity is None or confirmed_count(event) < event.capacity):
            promoted = (
                Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
                .order_by("created_at", "id")
                .first()
            )
            if promoted is not None:
                promoted.status = RegistrationStatus.CONFIRMED
                promoted.save(update_fields=["status", "updated_at"])
                audit_log(
                    actor=None,
                    action="registration.promote",
                    summary=_("%(p)s passe de la liste d'attente aux inscrits : %(e)s")
                    % {"p": promoted.person, "e": event.title},
                    network=event.network,
                    target=promoted,
                    details={"event": event.pk, "freed_by": registration.pk},
                )
                promoted_id = promoted.pk
                transaction.on_commit(lambda: tasks.send_promotion_email.enqueue(promoted_id))
    return promoted


def _name_key(name: str) -> str:
    """A name compared without case, accents or extra spaces ("Hélène  DUPONT" = "helene dupont")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _walk_in_match(
    *, event: Event, actor: User | AnonymousUser, first_name: str, last_name: str, email: str
) -> Person | None:
    """The existing person a walk-in may be linked to, or None.

    Linked only when the organiser could already see that person's record (an
    active member of the organising network; CCI staff: anyone) and typed that
    person's own first and last names with the e-mail: nothing is revealed that
    was not typed, and nobody is registered on the strength of an e-mail alone.
    """
    if not email:
        return None
    candidates = Person.objects.filter(email__iexact=email).order_by("id")
    if not network_permissions.is_staff(actor):
        if event.network_id is None:
            return None
        members = Membership.objects.active().filter(network_id=event.network_id)
        candidates = candidates.filter(pk__in=members.values("person_id"))
    wanted = (_name_key(first_name), _name_key(last_name))
    for person in candidates:
        if (_name_key(person.first_name), _name_key(person.last_name)) == wanted:
            return person
    return None


def walk_in_register(
    *,
    event: Event,
    actor: User | AnonymousUser,
    first_name: str,
    last_name: str,
    email: str = "",
    company: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """Register, as present, someone who came without registering, with what the organiser typed.

    The person is linked to an existing record only as `_walk_in_match` allows;
    otherwise a new record is made from the typed name, e-mail and company (the
    observatory's record linkage may merge it later, under review). Raises
    ValidationError when the linked person is already registered.
    """
    with transaction.atomic():
        person = _walk_in_match(
            event=event, actor=actor, first_name=first_name, last_name=last_name, email=email
        )
        linked = person is not None
        if person is None:
            person = Person.objects.create(
                first_name=first_name,
                last_name=last_name,
                email=email,
                organisation=Organisation.objects.create(name=company) if company else None,
            )
        elif Registration.objects.filter(event=event, person=person, status__in=ACTIVE).exists():
            raise ValidationError(
                _("%(name)s est déjà inscrit(e) à cet événement : pointez son arrivée dans la liste.")
                % {"name": f"{first_name} {last_name}".strip()},
                code="duplicate",
            )
        registration = registration_create(event=event, person=person, now=now, walk_in=True)
        audit_log(
            actor=actor,
            action="registration.walk_in",
            summary=_("%(p)s enregistré(e) sur place : %(e)s") % {"p": person, "e": event.title},
            network=event.network,
            target=registration,
            details={"event": event.pk, "linked_to_known_person": linked},
        )
        return registration


#: Arrivals and absences are noted from this long before the start (apologies any time).
CHECKIN_OPENS_BEFORE = dt.timedelta(hours=12)


def attendance_set(
    *, registration: Registration, attendance: str, actor: Actor = None, now: dt.datetime | None = None
) -> Registration:
    """Record a person's attendance (check-in on the day, or the board's register afterwards)."""
    if attendance not in CheckIn.values:
        raise ValidationError({"attendance": _("valeur de présence inconnue : %(v)s") % {"v": attendance}})
    with transaction.atomic():
        registration = locked(Registration, registration.pk)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(_("Seules les personnes inscrites peuvent être pointées."))
        opens = registration.event.starts_at - CHECKIN_OPENS_BEFORE
        if attendance not in (CheckIn.EXCUSED, CheckIn.UNKNOWN) and (now or timezone.now()) < opens:
            # an apology may come ahead; arrivals and absences are noted on the day
            raise ValidationError(
                _(
                    "Le pointage ouvre le %(d)s, 12 heures avant l'événement ; avant, seule une excuse peut être notée."
                )
                % {"d": formats.date_format(timezone.localtime(opens), "DATETIME_FORMAT")}
            )
        before = registration.attendance
        registration.attendance = attendance
        arrived = attendance in (CheckIn.PRESENT, CheckIn.LATE)
        registration.checked_in_at = (
            (registration.checked_in_at or now or timezone.now()) if arrived else None
        )
        registration.save(update_fields=["attendance", "checked_in_at", "updated_at"])
        event = registration.event
        audit_log(
            actor=actor,
            action="registration.attendance",
            summary=_("%(p)s : %(a)s (%(e)s)")
            % {"p": registration.person, "a": registration.get_attendance_display(), "e": event.title},
            network=event.network,
            target=registration,
            details={"event": event.pk, "from": before, "to": attendance},
        )
    return registration


def event_series_create(*, event: Event) -> list[Event]:
    """Create the occurrences of a recurring event (its rule), each a full event of its own.

    The first occurrence is the event itself; the others keep its duration, place
    and settings, and point to it as their series. Idempotent: existing dates are kept.
    """
    if not event.recurrence:
        return []
    tz = ZoneInfo(settings.TIME_ZONE)
    duration = event.ends_at - event.starts_at
    with transaction.atomic():
        existing = set(Event.objects.filter(series=event).values_list("starts_at", flat=True))
        created = []
        for start in occurrences(event.recurrence, event.starts_at, tz)[1:]:
            if start in existing:
                continue
            copy = Event.objects.get(pk=event.pk)
            copy.pk = None
            copy.id = None
            copy.series = event
            copy.recurrence = ""
            copy.starts_at = start
            copy.ends_at = start + duration
            shift = start - event.starts_at
            copy.registration_opens_at = (
                event.registration_opens_at + shift if event.registration_opens_at else None
            )
            copy.registration_closes_at = (
                event.registration_closes_at + shift if event.registration_closes_at else None
            )
            copy.save()
            copy.partner_networks.set(event.partner_networks.all())
            created.append(copy)
    return created


def event_save(*, event: Event, partner_ids: Iterable[int] | None = None, actor: Actor = None) -> Event:
    """Validate and save an event (and create its occurrences when it recurs).

    `partner_ids` replaces the partner networks, an empty list removing them all;
    None leaves them as they are.
    """
    event.full_clean()
    with transaction.atomic():
        created = event.pk is None
        event.save()
        if partner_ids is not None:
            event.partner_networks.set(list(partner_ids))
        occurrences_made = event_series_create(event=event)
        audit_log(
            actor=actor,
            action="event.create" if created else "event.update",
            summary=(_("Événement créé : %(e)s") if created else _("Événement modifié : %(e)s"))
            % {"e": event.title},
            network=event.network,
            target=event,
            details={"occurrences": len(occurrences_made)} if occurrences_made else {},
        )
    return event


def calendar_feed_issue(*, person: Person) -> CalendarFeed:
    """Give the person a new secret calendar address; the previous one, if any, stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(person=person).delete()
        return CalendarFeed.objects.create(person=person)


def calendar_feed_revoke(*, person: Person) -> bool:
    """Remove the person's calendar address; returns whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(person=person).delete()
    return deleted > 0
