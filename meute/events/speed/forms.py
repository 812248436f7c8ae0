"""Forms of speed meetings: the participant's profile, the organiser's format and hand changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core.web import MAX_ID
from meute.events.models import (
    MAX_FIRST_TABLE,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    MAX_TABLE_NUMBER,
    MAX_TABLE_SIZE,
    Registration,
    RegistrationStatus,
)
from meute.events.speed import selectors


class RegistrationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Registration) -> str:  # type: ignore[override]
        org = obj.person.organisation
        return f"{obj.person.full_name} ({org.name})" if org else obj.person.full_name


class SpeedProfileForm(forms.ModelForm):
    """What a participant offers and seeks at this event, whom they wish to meet or to avoid.

    Only participants who consent to matchmaking are offered in the two lists:
    the others are not shown to anyone. A choice made earlier of someone who
    has since refused stays as it was (an *avoid* is a safety request), but
    cannot be seen or changed here.
    """

    wishes = RegistrationChoiceField(
        label=_("Personnes que je souhaite rencontrer"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoids = RegistrationChoiceField(
        label=_("Personnes que je préfère ne pas rencontrer"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Personne n'en est informé."),
    )

    class Meta:
        model = Registration
        fields = ["offers", "seeks", "wishes", "avoids"]
        widgets = {"offers": forms.Textarea(attrs={"rows": 3}), "seeks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        confirmed = Registration.objects.filter(
            event_id=self.instance.event_id, status=RegistrationStatus.CONFIRMED
        ).exclude(pk=self.instance.pk)
        listed = selectors.shared_profile_ids(confirmed)
        others = (
            confirmed.filter(pk__in=listed)
            .select_related("person", "person__organisation")
            .order_by("person__last_name", "person__first_name")
        )
        self.kept: dict[str, list[Registration]] = {}
        for name in ("wishes", "avoids"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = others
            self.kept[name] = (
                list(getattr(self.instance, name).exclude(pk__in=listed)) if self.instance.pk else []
            )
        # Prefilled from the person's record when the registration says nothing yet.
        person = self.instance.person
        if not self.is_bound:
            if not self.instance.offers:
                self.initial["offers"] = person.offers
            if not self.instance.seeks:
                self.initial["seeks"] = person.seeks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("wishes") or []) & set(data.get("avoids") or [])
        if both:
            names = ", ".join(sorted(r.person.full_name for r in both))
            self.add_error(
                "avoids", _("Vous ne pouvez pas à la fois souhaiter et éviter : %(n)s") % {"n": names}
            )
        for name, hidden in self.kept.items():
            if name in data:
                data[name] = [*data[name], *hidden]
        return data


class PlanFormatForm(forms.Form):
    table_size = forms.IntegerField(
        label=_("Personnes par table"),
        help_text=_("2 pour des tête-à-tête, plus pour des tables"),
        initial=2,
        min_value=2,
        max_value=MAX_TABLE_SIZE,
    )
    rounds = forms.IntegerField(label=_("Nombre de tours"), initial=6, min_value=1, max_value=MAX_ROUNDS)
    round_minutes = forms.IntegerField(
        label=_("Durée d'un tour (minutes)"), initial=8, min_value=1, max_value=MAX_ROUND_MINUTES
    )
    break_minutes = forms.IntegerField(
        label=_("Pause entre les tours (minutes)"), min_value=0, max_value=MAX_ROUND_MINUTES, initial=2
    )
    first_table = forms.IntegerField(
        label=_("Numéro de la première table"), initial=1, min_value=1, max_value=MAX_FIRST_TABLE
    )


class LockForm(forms.Form):
    round_no = forms.IntegerField(label=_("Tour"), min_value=1, max_value=MAX_ROUNDS)
    table_no = forms.IntegerField(label=_("Table"), min_value=1, max_value=MAX_TABLE_NUMBER)
    locked = forms.BooleanField(label=_("Verrouiller"), required=False)


class SwapForm(forms.Form):
    round_no = forms.IntegerField(label=_("Tour"), min_value=1, max_value=MAX_ROUNDS)
    first = forms.IntegerField(label=_("Première personne"), min_value=1, max_value=MAX_ID)
    second = forms.IntegerField(label=_("Seconde personne"), min_value=1, max_value=MAX_ID)


class ReplanForm(forms.Form):
    from_round = forms.IntegerField(
        label=_("Re-planifier à partir du tour"), min_value=1, max_value=MAX_ROUNDS
    )
