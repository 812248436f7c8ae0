"""Forms of the observatory: a list uploaded, its column mapping, the departures to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.core.forms import BoundedDateField, DateInput
from meute.engine.linkage.columns import column_letter
from meute.engine.linkage.read import MAX_BYTES
from meute.networks.models import Network
from meute.observatory.linking import Absent
from meute.observatory.models import LawfulBasis
from meute.observatory.selectors import FIELD_LABELS


class UploadForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    list_date = BoundedDateField(
        label=_("Date de la liste"), widget=DateInput(), help_text=_("Le jour où le réseau a arrêté sa liste")
    )
    lawful_basis = forms.ChoiceField(
        label=_("Base légale"), choices=LawfulBasis.choices, initial=LawfulBasis.PUBLIC_TASK
    )
    file = forms.FileField(
        label=_("Liste des membres (CSV, XLSX ou ODS, 20 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.ods"}),
    )

    def __init__(self, *args: Any, networks: Sequence[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
        if len(networks) == 1:
            field.initial = networks[0].pk
        self.fields["list_date"].initial = timezone.localdate()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("%(file)s : %(mb).1f Mo, au-delà de la limite de 20 Mo.")
                % {"file": upload.name, "mb": upload.size / 1e6}
            )
        return upload


IGNORED = ""


class MappingForm(forms.Form):
    """One choice per column of the file: the field it holds, or nothing."""

    skip_errors = forms.BooleanField(
        label=_("Écarter les lignes en erreur et importer les autres"), required=False
    )

    def __init__(self, *args: Any, headers: Sequence[str], mapping: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        choices = [(IGNORED, _("— ne pas importer —")), *FIELD_LABELS.items()]
        field_of = {c: f for f, c in mapping.items()}
        for i, header in enumerate(self.headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=f"{column_letter(i)} — {header}",
                choices=choices,
                required=False,
                initial=field_of.get(i, IGNORED),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, int] = {}
        for i in range(len(self.headers)):
            field = data.get(f"col_{i}") or IGNORED
            if field == IGNORED:
                continue
            if field in seen:
                self.add_error(
                    f"col_{i}",
                    _("« %(field)s » est déjà la colonne %(col)s.")
                    % {"field": FIELD_LABELS[field], "col": column_letter(seen[field])},
                )
            seen[field] = i
        if not self.errors and "surname" not in seen and "full_name" not in seen:
            raise forms.ValidationError(
                _("Indiquez la colonne du nom (Nom, ou « NOM Prénom » dans une seule colonne).")
            )
        self.mapping = seen
        return data


class DeparturesForm(forms.Form):
    gone = forms.MultipleChoiceField(
        label=_("Personnes absentes de la nouvelle liste"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Décochez celles qui restent membres : elles ne seront pas comptées comme parties."),
    )

    def __init__(self, *args: Any, absent: Sequence[Absent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gone"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(a.observed.pk), _absent_label(a)) for a in absent]
        field.initial = [str(a.observed.pk) for a in absent]


def _absent_label(a: Absent) -> str:
    r = a.records[0] if a.records else None
    if r is None:
        return str(a.observed)
    parts = [f"{r.first_name.title()} {r.surname.upper()}".strip()]
    if r.company:
        parts.append(r.company)
    return " — ".join(parts)


class DossierForm(forms.Form):
    at = BoundedDateField(label=_("Dossier au"), widget=DateInput())
    internal = forms.BooleanField(
        label=_("Copie interne de la CCI (sans secret statistique, à ne pas publier)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["at"].initial = today.replace(year=today.year - 1, month=12, day=31)
