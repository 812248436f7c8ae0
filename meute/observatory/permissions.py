"""Who may do what in the observatory. One place, so views and tests agree.

- Lists: CCI staff import for any network; a network's managers for their own network
  only. An import of a network one may not manage answers 404, as if it did not exist.
- Linkage (review queue, observed people, erasure): CCI staff only — imported people
  are the chamber's data for statistics, never shown to members.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from meute.accounts.models import User
from meute.networks import permissions as network_permissions
from meute.networks.models import Network
from meute.observatory.models import ListImport, ObservedPerson, ReviewPair

__all__ = [
    "can_import",
    "can_review",
    "import_or_404",
    "importable_networks",
    "observed_or_404",
    "pair_or_404",
    "staff_or_404",
]


def can_import(user: User | AnonymousUser, network: Network) -> bool:
    """CCI staff, or a manager (president, board, permanent staff) of this very network."""
    return network_permissions.can_manage(user, network)


def importable_networks(user: User | AnonymousUser) -> list[Network]:
    return network_permissions.managed_networks(user)


def can_review(user: User | AnonymousUser) -> bool:
    return network_permissions.is_staff(user)


def staff_or_404(user: User | AnonymousUser) -> None:
    if not can_review(user):
        raise Http404


def import_or_404(user: User | AnonymousUser, pk: int) -> ListImport:
    """The import ``pk`` if ``user`` may import for its network; 404 otherwise (or if there is none)."""
    list_import = ListImport.objects.select_related("network").filter(pk=pk).first()
    if list_import is None or not can_import(user, list_import.network):
        raise Http404
    return list_import


def pair_or_404(user: User | AnonymousUser, pk: int) -> ReviewPair:
    staff_or_404(user)
    pair = (
        ReviewPair.objects.select_related("record_a__list_import__network", "record_b__list_import__network")
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise Http404
    return pair


def observed_or_404(user: User | AnonymousUser, pk: int) -> ObservedPerson:
    staff_or_404(user)
    observed = ObservedPerson.objects.select_related("person").filter(pk=pk).first()
    if observed is None:
        raise Http404
    return observed
