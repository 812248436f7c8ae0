from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core.forms import BoundedDateField, BoundedDateTimeField, DateInput
from meute.packs.models import DocumentKind, FirmProfile
from meute.packs.trades import CertKind, Trade
from meute.reference.models import Commune, communes_in_french_order


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.postcode})"


class TenderForm(forms.Form):
    title = forms.CharField(label=_("Objet"), max_length=200)
    buyer = forms.CharField(label=_("Acheteur"), max_length=200)
    commune = CommuneChoiceField(label=_("Lieu d'exécution"), queryset=Commune.objects.all())
    deadline = BoundedDateTimeField(
        label=_("Date limite de remise des offres"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reference = forms.CharField(label=_("Référence de l'avis"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, CommuneChoiceField)
        field.choices = [("", "---------")] + [
            (c.pk, f"{c.name} ({c.postcode})") for c in communes_in_french_order()
        ]


class LotForm(forms.Form):
    code = forms.CharField(label=_("Lot n°"), max_length=12)
    title = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    trade = forms.ChoiceField(label=_("Corps de métier"), choices=Trade.choices)
    amount_keur = forms.IntegerField(label=_("Montant estimé (k€)"), min_value=0, max_value=100_000)
    cert = forms.ChoiceField(
        label=_("Qualification exigée"), choices=[("", _("Aucune")), *CertKind.choices], required=False
    )
    cpv = forms.CharField(label=_("Code CPV"), max_length=12, required=False)


LotFormSet = forms.formset_factory(LotForm, extra=6, min_num=1, validate_min=True, max_num=40)


class NoticeImportForm(forms.Form):
    notice = forms.FileField(
        label=_("Avis de marché (JSON ou CSV)"),
        help_text=_("Le format des avis BOAMP ; voir l'exemple fourni."),
    )


class WeightsForm(forms.Form):
    radius_km = forms.FloatField(label=_("Rayon autour du chantier (km)"), min_value=1, max_value=300)
    capacity_share = forms.FloatField(
        label=_("Part maximale du chiffre d'affaires annuel par entreprise"), min_value=0.01, max_value=1
    )
    firm_cost = forms.FloatField(
        label=_("Coût de coordination par entreprise (en km)"), min_value=0, max_value=500
    )
    together_bonus = forms.FloatField(
        label=_("Bonus par paire ayant déjà travaillé ensemble (en km)"), min_value=0, max_value=500
    )


class InviteForm(forms.Form):
    respond_by = BoundedDateField(label=_("Réponse des entreprises avant le"), widget=DateInput())


class LeadForm(forms.Form):
    firm = forms.ModelChoiceField(label=_("Mandataire"), queryset=FirmProfile.objects.none())

    def __init__(self, *args: Any, firms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms if firms is not None else FirmProfile.objects.none()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Fichier (PDF, DOCX, XLSX, ODT, ODS, JPG, PNG ; 10 Mo au plus)"))


class FirmProfileForm(forms.ModelForm):
    trades = forms.MultipleChoiceField(
        label=_("Corps de métier"), choices=Trade.choices, widget=forms.CheckboxSelectMultiple
    )
    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.all())

    class Meta:
        model = FirmProfile
        fields = ["trades", "turnover_keur", "workforce", "commune", "radius_km", "references"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, CommuneChoiceField)
        field.choices = [("", "---------")] + [
            (c.pk, f"{c.name} ({c.postcode})") for c in communes_in_french_order()
        ]


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qualification"), choices=CertKind.choices)
    valid_until = BoundedDateField(label=_("Valable jusqu'au"), widget=DateInput())
    number = forms.CharField(label=_("Numéro"), max_length=40, required=False)


class CollaborationForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Entreprise du groupement"), queryset=FirmProfile.objects.none())
    year = forms.IntegerField(label=_("Année"), min_value=1990, max_value=2100)
    note = forms.CharField(label=_("Chantier"), max_length=200, required=False)

    def __init__(self, *args: Any, firm: FirmProfile | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ModelChoiceField)
        if firm is not None:
            field.queryset = (
                FirmProfile.objects.filter(network_id=firm.network_id)
                .exclude(pk=firm.pk)
                .select_related("organisation")
            )
