"""Members' roles and departures."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meute.audit.services import audit_log
from meute.networks.models import MANAGER_ROLES, Membership, Network, Role, Status
from meute.networks.services import Actor
from meute.networks.services.seats import expire_offers, locked_network, offer_free_seats, reread


def membership_leave(
    *, membership: Membership, actor: Actor, end_date: dt.date | None = None, now: dt.datetime | None = None
) -> Membership:
    """A member leaves (or a manager marks them as left on a date); the seat goes to the first in line."""
    now = now or timezone.now()
    end_date = end_date or timezone.localdate(now)
    with transaction.atomic():
        network = locked_network(membership.network)
        membership = reread(membership, network)
        if membership.status != Status.ACTIVE:
            raise ValidationError(_("Seul un membre actif peut quitter le réseau."))
        if membership.start_date and end_date < membership.start_date:
            raise ValidationError(
                {
                    "end_date": _("La date de départ ne peut pas précéder l'adhésion (%(d)s).")
                    % {"d": membership.start_date}
                }
            )
        if end_date > timezone.localdate(now):
            # the departure takes effect at once (the seat is offered): note it on the day
            raise ValidationError(
                {
                    "end_date": _(
                        "La date de départ ne peut pas être dans le futur : notez le départ le jour venu."
                    )
                }
            )
        if membership.role in MANAGER_ROLES and not another_manager(network, membership):
            raise ValidationError(
                _(
                    "Le réseau n'aurait plus personne pour le gérer : nommez d'abord un autre membre "
                    "du bureau."
                )
            )
        membership.status = Status.LEFT
        membership.end_date = end_date
        membership.save()
        audit_log(
            actor=actor,
            action="membership.leave",
            summary=_("%(p)s quitte le réseau le %(d)s")
            % {"p": membership.person, "d": formats.date_format(end_date, "SHORT_DATE_FORMAT")},
            network=network,
            target=membership,
        )
        expire_offers(network, now)
        offer_free_seats(network, now)
        return membership


def another_manager(network: Network, membership: Membership) -> bool:
    """Whether someone else on the board still runs the network without this member."""
    return Membership.objects.managing().filter(network=network).exclude(pk=membership.pk).exists()


def membership_set_role(*, membership: Membership, actor: Actor, role: str) -> Membership:
    """A manager changes an active member's role."""
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(r)s") % {"r": role}})
    with transaction.atomic():
        network = locked_network(membership.network)
        membership = reread(membership, network)
        if membership.status != Status.ACTIVE:
            raise ValidationError({"role": _("Seul un membre actif a un rôle.")})
        old = membership.role
        if old in MANAGER_ROLES and role not in MANAGER_ROLES and not another_manager(network, membership):
            raise ValidationError({"role": _("Le réseau doit garder au moins un membre du bureau.")})
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit_log(
            actor=actor,
            action="membership.role",
            summary=_("%(p)s, changement de rôle : %(old)s → %(new)s")
            % {"p": membership.person, "old": Role(old).label, "new": Role(role).label},
            network=network,
            target=membership,
            details={"from": old, "to": role},
        )
        return membership
