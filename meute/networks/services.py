"""Writes on networks and memberships: each function is one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.networks.models import AdmissionMode, Membership, Network, Status


def _locked(network: Network) -> Network:
    # Locking the network row serialises every change of its seats (PostgreSQL);
    # SQLite serialises writers anyway (IMMEDIATE transactions in settings).
    return Network.objects.select_for_update().get(pk=network.pk)


def membership_request(*, person: Person, network: Network, today: dt.date | None = None) -> Membership:
    """A person asks to join a network, following its admission mode.

    Open networks admit at once while seats are left, then waitlist; networks on
    application or co-optation record an application for the board. Raises
    ValidationError if the person already has an open membership there.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        network = _locked(network)
        if Membership.objects.filter(
            person=person, network=network, status__in=[Status.APPLIED, Status.ACTIVE, Status.WAITLISTED]
        ).exists():
            raise ValidationError(
                _("Vous avez déjà une adhésion ou une candidature en cours dans ce réseau.")
            )
        status = Status.APPLIED
        start = None
        if network.admission_mode == AdmissionMode.OPEN:
            active = Membership.objects.filter(network=network, status=Status.ACTIVE).count()
            if network.member_cap is None or active < network.member_cap:
                status, start = Status.ACTIVE, today
            else:
                status = Status.WAITLISTED
        try:
            return Membership.objects.create(person=person, network=network, status=status, start_date=start)
        except IntegrityError as exc:  # a concurrent request of the same person won the race
            raise ValidationError(
                _("Vous avez déjà une adhésion ou une candidature en cours dans ce réseau.")
            ) from exc


EDITABLE_FIELDS = (
    "tagline",
    "description",
    "purposes",
    "themes",
    "sectors",
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


def network_update(*, network: Network, data: dict[str, Any]) -> Network:
    """Apply a manager's edit; validates the whole network before saving anything."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        network = _locked(network)
        for field, value in data.items():
            setattr(network, field, value)
        if network.member_cap is not None:
            active = Membership.objects.filter(network=network, status=Status.ACTIVE).count()
            if network.member_cap < active:
                raise ValidationError(
                    {
                        "member_cap": _(
                            "le réseau compte déjà %(n)d membres actifs : le plafond ne peut pas être inférieur"
                        )
                        % {"n": active}
                    }
                )
        network.full_clean()
        network.save()
    return network
