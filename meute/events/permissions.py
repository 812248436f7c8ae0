"""Who may see, join or run an event."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from meute.accounts.models import Person, User
from meute.events.models import Audience, Event, EventStatus
from meute.networks import permissions as network_permissions
from meute.networks.models import Membership, Status


def person_of(user: User | AnonymousUser) -> Person | None:
    return getattr(user, "person", None) if user.is_authenticated else None


def active_network_ids(person: Person | None) -> set[int]:
    if person is None:
        return set()
    return set(
        Membership.objects.filter(person=person, status=Status.ACTIVE).values_list("network_id", flat=True)
    )


def visible_events(user: User | AnonymousUser) -> QuerySet[Event]:
    """Public events for everyone; members also see their networks' events and those they are partners of."""
    qs = Event.objects.exclude(status=EventStatus.DRAFT)
    if network_permissions.is_staff(user):
        return Event.objects.all()
    nets = active_network_ids(person_of(user))
    managed = {n.pk for n in network_permissions.managed_networks(user)}
    condition = Q(audience=Audience.PUBLIC) | Q(network_id__in=nets) | Q(partner_networks__in=nets)
    return (qs.filter(condition) | Event.objects.filter(network_id__in=managed)).distinct()


def can_see(user: User | AnonymousUser, event: Event) -> bool:
    return visible_events(user).filter(pk=event.pk).exists()


def can_manage(user: User | AnonymousUser, event: Event) -> bool:
    """Staff run every event; a network's managers run their network's events only."""
    if network_permissions.is_staff(user):
        return True
    return event.network is not None and network_permissions.can_manage(user, event.network)


def may_register(person: Person, event: Event) -> bool:
    """Whether the event's audience includes this person."""
    if event.audience == Audience.PUBLIC:
        return True
    nets = active_network_ids(person)
    if event.network_id in nets:
        return True
    if event.audience == Audience.PARTNERS:
        return event.partner_networks.filter(pk__in=nets).exists()
    return False
