from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.barometer.models import QUESTIONS, question_label
from meute.barometer.services import quarter_label
from meute.events.models import Event


class AnswerForm(forms.Form):
    """The five questions, each a radio group (a fieldset with its legend), and the meeting if any."""

    event = forms.ModelChoiceField(
        label=_("Rencontre"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Aucune rencontre en particulier"),
        error_messages={
            "invalid_choice": _("Rencontre : choisissez une rencontre de ce réseau, ce trimestre.")
        },
    )

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = events
        event.label_from_instance = lambda e: f"{e.title} — {e.starts_at:%d/%m/%Y}"  # type: ignore[method-assign, assignment]
        for name, choices in QUESTIONS:
            label = question_label(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("%(question)s : choisissez une réponse.") % {"question": label},
                    "invalid_choice": _("%(question)s : choisissez une des réponses proposées.")
                    % {"question": label},
                },
            )
        # The meeting last: the questions come first on the page.
        self.order_fields([name for name, _c in QUESTIONS] + ["event"])


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(label=_("Trimestre"), required=False)

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["periode"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p, quarter_label(p)) for p in periods]
