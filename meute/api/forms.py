from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.api.models import Scope

LIFETIMES = [(30, _("30 jours")), (90, _("90 jours")), (365, _("1 an"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=100, help_text=_("Par exemple : « CRM du club »")
    )
    scope = forms.ChoiceField(label=_("Droits"), choices=Scope.choices, initial=Scope.READ)
    days = forms.TypedChoiceField(label=_("Durée de validité"), choices=LIFETIMES, coerce=int, initial=90)
