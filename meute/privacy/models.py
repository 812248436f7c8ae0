"""A person's data export ("Télécharger mes données"), built by a task, kept 7 days.

The files are kept in the database, not on a disk, so that any web process of
a multi-machine set-up can serve them (docs/operations.md) and the retention job
deletes them with the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("En préparation")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


class DataExport(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    requested_at = models.DateTimeField(_("demandé le"))
    ready_at = models.DateTimeField(_("prêt le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"), null=True, blank=True)
    json_data = models.TextField(blank=True)
    html_summary = models.TextField(blank=True)

    class Meta:
        verbose_name = _("export de données")
        verbose_name_plural = _("exports de données")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"
