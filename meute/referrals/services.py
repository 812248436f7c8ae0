"""Writes on referrals: each function is one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.core.locking import locked
from meute.networks.models import Network
from meute.networks.permissions import person_is_active_member
from meute.referrals.models import Referral, Temperature


def ensure_business_enabled(network: Network) -> None:
    """Raise a clear ValidationError if the network's charter refuses solicitation."""
    if not network.business_features_enabled:
        raise ValidationError(
            _(
                "%(network)s refuse toute sollicitation commerciale : les recommandations "
                "d'affaires y sont désactivées."
            )
            % {"network": network.name}
        )


def referral_create(
    *,
    network: Network,
    giver: Person,
    recipient: Person | None,
    subject: str,
    temperature: str,
    details: str = "",
    prospect_name: str = "",
    prospect_company: str = "",
    prospect_email: str = "",
    prospect_phone: str = "",
    given_on: dt.date | None = None,
) -> Referral:
    """Record a referral from `giver` to `recipient`, both active members of `network`.

    Raises ValidationError (with the field named) if the network refuses
    solicitation, the giver is not an active member, the recipient is missing,
    oneself or not an active member of the network, or the subject is empty.
    """
    with transaction.atomic():
        ensure_business_enabled(network)
        if not person_is_active_member(giver, network):
            raise ValidationError(
                _("Seuls les membres actifs de %(network)s peuvent y recommander.")
                % {"network": network.name}
            )
        errors: dict[str, str] = {}
        if recipient is None:
            errors["recipient"] = _("Destinataire : choisissez le membre à qui vous passez cette affaire.")
        elif recipient.pk == giver.pk:
            errors["recipient"] = _("Destinataire : vous ne pouvez pas vous recommander vous-même.")
        elif not person_is_active_member(recipient, network):
            errors["recipient"] = _(
                "Destinataire : cette personne n'est pas membre active de %(network)s."
            ) % {"network": network.name}
        subject = (subject or "").strip()
        if not subject:
            errors["subject"] = _("Pour quoi : décrivez en quelques mots le besoin du prospect.")
        if temperature not in Temperature.values:
            errors["temperature"] = _("Température : indiquez si la recommandation est chaude ou froide.")
        today = timezone.localdate()
        given_on = given_on or today
        if given_on > today:
            errors["given_on"] = _("Date : une recommandation ne peut pas être datée dans le futur.")
        if errors:
            raise ValidationError(errors)
        referral = Referral(
            network=network,
            giver=giver,
            recipient=recipient,
            subject=subject,
            details=details.strip(),
            temperature=temperature,
            prospect_name=prospect_name.strip(),
            prospect_company=prospect_company.strip(),
            prospect_email=prospect_email.strip(),
            prospect_phone=prospect_phone.strip(),
            given_on=given_on,
        )
        referral.full_clean()
        referral.save()
        return referral


def referral_record_outcome(
    *,
    referral: Referral,
    person: Person,
    business_closed: bool,
    amount: Decimal | None = None,
    closed_on: dt.date | None = None,
) -> Referral:
    """The recipient records whether business came of the referral (amount in euros, date).

    A closed deal needs an amount of 0 € or more; a lead that came to nothing
    keeps no amount. The date defaults to today and may not precede the
    referral nor lie in the future. It may be corrected later by the recipient.
    """
    with transaction.atomic():
        referral = locked(Referral, referral.pk, related=("network",))
        ensure_business_enabled(referral.network)
        if referral.recipient_id != person.pk:
            raise ValidationError(
                _("Seul le destinataire de la recommandation peut en indiquer le résultat.")
            )
        today = timezone.localdate()
        closed_on = closed_on or today
        errors: dict[str, str] = {}
        if business_closed:
            if amount is None:
                errors["amount"] = _("Montant : indiquez le montant de l'affaire en euros (0 si inconnu).")
            elif amount < 0:
                errors["amount"] = _("Montant : le montant ne peut pas être négatif.")
        elif amount:
            errors["amount"] = _("Montant : laissez-le vide si aucune affaire n'a été conclue.")
        if closed_on < referral.given_on:
            errors["closed_on"] = _("Date : l'affaire ne peut pas précéder la recommandation (%(d)s).") % {
                "d": referral.given_on.strftime("%d/%m/%Y")
            }
        elif closed_on > today:
            errors["closed_on"] = _("Date : elle ne peut pas être dans le futur.")
        if errors:
            raise ValidationError(errors)
        referral.business_closed = business_closed
        referral.amount = amount if business_closed else None
        referral.closed_on = closed_on
        referral.save(update_fields=["business_closed", "amount", "closed_on", "updated_at"])
        return referral
