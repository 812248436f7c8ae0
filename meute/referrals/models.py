"""Business referrals between members of a network, and the business they bring."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.networks.models import Network


class Temperature(models.TextChoices):
    HOT = "hot", _("Chaude : le prospect attend l'appel")
    COLD = "cold", _("Froide : une piste à travailler")


class Referral(models.Model):
    """A member passes a business lead to another active member of the same network.

    The recipient later records whether business was closed (`business_closed`:
    None while pending), with its amount and date.
    """

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="referrals"
    )
    giver = models.ForeignKey(
        Person, verbose_name=_("donnée par"), on_delete=models.CASCADE, related_name="referrals_given"
    )
    recipient = models.ForeignKey(
        Person, verbose_name=_("destinataire"), on_delete=models.CASCADE, related_name="referrals_received"
    )
    subject = models.CharField(_("pour quoi"), max_length=200)
    details = models.TextField(_("précisions"), blank=True, max_length=2000)
    temperature = models.CharField(_("température"), max_length=10, choices=Temperature.choices)
    prospect_name = models.CharField(_("nom du prospect"), max_length=150, blank=True)
    prospect_company = models.CharField(_("entreprise du prospect"), max_length=200, blank=True)
    prospect_email = models.EmailField(_("e-mail du prospect"), blank=True)
    prospect_phone = models.CharField(_("téléphone du prospect"), max_length=20, blank=True)
    given_on = models.DateField(_("date de la recommandation"))
    business_closed = models.BooleanField(_("affaire conclue"), null=True, blank=True)
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(_("date de l'affaire"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=models.F("recipient")), name="referral_not_to_oneself"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="referral_amount_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["network", "given_on"]),
            models.Index(fields=["network", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient} : {self.subject}"

    @property
    def is_pending(self) -> bool:
        return self.business_closed is None
