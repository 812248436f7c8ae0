"""Writes on the barometer: one transaction each."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.barometer.anonymity import answer_add_shuffled
from meute.barometer.models import QUESTIONS, BarometerAnswer, BarometerReceipt, question_label
from meute.events.models import Event
from meute.networks.models import Network
from meute.networks.permissions import person_is_active_member


def period_of(day: dt.date) -> str:
    """The quarter of a day, as the barometer writes it: 2026-11-27 → "2026-T4"."""
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def quarter_label(period: str) -> str:
    """A stored quarter as people write it: "2026-T4" → « T4 2026 » (French), "Q4 2026" (English).

    Anything else is returned as it is.
    """
    match = re.fullmatch(r"(\d{4})-T([1-4])", str(period))
    if not match:
        return str(period)
    return _("T%(q)s %(y)s") % {"q": match.group(2), "y": match.group(1)}


def barometer_answer(
    *,
    person: Person,
    network: Network,
    activity: str,
    orders: str,
    hiring: str,
    cash: str,
    morale: str,
    event: Event | None = None,
    today: dt.date | None = None,
) -> None:
    """Record one anonymous answer of `person` for the current quarter in `network`.

    Writes a receipt (who answered) and an answer (what was answered) that share
    no key, so the answer cannot be traced back to the person; returns nothing
    for the same reason. Raises ValidationError, naming the field, if the person
    is not an active member, already answered this quarter in this network, an
    answer is missing or unknown, or the meeting is not this network's meeting
    of this quarter.
    """
    today = today or timezone.localdate()
    period = period_of(today)
    values = {"activity": activity, "orders": orders, "hiring": hiring, "cash": cash, "morale": morale}
    with transaction.atomic():
        if not person_is_active_member(person, network):
            raise ValidationError(
                _("Seuls les membres actifs de %(network)s répondent à son baromètre.")
                % {"network": network.name}
            )
        errors: dict[str, str] = {}
        for name, choices in QUESTIONS:
            if values[name] not in choices.values:
                errors[name] = _("%(question)s : choisissez une des réponses proposées.") % {
                    "question": question_label(name)
                }
        if event is not None:
            if event.network_id != network.pk:
                errors["event"] = _("Rencontre : cette rencontre n'est pas une rencontre de %(network)s.") % {
                    "network": network.name
                }
            elif period_of(timezone.localdate(event.starts_at)) != period:
                errors["event"] = _("Rencontre : cette rencontre n'a pas lieu au trimestre %(period)s.") % {
                    "period": period
                }
        if errors:
            raise ValidationError(errors)
        naf = person.naf
        try:
            # The savepoint keeps the outer transaction usable if a concurrent
            # answer of the same person won the race on the unique receipt.
            with transaction.atomic():
                BarometerReceipt.objects.create(person=person, network=network, period=period)
        except IntegrityError as exc:
            raise ValidationError(already_answered_message(network=network, period=period)) from exc
        # Not a plain create: the answer's group is rewritten in a random order (barometer/anonymity.py).
        answer_add_shuffled(
            BarometerAnswer(
                network=network, event=event, period=period, sector=naf.section if naf else "", **values
            )
        )


def already_answered_message(*, network: Network, period: str) -> str:
    return _("Vous avez déjà répondu au baromètre de %(network)s pour le trimestre %(period)s.") % {
        "network": network.name,
        "period": period,
    }
