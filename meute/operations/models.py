"""What the worker leaves behind for operators: its heartbeat and the periodic jobs it has run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running `meute worker`, touched every few seconds; /sante/ reads the newest."""

    worker_id = models.CharField(_("travailleur"), max_length=64, primary_key=True)
    hostname = models.CharField(_("machine"), max_length=200)
    pid = models.PositiveIntegerField(_("processus"))
    started_at = models.DateTimeField(_("démarré le"))
    seen_at = models.DateTimeField(_("vu le"), db_index=True)

    class Meta:
        verbose_name = _("battement de cœur du travailleur")
        verbose_name_plural = _("battements de cœur des travailleurs")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """A periodic job queued for one period (a day, a minute): unique, so two workers queue it once."""

    job = models.CharField(_("tâche"), max_length=100)
    period = models.CharField(_("période"), max_length=40)
    queued_at = models.DateTimeField(_("mise en file le"), auto_now_add=True)

    class Meta:
        verbose_name = _("tâche périodique lancée")
        verbose_name_plural = _("tâches périodiques lancées")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
