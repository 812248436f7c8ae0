from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core.forms import BoundedDateField, DateInput
from meute.engine.recommend import Answers
from meute.networks.models import AdmissionMode, Kind, MeetingFormat, Network, Purpose, Rhythm, Role
from meute.networks.selectors import DirectoryFilters
from meute.networks.services.pages import EDITABLE_FIELDS
from meute.reference.models import Commune, NafCode, communes_in_french_order


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def sector_choices() -> list[tuple[str, Any]]:
    rows = NafCode.objects.values_list("section", "section_label").distinct().order_by("section")
    return [(code, f"{label}") for code, label in rows]


def commune_choices() -> list[tuple[str, Any]]:
    return [(c.insee, str(c)) for c in communes_in_french_order()]


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    purpose = forms.ChoiceField(label=_("Pour"), required=False)
    sector = forms.ChoiceField(label=_("Secteur"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    rhythm = forms.ChoiceField(label=_("Rythme"), required=False)
    free_seats = forms.BooleanField(label=_("Avec des places libres"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("name", _("Nom")),
            ("-members", _("Plus de membres")),
            ("members", _("Moins de membres")),
            ("seats", _("Places libres")),
            ("-founded", _("Plus récents")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Tous"))]
        _choices(self, "kind").choices = every + list(Kind.choices)
        _choices(self, "purpose").choices = every + list(Purpose.choices)
        _choices(self, "sector").choices = every + sector_choices()
        _choices(self, "commune").choices = [("", _("Toutes"))] + commune_choices()
        _choices(self, "rhythm").choices = every + list(Rhythm.choices)

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            purpose=data.get("purpose", ""),
            sector=data.get("sector", ""),
            commune=data.get("commune", ""),
            rhythm=data.get("rhythm", ""),
            free_seats=bool(data.get("free_seats")),
            sort=data.get("sort") or "name",
        )


class QuestionnaireForm(forms.Form):
    sector = forms.ChoiceField(label=_("Votre secteur d'activité"), required=False)
    commune = forms.ChoiceField(label=_("Votre commune"), required=False)
    purposes = forms.MultipleChoiceField(
        label=_("Ce que vous cherchez dans un réseau"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    formats = forms.MultipleChoiceField(
        label=_("Les formats que vous préférez"),
        choices=MeetingFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rhythm = forms.ChoiceField(label=_("Le rythme qui vous convient"), required=False)
    hours_per_month = forms.IntegerField(
        label=_("Le temps que vous pouvez donner (heures par mois)"),
        required=False,
        min_value=0,
        max_value=80,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sector").choices = [("", _("Je préfère ne pas le dire"))] + sector_choices()
        _choices(self, "commune").choices = [("", _("Je préfère ne pas le dire"))] + commune_choices()
        _choices(self, "rhythm").choices = [("", _("Peu importe"))] + list(Rhythm.choices)

    def answers(self) -> Answers:
        data = self.cleaned_data
        commune = Commune.objects.filter(insee=data.get("commune")).first() if data.get("commune") else None
        return Answers(
            sector=data.get("sector") or None,
            latitude=commune.latitude if commune else None,
            longitude=commune.longitude if commune else None,
            purposes=frozenset(data.get("purposes") or []),
            formats=frozenset(data.get("formats") or []),
            rhythm=data.get("rhythm") or None,
            hours_per_month=data.get("hours_per_month"),
        )


class NetworkEditForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        label=_("Raisons d'adhérer"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats des rencontres"),
        choices=MeetingFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs (aucun : tous secteurs)"), widget=forms.CheckboxSelectMultiple, required=False
    )
    themes = forms.CharField(label=_("Thèmes (séparés par des virgules)"), required=False, max_length=500)
    languages = forms.CharField(
        label=_("Langues (séparées par des virgules)"), required=False, max_length=100
    )
    admission_mode = forms.ChoiceField(label=_("Admission"), choices=AdmissionMode.choices)

    class Meta:
        model = Network
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sectors").choices = sector_choices()
        if self.instance.pk:
            self.initial["themes"] = ", ".join(self.instance.themes)
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]

    def clean_languages(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["languages"].split(",") if t.strip()]

    def clean_contact_phone(self) -> str:
        from meute.accounts.validators import normalise_phone

        value = self.cleaned_data["contact_phone"]
        return normalise_phone(value) if value else ""


# --- Admissions -------------------------------------------------------------------------------


class JoinForm(forms.Form):
    """What joining asks beyond the click: the sponsor (co-optation) and the charter (if any).

    The sponsor's address is not looked up here: whether it is a member's is never told to
    the applicant (see `services.admissions.membership_request`). An invited applicant (`invited`) is
    not asked for a sponsor: the invitation brings one.
    """

    sponsor_email = forms.EmailField(
        label=_("E-mail de votre parrain ou marraine (membre actif du réseau)"), required=False
    )
    accept_charter = forms.BooleanField(label=_("J'ai lu et j'accepte la charte du réseau"), required=False)

    def __init__(self, *args: Any, network: Network, invited: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        if network.admission_mode != AdmissionMode.COOPTATION or invited:
            del self.fields["sponsor_email"]
        else:
            self.fields["sponsor_email"].required = True
            self.fields["sponsor_email"].error_messages["required"] = _(
                "Ce réseau recrute par cooptation : indiquez l'e-mail de votre parrain ou marraine."
            )
            self.fields["sponsor_email"].help_text = _(
                "Nous lui demanderons de confirmer votre candidature s'il ou elle est membre actif du réseau."
            )
        if not network.charter.strip():
            del self.fields["accept_charter"]
        else:
            self.fields["accept_charter"].label = _(
                "J'ai lu et j'accepte la charte du réseau (version %(v)s)"
            ) % {"v": network.charter_version}
            self.fields["accept_charter"].required = True
            self.fields["accept_charter"].error_messages["required"] = _(
                "Acceptez la charte du réseau pour demander à le rejoindre."
            )

    def clean_sponsor_email(self) -> str:
        return str(self.cleaned_data.get("sponsor_email") or "").strip().lower()


class ProposeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail de la personne que vous proposez"),
        error_messages={"required": _("Indiquez l'e-mail de la personne que vous proposez.")},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (la personne le verra)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Indiquez le motif du refus : la personne le verra.")},
    )

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Indiquez le motif du refus : la personne le verra."))
        return value


class SponsorDeclineForm(RefuseForm):
    reason = forms.CharField(
        label=_("Pourquoi vous ne parrainez pas cette candidature"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Indiquez pourquoi vous ne parrainez pas cette candidature.")},
    )


class LeaveForm(forms.Form):
    end_date = BoundedDateField(
        label=_("Date de départ"),
        widget=DateInput(),
        error_messages={
            "required": _("Indiquez la date de départ."),
            "invalid": _("Date de départ invalide."),
        },
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
