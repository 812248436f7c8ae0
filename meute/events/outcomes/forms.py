"""The form of a participant's rating of one meeting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EuroField(forms.DecimalField):
    """An amount as people type it in France: "12 500,50", "12500.50", "12 500 €"."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs say int
        if isinstance(value, str):
            value = "".join(value.replace("€", "").split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


class RatingForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Cette rencontre vous a-t-elle été utile ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    follow_up = forms.BooleanField(label=_("Une suite est prévue"), required=False)
    contract_signed = forms.BooleanField(label=_("Un contrat a été signé"), required=False)
    amount = EuroField(
        label=_("Montant du contrat en euros (facultatif)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Par exemple 12 500 ou 980,50."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is not None and not data.get("contract_signed"):
            self.add_error("amount", _("Indiquez un montant seulement si un contrat a été signé."))
        return data
