from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.core.forms import BoundedDateField, DateInput
from meute.networks.models import Membership, Network


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.full_name


class PeriodForm(forms.Form):
    """A new membership period for one of the network's active members."""

    membership = MemberChoiceField(
        label=_("Membre"),
        queryset=Membership.objects.none(),
        error_messages={"invalid_choice": _("membre inconnu dans ce réseau")},
    )
    start = BoundedDateField(label=_("Début de la période"), widget=DateInput())
    end = BoundedDateField(label=_("Fin de la période"), widget=DateInput())
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=8, decimal_places=2)
    paid_on = BoundedDateField(
        label=_("Payé le"),
        required=False,
        widget=DateInput(),
        help_text=_("Laisser vide si la cotisation n'est pas encore payée"),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Membership.objects.active()
            .filter(network=network)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("le montant ne peut pas être négatif"))
        return amount

    def clean_paid_on(self) -> dt.date | None:
        paid_on: dt.date | None = self.cleaned_data.get("paid_on")
        if paid_on and paid_on > timezone.localdate():
            raise forms.ValidationError(_("la date de paiement ne peut pas être dans le futur"))
        return paid_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("la fin de la période doit venir après son début"))
        return data


class PaymentForm(forms.Form):
    paid_on = BoundedDateField(label=_("Payé le"), widget=DateInput())

    def clean_paid_on(self) -> dt.date:
        paid_on: dt.date = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("la date de paiement ne peut pas être dans le futur"))
        return paid_on
