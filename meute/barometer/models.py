"""The business barometer ("la conjoncture"): short anonymous answers given at meetings.

Anonymity by design
-------------------
An answer (`BarometerAnswer`) holds no person: only the network, the meeting
(optional), the quarter and the respondent's NAF section at answer time.
To stop a person from answering twice in a quarter, a separate table of
receipts (`BarometerReceipt`: person, network, period) records *that* someone
answered, never *what*. The two rows are written in the same transaction but
share no key, and nothing lets one join them (not even the storage order: see
`anonymity.py`, which rewrites the group's answers in a random order):

- answers have a random UUID key and no timestamp, so neither their key order
  nor a creation time can be matched against the receipts' order or dates;
- receipts carry no answer id, no event and no sector.

So neither a manager, the chamber nor a database administrator can tell what
a given member answered; only group figures of at least 5 answers are shown
(see `selectors.suppress_small_cells`), and only for closed quarters, so that
no one reads an answer in the difference between two visits (`selectors.is_closed`).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.events.models import Event
from meute.networks.models import Network


class Trend(models.TextChoices):
    DOWN = "down", _("En baisse")
    STABLE = "stable", _("Stable")
    UP = "up", _("En hausse")


class Hiring(models.TextChoices):
    REDUCE = "reduce", _("Réduire l'effectif")
    STABLE = "stable", _("Effectif stable")
    HIRE = "hire", _("Recruter")


class Cash(models.TextChoices):
    TIGHT = "tight", _("Tendue")
    NORMAL = "normal", _("Normale")
    COMFORTABLE = "comfortable", _("Confortable")


class Morale(models.TextChoices):
    PESSIMISTIC = "pessimistic", _("Pessimiste")
    NEUTRAL = "neutral", _("Neutre")
    OPTIMISTIC = "optimistic", _("Optimiste")


# Each question with its answers ordered from the gloomiest to the brightest:
# the balance of opinion ("solde") is the share of the last minus the first.
QUESTIONS: tuple[tuple[str, type[models.TextChoices]], ...] = (
    ("activity", Trend),
    ("orders", Trend),
    ("hiring", Hiring),
    ("cash", Cash),
    ("morale", Morale),
)

PERIOD_PATTERN = r"^\d{4}-T[1-4]$"


class BarometerAnswer(models.Model):
    """One anonymous answer. No person, no timestamp, a random key (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="barometer_answers"
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("rencontre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barometer_answers",
    )
    period = models.CharField(_("trimestre"), max_length=7, help_text=_("Par exemple 2026-T4"))
    sector = models.CharField(_("section NAF"), max_length=1, blank=True)
    activity = models.CharField(_("activité des trois derniers mois"), max_length=12, choices=Trend.choices)
    orders = models.CharField(_("carnet de commandes"), max_length=12, choices=Trend.choices)
    hiring = models.CharField(_("intentions d'embauche"), max_length=12, choices=Hiring.choices)
    cash = models.CharField(_("trésorerie"), max_length=12, choices=Cash.choices)
    morale = models.CharField(_("moral"), max_length=12, choices=Morale.choices)

    class Meta:
        verbose_name = _("réponse au baromètre")
        verbose_name_plural = _("réponses au baromètre")
        indexes = [models.Index(fields=["network", "period"]), models.Index(fields=["period", "sector"])]

    def __str__(self) -> str:
        return f"{self.network} — {self.period}"


def question_label(name: str) -> str:
    """The question as asked, e.g. "Carnet de commandes" for `orders`."""
    field = BarometerAnswer._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


class BarometerReceipt(models.Model):
    """That a person answered in a network for a quarter — never what (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="barometer_receipts"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="barometer_receipts"
    )
    period = models.CharField(_("trimestre"), max_length=7)

    class Meta:
        verbose_name = _("accusé de réponse au baromètre")
        verbose_name_plural = _("accusés de réponse au baromètre")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "period"], name="barometer_one_answer_per_person_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.network} — {self.period}"
