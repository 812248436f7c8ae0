from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.attendance.models import AttendanceRecord, AttendanceStatus, VisitorStatus
from meute.events.models import Event, EventStatus
from meute.networks.models import Membership, Network


class RegisterForm(forms.Form):
    """One choice per active member (and a substitute's name), saved together."""

    def __init__(
        self, *args: Any, members: list[Membership], records: dict[int, AttendanceRecord], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Membership, forms.BoundField, forms.BoundField]] = []
        for m in members:
            record = records.get(m.person_id)
            status_name, substitute_name = f"status_{m.person_id}", f"substitute_{m.person_id}"
            self.fields[status_name] = forms.ChoiceField(
                label=m.person.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=record.status if record else None,
                error_messages={"required": _("choisissez une présence pour ce membre")},
            )
            self.fields[substitute_name] = forms.CharField(
                label=_("Personne qui remplace %(p)s") % {"p": m.person.full_name},
                required=False,
                max_length=150,
                initial=record.substitute_name if record else "",
            )
            self.rows.append((m, self[status_name], self[substitute_name]))
        self.members = members

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for m in self.members:
            if (
                data.get(f"status_{m.person_id}") == AttendanceStatus.SUBSTITUTE
                and not data.get(f"substitute_{m.person_id}", "").strip()
            ):
                self.add_error(f"substitute_{m.person_id}", _("indiquez le nom du remplaçant"))
        return data

    def entries(self) -> dict[int, tuple[str, str]]:
        return {
            m.person_id: (
                self.cleaned_data[f"status_{m.person_id}"],
                self.cleaned_data[f"substitute_{m.person_id}"],
            )
            for m in self.members
        }


class RuleForm(forms.Form):
    max_unexcused = forms.IntegerField(label=_("Absences non excusées tolérées"), min_value=0, max_value=100)
    window_months = forms.IntegerField(label=_("Sur une période de (mois)"), min_value=1, max_value=36)


class InviterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


class EventField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.starts_at:%d/%m/%Y}"


class VisitorForm(forms.Form):
    name = forms.CharField(label=_("Nom du visiteur"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    company = forms.CharField(label=_("Entreprise"), max_length=150, required=False)
    invited_by = InviterField(
        label=_("Invité(e) par"),
        queryset=Person.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("membre inconnu dans ce réseau")},
    )
    event = EventField(
        label=_("Réunion"),
        queryset=Event.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("réunion inconnue dans ce réseau")},
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inviter = self.fields["invited_by"]
        event = self.fields["event"]
        assert isinstance(inviter, forms.ModelChoiceField) and isinstance(event, forms.ModelChoiceField)
        inviter.queryset = Person.objects.filter(
            memberships__in=Membership.objects.active().filter(network=network)
        ).order_by("last_name", "first_name")
        event.queryset = (
            Event.objects.filter(network=network).exclude(status=EventStatus.CANCELLED).order_by("-starts_at")
        )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("indiquez le nom du visiteur"))
        return name


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Suivi"), choices=VisitorStatus.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )
