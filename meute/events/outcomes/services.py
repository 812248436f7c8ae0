"""Writes of outcomes: a participant rates what a meeting brought."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.events.models import MeetingRating, Registration, RegistrationStatus
from meute.events.outcomes.selectors import meeting_pairs, pair_of


def rating_save(
    *,
    rater: Registration,
    other: Registration,
    useful: bool,
    follow_up: bool = False,
    contract_signed: bool = False,
    amount: Decimal | None = None,
    now: dt.datetime | None = None,
) -> MeetingRating:
    """Record (or change) what a meeting brought, in the rater's words.

    Raises ValidationError before the event, for someone the rater did not meet,
    or for an amount without a contract or below zero.
    """
    now = now or timezone.now()
    event = rater.event
    if now < event.starts_at:
        raise ValidationError(_("Les rencontres se notent une fois l'événement commencé."), code="early")
    if rater.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Seules les personnes inscrites notent leurs rencontres."), code="status")
    if other.event_id != event.pk or pair_of(rater.pk, other.pk) not in meeting_pairs(event):
        raise ValidationError(_("Vous n'avez pas rencontré cette personne à cet événement."), code="not_met")
    if amount is not None and not contract_signed:
        raise ValidationError(
            {"amount": _("Indiquez un montant seulement si un contrat a été signé.")},
            code="amount_without_contract",
        )
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("Le montant ne peut pas être négatif.")}, code="negative")
    with transaction.atomic():
        rating, _created = MeetingRating.objects.update_or_create(
            rater=rater,
            other=other,
            defaults={
                "event": event,
                "useful": useful,
                "follow_up": follow_up,
                "contract_signed": contract_signed,
                "amount": amount if contract_signed else None,
            },
        )
    return rating
