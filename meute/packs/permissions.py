"""Who may see or do what in a cluster's tenders and packs.

A cluster's tenders, packs and firm profiles are for its active members and CCI
staff; everybody else gets a 404, as if they did not exist. Turnovers are for the
cluster's managers (and staff) only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from meute.accounts.models import Person, User
from meute.networks import permissions as network_permissions
from meute.networks.models import Network
from meute.packs.models import FirmProfile, Tender


def person_of(user: User | AnonymousUser) -> Person | None:
    return getattr(user, "person", None) if user.is_authenticated else None


def can_see_cluster(user: User | AnonymousUser, network: Network) -> bool:
    return network_permissions.is_staff(user) or network_permissions.is_active_member(user, network)


def is_member(user: User | AnonymousUser, network: Network) -> bool:
    return network_permissions.is_active_member(user, network)


def can_see_turnover(user: User | AnonymousUser, network: Network) -> bool:
    return network_permissions.can_manage(user, network)


def can_manage_cluster(user: User | AnonymousUser, network: Network) -> bool:
    return network_permissions.can_manage(user, network)


def can_enter_tender(user: User | AnonymousUser, network: Network) -> bool:
    """A cluster manager or any active member may enter a tender."""
    return can_see_cluster(user, network)


def firm_of(user: User | AnonymousUser, network: Network) -> FirmProfile | None:
    """The member firm the user answers for in this cluster: their contact role, else their organisation."""
    person = person_of(user)
    if person is None or not network_permissions.is_active_member(user, network):
        return None
    firm = FirmProfile.objects.filter(network=network, contact=person).first()
    if firm is None and person.organisation_id:
        firm = FirmProfile.objects.filter(network=network, organisation_id=person.organisation_id).first()
    return firm


def can_edit_firm(user: User | AnonymousUser, firm: FirmProfile) -> bool:
    if can_manage_cluster(user, firm.network):
        return True
    mine = firm_of(user, firm.network)
    return mine is not None and mine.pk == firm.pk


def can_run_pack(user: User | AnonymousUser, tender: Tender) -> bool:
    """The cluster's managers, and the member who entered the tender, run its pack."""
    if can_manage_cluster(user, tender.network):
        return True
    person = person_of(user)
    return (
        person is not None
        and tender.created_by_id == person.pk
        and network_permissions.is_active_member(user, tender.network)
    )
