"""Who may do what with a network. One place, so views, API and tests agree."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from meute.accounts.models import Person, User
from meute.accounts.selectors import person_of
from meute.networks.models import AdmissionMode, Membership, Network


def _person_id(user: User | AnonymousUser) -> int | None:
    person = person_of(user)
    return person.pk if person else None


def is_staff(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_active_member(user: User | AnonymousUser, network: Network) -> bool:
    """The user's person is an active member of ``network``."""
    return person_is_active_member(_person_id(user), network)


def person_is_active_member(person: Person | int | None, network: Network | int) -> bool:
    """``person`` (a person or its id) is an active member of ``network`` today."""
    if person is None:
        return False
    return Membership.objects.active().filter(person=person, network=network).exists()


def can_manage(user: User | AnonymousUser, network: Network) -> bool:
    """CCI staff, or the president, board or permanent staff of this very network."""
    if is_staff(user):
        return True
    pid = _person_id(user)
    return pid is not None and Membership.objects.managing().filter(person_id=pid, network=network).exists()


def managed_network_or_404(user: User | AnonymousUser, slug: str) -> Network:
    """The network ``slug`` if ``user`` may manage it (:func:`can_manage`); 404 otherwise.

    Someone who may not manage a network gets the same answer as for a network
    that does not exist, so board pages tell no one which networks there are.
    """
    network = get_object_or_404(Network, slug=slug)
    if not can_manage(user, network):
        raise Http404
    return network


def can_see_members(user: User | AnonymousUser, network: Network) -> bool:
    """The member list is for the network's own active members and CCI staff only."""
    return is_staff(user) or is_active_member(user, network)


def managed_networks(user: User | AnonymousUser) -> list[Network]:
    if is_staff(user):
        return list(Network.objects.all())
    pid = _person_id(user)
    if pid is None:
        return []
    return list(
        Network.objects.filter(memberships__in=Membership.objects.managing().filter(person_id=pid)).distinct()
    )


def can_export_contacts(user: User | AnonymousUser, network: Network) -> bool:
    """Contact export is a business feature: off in networks that refuse solicitation."""
    return network.business_features_enabled and can_manage(user, network)


def can_propose(user: User | AnonymousUser, network: Network) -> bool:
    """In a network by co-optation, any active member may propose someone."""
    return network.admission_mode == AdmissionMode.COOPTATION and is_active_member(user, network)
