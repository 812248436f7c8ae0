"""Dues: the periods a member has paid (or owes) for, recorded by the network's treasurer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meute.networks.models import Membership


class DuesPeriod(models.Model):
    """One membership period: from `start` to `end` (both included), for `amount` euros.

    Unpaid while `paid_on` is empty. No money moves through Meute: the treasurer
    records what was paid. `reminder_sent_at` makes the expiry reminder go out once.
    """

    membership = models.ForeignKey(
        Membership, verbose_name=_("adhésion"), on_delete=models.CASCADE, related_name="dues_periods"
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    amount = models.DecimalField(_("montant (€)"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("payé le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("période de cotisation")
        verbose_name_plural = _("périodes de cotisation")
        ordering = ["membership", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="dues_period_end_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_period_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["end"])]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None
