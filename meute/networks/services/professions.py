"""The one-seat-per-profession rule: in such a network, each profession has one seat."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.networks.models import Membership, Network


class ProfessionTaken(ValidationError):
    """The applicant's profession already has its seat in a one-seat-per-profession network."""


def profession_of(person: Person) -> tuple[str, str] | None:
    """The profession a seat stands for: the NAF class of the person's company, else their declared trade."""
    organisation = person.organisation
    if organisation is not None and organisation.naf is not None:
        return ("naf", organisation.naf.class_code)
    trade = " ".join(person.trade.split()).casefold()
    return ("trade", trade) if trade else None


def profession_label(person: Person) -> str:
    organisation = person.organisation
    if organisation is not None and organisation.naf is not None:
        return organisation.naf.label
    return person.trade.strip()


def profession_taken(*, network: Network, person: Person) -> bool:
    """Whether another active member of `network` already holds the seat of this person's profession."""
    if not network.one_seat_per_profession:
        return False
    key = profession_of(person)
    if key is None:
        return False
    holders = (
        Membership.objects.active()
        .filter(network=network)
        .exclude(person=person)
        .select_related("person__organisation__naf")
    )
    return any(profession_of(m.person) == key for m in holders)


def check_profession(network: Network, person: Person) -> None:
    """Raise :class:`ProfessionTaken` when the person's profession already has its seat."""
    if profession_taken(network=network, person=person):
        raise ProfessionTaken(
            _(
                "Un seul siège par métier dans ce réseau : le métier « %(p)s » y est déjà représenté "
                "par un membre actif."
            )
            % {"p": profession_label(person)},
            code="profession_taken",
        )
