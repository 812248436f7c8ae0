"""Who may see, join or run an event."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from meute.accounts.models import Person, User
from meute.accounts.selectors import person_of
from meute.events.models import Audience, Event, EventStatus
from meute.networks import permissions as network_permissions
from meute.networks.models import Membership


def active_network_ids(person: Person | None) -> set[int]:
    """The networks this person is an active member of today."""
    if person is None:
        return set()
    return set(Membership.objects.active().filter(person=person).values_list("network_id", flat=True))


def visible_events(user: User | AnonymousUser) -> QuerySet[Event]:
    """The events this user may see now, by the audience each event has now.

    Public events for everyone; the organising network's active members see its
    events; the active members of a partner network see an event only while its
    audience is "partners" (a members-only event stays members-only even if
    partner networks are still ticked). Drafts are for the organisers: the
    network's managers and CCI staff.
    """
    if network_permissions.is_staff(user):
        return Event.objects.all()
    nets = active_network_ids(person_of(user))
    managed = {n.pk for n in network_permissions.managed_networks(user)}
    as_partner = Event.objects.filter(audience=Audience.PARTNERS, partner_networks__in=nets).values("pk")
    condition = Q(audience=Audience.PUBLIC) | Q(network_id__in=nets) | Q(pk__in=as_partner)
    return Event.objects.filter((condition & ~Q(status=EventStatus.DRAFT)) | Q(network_id__in=managed))


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
