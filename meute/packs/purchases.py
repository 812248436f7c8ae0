"""Pooled purchases: a member proposes, others pledge, it closes at the threshold or on its date.

Pledges change under a row lock on the purchase, so two members pledging at once
cannot both see it open after it closed; shares are exported formula-safe (CSV)
or as XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.engine.controls import single_line
from meute.engine.spreadsheet import csv_writer
from meute.networks.models import Network
from meute.packs.models import Pledge, Purchase, PurchaseStatus


def purchases_of(*, network: Network) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(network=network)
        .select_related("organiser")
        .annotate(pledged=Sum("pledges__quantity"))
    )


def purchase_of(*, network: Network, pk: int) -> Purchase | None:
    return purchases_of(network=network).filter(pk=pk).first()


def total_pledged(purchase: Purchase) -> int:
    return int(purchase.pledges.aggregate(n=Sum("quantity"))["n"] or 0)


@transaction.atomic
def purchase_create(
    *,
    network: Network,
    organiser: Person,
    kind: str,
    title: str,
    unit: str,
    unit_price: Decimal,
    threshold: int,
    closes_on: dt.date,
    description: str = "",
) -> Purchase:
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("La date de clôture est passée.")})
    if threshold < 1:
        raise ValidationError({"threshold": _("Le seuil est d'au moins 1.")})
    return Purchase.objects.create(
        network=network,
        organiser=organiser,
        kind=kind,
        title=title,
        description=description,
        unit=unit,
        unit_price=unit_price,
        threshold=threshold,
        closes_on=closes_on,
    )


def _close(purchase: Purchase, status: str) -> None:
    purchase.status = status
    purchase.closed_at = timezone.now()
    purchase.save(update_fields=["status", "closed_at"])


@transaction.atomic
def purchase_close_if_due(*, purchase: Purchase, today: dt.date | None = None) -> Purchase:
    """Close an open purchase whose date has passed: reached if the threshold is met, else failed."""
    today = today or timezone.localdate()
    locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
    if locked.status == PurchaseStatus.OPEN and locked.closes_on < today:
        _close(
            locked,
            PurchaseStatus.REACHED if total_pledged(locked) >= locked.threshold else PurchaseStatus.FAILED,
        )
    return locked


@transaction.atomic
def pledge_set(
    *, purchase: Purchase, person: Person, quantity: int, today: dt.date | None = None
) -> Purchase:
    """Pledge `quantity` (0 withdraws). The purchase closes as soon as the threshold is reached."""
    locked = purchase_close_if_due(purchase=purchase, today=today)
    if locked.status != PurchaseStatus.OPEN:
        raise ValidationError(_("Cet achat groupé est clos."))
    if quantity < 0:
        raise ValidationError({"quantity": _("Une quantité ne peut pas être négative.")})
    if quantity == 0:
        Pledge.objects.filter(purchase=locked, person=person).delete()
    else:
        Pledge.objects.update_or_create(purchase=locked, person=person, defaults={"quantity": quantity})
    if total_pledged(locked) >= locked.threshold:
        _close(locked, PurchaseStatus.REACHED)
    return locked


@dataclass
class Share:
    person: Person
    quantity: int
    amount: Decimal


def shares(purchase: Purchase) -> list[Share]:
    """Each member's share: quantity and amount (quantity x negotiated unit price)."""
    rows = purchase.pledges.select_related("person__organisation").order_by(
        "person__last_name", "person__first_name"
    )
    return [Share(p.person, p.quantity, p.quantity * purchase.unit_price) for p in rows]


def _header() -> list[str]:
    return [_("Membre"), _("Entreprise"), _("Quantité"), _("Montant (€ HT)")]


def _row(s: Share) -> list[object]:
    org = s.person.organisation.name if s.person.organisation else ""
    # openpyxl refuses control characters (IllegalCharacterError): none reaches either file.
    return [single_line(s.person.full_name), single_line(org), s.quantity, float(s.amount)]


def shares_csv(purchase: Purchase) -> str:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow(_header())
    writer.writerows(_row(s) for s in shares(purchase))
    return out.getvalue()


def shares_xlsx(purchase: Purchase) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Parts")
    sheet.append(_header())
    for s in shares(purchase):
        # openpyxl writes text cells as text (never as formulas) once data_type is "s".
        cells = _row(s)
        sheet.append(cells)
        for cell in sheet[sheet.max_row][:2]:
            cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
