"""The network's own page: what its managers may edit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.audit.services import audit_log
from meute.networks.models import Membership, Network
from meute.networks.services import Actor
from meute.networks.services.seats import locked_network, offer_free_seats

# What a network's managers may edit, in the order the edit form shows it (NetworkEditForm uses it).
EDITABLE_FIELDS = (
    "tagline",
    "description",
    "purposes",
    "sectors",
    "themes",
    "territory",
    "commune",
    "rhythm",
    "formats",
    "hours_per_month",
    "member_cap",
    "admission_mode",
    "one_seat_per_profession",
    "refuses_solicitation",
    "charter",
    "charter_version",
    "languages",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "dues_amount",
)


def network_update(*, network: Network, data: dict[str, Any], actor: Actor = None) -> Network:
    """Apply a manager's edit; validates the whole network before saving anything."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        network = locked_network(network)
        for field, value in data.items():
            setattr(network, field, value)
        if network.member_cap is not None:
            active = Membership.objects.active().filter(network=network).count()
            if network.member_cap < active:
                raise ValidationError(
                    {
                        "member_cap": _(
                            "le réseau compte déjà %(n)d membres actifs : le plafond ne peut pas être inférieur"
                        )
                        % {"n": active}
                    }
                )
        before = Network.objects.get(pk=network.pk)
        changed = {f: str(getattr(network, f)) for f in data if getattr(before, f) != getattr(network, f)}
        network.full_clean()
        network.save()
        audit_log(
            actor=actor,
            action="network.update",
            summary=_("Fiche du réseau modifiée : %(f)s") % {"f": ", ".join(sorted(changed)) or "—"},
            network=network,
            target=network,
            details=changed,
        )
        # A raised (or removed) cap frees seats for the waiting list.
        offer_free_seats(network, timezone.now())
    return network
