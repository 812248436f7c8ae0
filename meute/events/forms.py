from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.events.models import CheckIn, Event
from meute.networks.models import Network
from meute.reference.models import communes_in_french_order

#: Settings that only a business-meeting day uses (grouped apart on the form).
BUSINESS_DAY_FIELDS = ("slots", "slot_minutes", "tables", "request_ttl_hours")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "network",
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "commune",
            "capacity",
            "audience",
            "partner_networks",
            "registration_opens_at",
            "registration_closes_at",
            "price",
            "recurrence",
            "slots",
            "slot_minutes",
            "tables",
            "request_ttl_hours",
            "status",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "registration_closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "partner_networks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, networks: list[Network], staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
        # Only chamber staff may organise an event of the chamber itself (no network).
        field.required = not staff
        field.empty_label = _("CCI Touraine (événement de la chambre)") if staff else None
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.choices = [("", "---------")] + [(c.pk, str(c)) for c in communes_in_french_order()]


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=pgettext_lazy("nom de famille", "Nom"), max_length=100)
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    company = forms.CharField(label=_("Entreprise"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(choices=CheckIn.choices)
