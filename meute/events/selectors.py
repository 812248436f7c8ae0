"""Reads for events: lists, a person's events, check-in lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meute.accounts.models import Person, User
from meute.events.models import Event, EventStatus, Registration, RegistrationStatus
from meute.events.permissions import visible_events


def events_listed(
    user: User | AnonymousUser, *, past: bool = False, network_slug: str = ""
) -> QuerySet[Event]:
    now = timezone.now()
    qs = visible_events(user).select_related("network", "commune")
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at")
    )
    if network_slug:
        qs = qs.filter(network__slug=network_slug)
    return qs.annotate(
        confirmed=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        )
    )


def upcoming_for_network(user: User | AnonymousUser, network_id: int, limit: int = 5) -> QuerySet[Event]:
    """The network's next events that this user may see."""
    return (
        visible_events(user)
        .filter(network_id=network_id, status=EventStatus.PUBLISHED, starts_at__gte=timezone.now())
        .order_by("starts_at")[:limit]
    )


def person_registrations(person: Person, *, since: dt.datetime | None = None) -> QuerySet[Registration]:
    qs = Registration.objects.filter(
        person=person, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    ).select_related("event", "event__network", "event__commune")
    if since:
        qs = qs.filter(event__ends_at__gte=since)
    return qs.order_by("event__starts_at")


def feed_registrations(person: Person) -> QuerySet[Registration]:
    """The confirmed registrations a personal calendar feed lists: only events the person may see now.

    Read at every fetch, so an event leaves the feed as soon as the person leaves
    its network or its audience narrows; a feed whose account is gone or
    deactivated lists nothing.
    """
    user = person.user
    if user is None or not user.is_active:
        return Registration.objects.none()
    return person_registrations(person).filter(
        status=RegistrationStatus.CONFIRMED, event__in=visible_events(user).values("pk")
    )


def checkin_list(event: Event, q: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).select_related(
        "person", "person__organisation"
    )
    # A search is a few words: the page and the API pass what they are given, the
    # selector keeps the first 100 characters and 5 words (one SQL condition each).
    for word in q[:100].split()[:5]:
        qs = qs.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__organisation__name__icontains=word)
        )
    return qs.order_by("person__last_name", "person__first_name")


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(pk=registration.pk, created_at=registration.created_at)
        .count()
        + 1
    )


def participant_of(event: Event, person: Any) -> Registration | None:
    """The person's confirmed registration to the event, if any: only they take part in meetings."""
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person, status=RegistrationStatus.CONFIRMED)
        .select_related("person", "person__organisation")
        .first()
    )


def registration_of(event: Event, person: Person | None) -> Registration | None:
    """The person's registration to the event, confirmed or waiting (not a cancelled one), if any."""
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


# --- Lookups for the API (a missing row is None: the caller answers 404) ------------------------


def event_by_pk(pk: int) -> Event | None:
    return Event.objects.select_related("network", "commune").filter(pk=pk).first()


def event_registration(event: Event, pk: int) -> Registration | None:
    """A registration of this event; another event's id answers None (no id guessing)."""
    return Registration.objects.select_related("person", "event").filter(pk=pk, event=event).first()
