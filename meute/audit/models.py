"""An audit trail of what managers and staff do: who, what, when, on what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One action, kept forever (never edited). `action` is a stable code, e.g.
    "membership.approve"; `summary` the sentence shown to people; `details` the
    values that changed."""

    at = models.DateTimeField(_("quand"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        null=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(_("quoi"), max_length=300)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("action journalisée")
        verbose_name_plural = _("journal des actions")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["network", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
