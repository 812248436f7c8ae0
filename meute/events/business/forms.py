"""Forms of business-meeting days: profile, availability, requests and answers, placement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.events.business.selectors import slot_times
from meute.events.models import Event


class ProfileForm(forms.Form):
    offers = forms.CharField(
        label=_("Ce que je propose"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vos produits, services, savoir-faire : ce que les autres participants liront."),
    )
    seeks = forms.CharField(
        label=_("Ce que je cherche"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Clients, fournisseurs, partenaires, compétences…"),
    )


class AvailabilityForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=_("Créneaux où je suis disponible"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slots"]
        field.choices = [  # type: ignore[attr-defined]
            (
                s.index,
                _("%(start)s – %(end)s")
                % {
                    "start": timezone.localtime(s.starts_at).strftime("%H:%M"),
                    "end": timezone.localtime(s.ends_at).strftime("%H:%M"),
                },
            )
            for s in slot_times(event)
        ]
        field.error_messages["invalid_choice"] = _("Le créneau %(value)s n'existe pas dans cette journée.")


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Réponse"), choices=[("accept", _("Accepter")), ("decline", _("Décliner"))]
    )


class PlacementForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Graine du calcul"),
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("Même graine, même placement ; changez-la pour obtenir une autre solution équivalente."),
    )
