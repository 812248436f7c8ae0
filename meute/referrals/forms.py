from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.core.forms import BoundedDateField, DateInput
from meute.referrals.models import Temperature


class ReferralForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Destinataire"),
        queryset=Person.objects.none(),
        empty_label=_("Choisissez un membre"),
        error_messages={
            "required": _("Destinataire : choisissez le membre à qui vous passez cette affaire."),
            "invalid_choice": _("Destinataire : choisissez un membre actif de ce réseau, autre que vous."),
        },
    )
    subject = forms.CharField(
        label=_("Pour quoi"),
        max_length=200,
        help_text=_("Le besoin du prospect, en quelques mots"),
        error_messages={"required": _("Pour quoi : décrivez en quelques mots le besoin du prospect.")},
    )
    temperature = forms.ChoiceField(
        label=_("Température"),
        choices=Temperature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Température : indiquez si la recommandation est chaude ou froide.")},
    )
    details = forms.CharField(
        label=_("Précisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    prospect_name = forms.CharField(label=_("Nom du prospect"), max_length=150, required=False)
    prospect_company = forms.CharField(label=_("Entreprise du prospect"), max_length=200, required=False)
    prospect_email = forms.EmailField(
        label=_("E-mail du prospect"),
        required=False,
        error_messages={"invalid": _("E-mail du prospect : cette adresse n'est pas valide.")},
    )
    prospect_phone = forms.CharField(label=_("Téléphone du prospect"), max_length=20, required=False)

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = recipients
        field.label_from_instance = lambda p: (  # type: ignore[method-assign, assignment]
            f"{p.full_name} — {p.organisation.name}" if p.organisation else p.full_name
        )


class OutcomeForm(forms.Form):
    business_closed = forms.TypedChoiceField(
        label=_("Une affaire a-t-elle été conclue ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Affaire conclue : répondez oui ou non.")},
    )
    amount = forms.DecimalField(
        label=_("Montant (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Hors taxes, en euros ; vide si aucune affaire"),
        error_messages={
            "min_value": _("Montant : le montant ne peut pas être négatif."),
            "invalid": _("Montant : saisissez un nombre, par exemple 1500 ou 1500,50."),
            "max_digits": _("Montant : ce montant est trop élevé."),
            "max_decimal_places": _("Montant : au plus deux chiffres après la virgule."),
        },
    )
    closed_on = BoundedDateField(
        label=_("Date"),
        required=False,
        help_text=_("Vide : aujourd'hui"),
        widget=DateInput(),
        error_messages={"invalid": _("Date : saisissez une date valide, par exemple 2026-11-27.")},
    )
