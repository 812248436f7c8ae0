"""Seats and the waiting list of a network.

Seats are changed only under a row lock on the network (:func:`locked_network`).
A seat offered to the first person of the waiting list is reserved for them
until the offer expires, so the seats taken are the active members plus the
live offers. Every change writes an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.audit.services import audit_log
from meute.core.locking import locked
from meute.networks.models import Membership, Network, Status
from meute.networks.services import Actor
from meute.networks.services.professions import check_profession
from meute.networks.tasks import send_seat_offer_email

# How long the first person of the waiting list has to accept a seat.
SEAT_OFFER_DAYS = 7


def locked_network(network: Network) -> Network:
    """``network`` read again and locked: every change of its seats, roles or page starts here.

    Locking the network row serialises those changes (PostgreSQL); SQLite serialises
    writers anyway (IMMEDIATE transactions in settings). See :mod:`meute.core.locking`.
    """
    return locked(Network, network.pk)


def seats_taken(network: Network) -> int:
    """Active members plus seats offered and not yet answered (call after `expire_offers`)."""
    return (
        Membership.objects.active().filter(network=network).count()
        + Membership.objects.filter(
            network=network, status=Status.WAITLISTED, offer_expires_at__isnull=False
        ).count()
    )


def has_free_seat(network: Network) -> bool:
    return network.member_cap is None or seats_taken(network) < network.member_cap


def next_queue_position(network: Network) -> int:
    last = Membership.objects.filter(network=network, status=Status.WAITLISTED).aggregate(
        m=Max("queue_position")
    )
    return (last["m"] or 0) + 1


def settle(membership: Membership, *, status: str, now: dt.datetime, reason: str | None = None) -> None:
    """The decision that takes someone out of the waiting list (or the applications): the new
    status, its date, and no place in the queue nor seat offer left. Saved by the caller."""
    membership.status = status
    if reason is not None:
        membership.reason = reason
    membership.decided_at = now
    membership.queue_position = None
    membership.offered_at = membership.offer_expires_at = None


def put_on_waitlist(membership: Membership, network: Network) -> None:
    membership.status = Status.WAITLISTED
    membership.queue_position = next_queue_position(network)
    membership.offered_at = membership.offer_expires_at = None


def expire_offers(network: Network, now: dt.datetime) -> list[Membership]:
    """Offers past their deadline count as declined (lazily, under the lock)."""
    expired = list(
        Membership.objects.filter(network=network, status=Status.WAITLISTED, offer_expires_at__lte=now)
    )
    for m in expired:
        m.status = Status.DECLINED
        m.decided_at = now
        m.reason = _("offre de place expirée sans réponse")
        m.queue_position = None
        m.save()
        audit_log(
            actor=None,
            action="membership.offer_expire",
            summary=_("Offre de place expirée : %(p)s") % {"p": m.person},
            network=network,
            target=m,
        )
    return expired


def offer_free_seats(network: Network, now: dt.datetime) -> list[Membership]:
    """Offer each free seat to the next person of the waiting list, in order; they are e-mailed."""
    offered: list[Membership] = []
    if network.member_cap is None:
        # No cap (any more): everyone waiting may come in; they still accept the seat.
        free = Membership.objects.filter(network=network, status=Status.WAITLISTED).count()
    else:
        free = network.member_cap - seats_taken(network)
    if free <= 0:
        return offered
    queue = Membership.objects.filter(network=network, offer_expires_at__isnull=True).waiting_in_line()[:free]
    for m in queue:
        m.offered_at = now
        m.offer_expires_at = now + dt.timedelta(days=SEAT_OFFER_DAYS)
        m.save(update_fields=["offered_at", "offer_expires_at", "updated_at"])
        audit_log(
            actor=None,
            action="membership.offer",
            summary=_("Place proposée à %(p)s (liste d'attente)") % {"p": m.person},
            network=network,
            target=m,
            details={"expires_at": m.offer_expires_at.isoformat()},
        )
        pk = m.pk
        transaction.on_commit(lambda pk=pk: send_seat_offer_email.enqueue(pk))  # type: ignore[misc]
        offered.append(m)
    return offered


def reread(membership: Membership, network: Network) -> Membership:
    """The membership read again (the caller's copy may be stale), under the network's lock."""
    return Membership.objects.select_related("person", "person__organisation__naf", "person__user").get(
        pk=membership.pk, network=network
    )


def waitlist_move(*, membership: Membership, actor: Actor, up: bool) -> Membership:
    """A manager moves someone one place up or down the waiting list."""
    with transaction.atomic():
        network = locked_network(membership.network)
        membership = reread(membership, network)
        if membership.status != Status.WAITLISTED:
            raise ValidationError(_("Cette personne n'est pas sur la liste d'attente."))
        queue = list(Membership.objects.filter(network=network).waiting_in_line())
        index = next(i for i, m in enumerate(queue) if m.pk == membership.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(queue):
            raise ValidationError(_("Cette personne est déjà en tête ou en fin de liste."))
        queue[index], queue[other] = queue[other], queue[index]
        for position, m in enumerate(queue, start=1):
            if m.queue_position != position:
                m.queue_position = position
                m.save(update_fields=["queue_position", "updated_at"])
        audit_log(
            actor=actor,
            action="membership.waitlist_move",
            summary=_("%(p)s passe au rang %(n)d de la liste d'attente")
            % {"p": membership.person, "n": other + 1},
            network=network,
            target=membership,
            details={"from": index + 1, "to": other + 1},
        )
        return Membership.objects.get(pk=membership.pk)


@contextmanager
def _answering_offer(membership: Membership, now: dt.datetime) -> Iterator[tuple[Network, Membership]]:
    """The network locked and the membership read again, for the person's answer to a seat offer.

    Expiry comes first, in its own transaction: a late answer must not roll the
    expiry back. The answer itself is one transaction, under the network's lock.
    """
    seat_offers_expire(now=now, network=membership.network)
    with transaction.atomic():
        network = locked_network(membership.network)
        yield network, reread(membership, network)


def seat_offer_accept(
    *, membership: Membership, person: Person, now: dt.datetime | None = None
) -> Membership:
    """The person accepts the seat offered to them: active at once, never above the cap."""
    now = now or timezone.now()
    with _answering_offer(membership, now) as (network, membership):
        if membership.person_id != person.pk:
            raise ValidationError(_("Cette offre ne vous est pas adressée."))
        if membership.status != Status.WAITLISTED or membership.offer_expires_at is None:
            raise ValidationError(_("Aucune place ne vous est proposée, ou l'offre a expiré."))
        active = Membership.objects.active().filter(network=network).count()
        if network.member_cap is not None and active >= network.member_cap:
            raise ValidationError(_("Le réseau est complet : la place n'est plus disponible."))
        check_profession(network, membership.person)
        settle(membership, status=Status.ACTIVE, now=now)
        membership.start_date = timezone.localdate(now)
        membership.save()
        audit_log(
            actor=person.user,
            action="membership.offer_accept",
            summary=_("%(p)s accepte la place proposée") % {"p": membership.person},
            network=network,
            target=membership,
        )
        return membership


def seat_offer_decline(
    *, membership: Membership, person: Person, now: dt.datetime | None = None
) -> Membership:
    """The person declines the seat; it is offered to the next in line."""
    now = now or timezone.now()
    with _answering_offer(membership, now) as (network, membership):
        if (
            membership.person_id != person.pk
            or membership.status != Status.WAITLISTED
            or membership.offer_expires_at is None
        ):
            raise ValidationError(_("Aucune place ne vous est proposée, ou l'offre a expiré."))
        settle(membership, status=Status.DECLINED, now=now, reason=_("place déclinée"))
        membership.save()
        audit_log(
            actor=person.user,
            action="membership.offer_decline",
            summary=_("%(p)s décline la place proposée") % {"p": membership.person},
            network=network,
            target=membership,
        )
        offer_free_seats(network, now)
        return membership


def seat_offers_expire(*, now: dt.datetime | None = None, network: Network | None = None) -> int:
    """Expire unanswered seat offers and offer the seats to the next in line; returns how many expired."""
    now = now or timezone.now()
    ids = (
        Membership.objects.filter(status=Status.WAITLISTED, offer_expires_at__lte=now)
        .values_list("network_id", flat=True)
        .distinct()
    )
    if network is not None:
        ids = ids.filter(network=network)
    count = 0
    for network_id in sorted(set(ids)):
        with transaction.atomic():
            network_row = locked(Network, network_id)
            count += len(expire_offers(network_row, now))
            offer_free_seats(network_row, now)
    return count
