"""Writes on dues: each function is one transaction, with its line in the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.audit.services import audit_log
from meute.core.forms import validate_date_range
from meute.core.locking import locked
from meute.dues.models import DuesPeriod
from meute.networks.models import Membership, Network, Status
from meute.networks.services import memberships
from meute.outbox.services import mail_send

Actor = User | AnonymousUser | None


def _check_period(
    *, membership: Membership, start: dt.date, end: dt.date, amount: Decimal, paid_on: dt.date | None
) -> None:
    errors: dict[str, str] = {}
    # The API reaches here without a form: the dates are bounded here too.
    for name, day in (("start", start), ("end", end), ("paid_on", paid_on)):
        try:
            validate_date_range(day)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    if end < start:
        errors["end"] = _("la fin de la période doit venir après son début")
    if amount < 0:
        errors["amount"] = _("le montant ne peut pas être négatif")
    if paid_on is not None and paid_on > timezone.localdate():
        errors["paid_on"] = _("la date de paiement ne peut pas être dans le futur")
    if membership.status != Status.ACTIVE:
        errors["membership"] = _("cette personne n'est pas membre actif du réseau")
    if (
        not errors
        and DuesPeriod.objects.filter(membership=membership, start__lte=end, end__gte=start).exists()
    ):
        errors["start"] = _("cette période chevauche une période déjà enregistrée pour ce membre")
    if errors:
        raise ValidationError(errors)


def dues_period_create(
    *,
    membership: Membership,
    start: dt.date,
    end: dt.date,
    amount: Decimal,
    paid_on: dt.date | None = None,
    actor: Actor,
) -> DuesPeriod:
    """Record a new membership period (a renewal), paid or not yet.

    Raises ValidationError naming the field: end before start, negative amount,
    payment in the future, a member who is not active, or a period overlapping another.
    """
    with transaction.atomic():
        membership = locked(Membership, membership.pk, related=("person", "network"))
        _check_period(membership=membership, start=start, end=end, amount=amount, paid_on=paid_on)
        period = DuesPeriod.objects.create(
            membership=membership,
            start=start,
            end=end,
            amount=amount,
            paid_on=paid_on,
            recorded_by=actor if isinstance(actor, User) else None,
        )
        audit_log(
            actor=actor,
            action="dues.period_create",
            summary=_("Période de cotisation de %(p)s du %(s)s au %(e)s")
            % {"p": membership.person, "s": start.strftime("%d/%m/%Y"), "e": end.strftime("%d/%m/%Y")},
            network=membership.network,
            target=period,
            details={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "amount": str(amount),
                "paid_on": paid_on.isoformat() if paid_on else None,
            },
        )
    return period


def dues_payment_record(*, period: DuesPeriod, paid_on: dt.date, actor: Actor) -> DuesPeriod:
    """Mark a period as paid on `paid_on`. Raises ValidationError if it already is, or the date is ahead."""
    with transaction.atomic():
        period = locked(DuesPeriod, period.pk, related=("membership__person", "membership__network"))
        if period.paid_on is not None:
            raise ValidationError(
                {
                    "paid_on": _("ce paiement est déjà enregistré (le %(d)s)")
                    % {"d": period.paid_on.strftime("%d/%m/%Y")}
                }
            )
        try:
            validate_date_range(paid_on)
        except ValidationError as exc:
            raise ValidationError({"paid_on": exc.messages}) from exc
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("la date de paiement ne peut pas être dans le futur")})
        period.paid_on = paid_on
        period.recorded_by = actor if isinstance(actor, User) else period.recorded_by
        period.save(update_fields=["paid_on", "recorded_by", "updated_at"])
        audit_log(
            actor=actor,
            action="dues.payment_record",
            summary=_("Paiement de la cotisation de %(p)s") % {"p": period.membership.person},
            network=period.membership.network,
            target=period,
            details={"paid_on": paid_on.isoformat(), "amount": str(period.amount)},
        )
    return period


def renewal_proposal(*, membership: Membership, today: dt.date | None = None) -> dict[str, Any]:
    """The dates and amount a renewal form starts with: the day after the last period, for a year."""
    today = today or timezone.localdate()
    last = DuesPeriod.objects.filter(membership=membership).order_by("-end").first()
    start = last.end + dt.timedelta(days=1) if last else (membership.start_date or today)
    try:
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    amount = membership.network.dues_amount
    if amount is None and last is not None:
        amount = last.amount
    return {"membership": membership.pk, "start": start, "end": end, "amount": amount}


# Reminders


def _unrenewed_periods_ending(*, start: dt.date, end: dt.date) -> list[DuesPeriod]:
    """The latest period of each active membership, when it ends between start and end."""
    candidates = (
        DuesPeriod.objects.filter(end__gte=start, end__lte=end, membership__status=Status.ACTIVE)
        .select_related("membership__person", "membership__network")
        .order_by("end", "pk")
    )
    return [
        p
        for p in candidates
        if not DuesPeriod.objects.filter(membership=p.membership, end__gt=p.end).exists()
    ]


def dues_reminder_send(*, period: DuesPeriod) -> bool:
    """E-mail the member that their period ends soon, once. Returns whether a message left.

    The row is marked inside the same transaction as the e-mail is written to
    the outbox, which retries it if the mail server fails (keyed: sent once).
    """
    with transaction.atomic():
        period = locked(DuesPeriod, period.pk, related=("membership__person", "membership__network"))
        person = period.membership.person
        if period.reminder_sent_at is not None or not person.email:
            return False
        context = {"period": period, "person": person, "network": period.membership.network}
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Votre adhésion à %(n)s arrive à échéance") % {"n": period.membership.network.name}
            body = render_to_string("dues/email/reminder.txt", context)
        mail_send(to=person.email, subject=subject, body=body, key=f"dues-reminder:{period.pk}")
        period.reminder_sent_at = timezone.now()
        period.save(update_fields=["reminder_sent_at", "updated_at"])
    return True


def dues_reminders_send(*, within_days: int = 30, today: dt.date | None = None) -> int:
    """Remind every active member whose last period ends within `within_days` days. Returns the count sent."""
    if within_days < 0:
        raise ValidationError({"within_days": _("le nombre de jours ne peut pas être négatif")})
    today = today or timezone.localdate()
    sent = 0
    for period in _unrenewed_periods_ending(start=today, end=today + dt.timedelta(days=within_days)):
        sent += dues_reminder_send(period=period)
    return sent


# Lapsing


def lapsed_memberships(*, grace_days: int, today: dt.date | None = None) -> list[Membership]:
    """Active memberships whose last period ended more than `grace_days` days ago.

    Members with no period recorded at all are left alone: the network may not use dues.
    """
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=grace_days)
    candidates = Membership.objects.active().filter(dues_periods__end__lt=limit).distinct()
    return [m for m in candidates if not m.dues_periods.filter(end__gte=limit).exists()]


def membership_lapse(
    *, membership: Membership, grace_days: int, today: dt.date | None = None, actor: Actor = None
) -> bool:
    """Mark a member left when their dues lapsed; returns False if they renewed or left meanwhile.

    One transaction: the status, the seat offered to the waiting list and both audit
    lines are saved together or not at all.
    """
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=grace_days)
    with transaction.atomic():
        # Lock the network first, as every change of its seats does.
        locked(Network, membership.network_id)
        membership = Membership.objects.select_related("person", "network").get(pk=membership.pk)
        periods = membership.dues_periods.all()
        if (
            membership.status != Status.ACTIVE
            or not periods.exists()
            or periods.filter(end__gte=limit).exists()
        ):
            return False
        last_end = periods.order_by("-end").values_list("end", flat=True)[0]
        # The networks app owns seats and the waiting list: leaving sets the status, records
        # "membership.leave" and offers the freed seat to the first person waiting.
        memberships.membership_leave(
            membership=membership, actor=actor, end_date=max(today, membership.start_date or today)
        )
        audit_log(
            actor=actor,
            action="membership.lapse",
            summary=_("%(p)s quitte %(n)s : cotisation échue le %(d)s")
            % {"p": membership.person, "n": membership.network, "d": last_end.strftime("%d/%m/%Y")},
            network=membership.network,
            target=membership,
            details={"last_period_end": last_end.isoformat(), "grace_days": grace_days},
        )
    return True


def members_lapse(*, grace_days: int, today: dt.date | None = None, actor: Actor = None) -> list[Membership]:
    """Lapse every member past the grace period, each in its own transaction. Returns those lapsed."""
    if grace_days < 0:
        raise ValidationError({"grace_days": _("le délai de grâce ne peut pas être négatif")})
    today = today or timezone.localdate()
    return [
        m
        for m in lapsed_memberships(grace_days=grace_days, today=today)
        if membership_lapse(membership=m, grace_days=grace_days, today=today, actor=actor)
    ]
