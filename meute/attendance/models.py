"""Attendance at a network's meetings, the network's attendance rule, and the guests it invites."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.events.models import Event
from meute.networks.models import Network


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent(e)")
    ABSENT = "absent", _("Absent(e) sans excuse")
    EXCUSED = "excused", _("Excusé(e)")
    SUBSTITUTE = "substitute", _("Remplacé(e)")


class AttendanceRecord(models.Model):
    """The board's register of a network meeting: what it noted for one member.

    This is what the attendance rules count (unexcused absences over a window),
    as opposed to the check-in at the door (``Registration.attendance`` in the
    events app), which records who came to an event they registered for. A member
    who sends a substitute is not absent: the network's seat was kept.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="attendance_records"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="attendance_records"
    )
    status = models.CharField(_("présence"), max_length=20, choices=AttendanceStatus.choices)
    substitute_name = models.CharField(_("remplaçant(e)"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relevé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("relevé le"), auto_now=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["event", "person"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="attendance_one_record_per_person"),
            models.CheckConstraint(
                condition=~Q(status="substitute") | ~Q(substitute_name=""),
                name="attendance_substitute_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}: {self.get_status_display()}"


class AttendanceRule(models.Model):
    """At most `max_unexcused` unexcused absences over the last `window_months` months."""

    network = models.OneToOneField(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="attendance_rule"
    )
    max_unexcused = models.PositiveSmallIntegerField(_("absences non excusées tolérées"), default=3)
    window_months = models.PositiveSmallIntegerField(_("sur une période de (mois)"), default=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règle d'assiduité")
        verbose_name_plural = _("règles d'assiduité")
        constraints = [
            models.CheckConstraint(condition=Q(window_months__gte=1), name="attendance_rule_window_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.max_unexcused} / {self.window_months}"


class VisitorStatus(models.TextChoices):
    INVITED = "invited", _("Invité(e)")
    CAME = "came", _("Venu(e)")
    FOLLOWED_UP = "followed_up", _("Relancé(e)")
    APPLIED = "applied", _("A candidaté")
    NOT_INTERESTED = "not_interested", _("Pas intéressé(e)")


class Visitor(models.Model):
    """A guest a member invites to a meeting, followed up by the board."""

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="visitors"
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("réunion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitors",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    company = models.CharField(_("entreprise"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        Person,
        verbose_name=_("invité(e) par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invited_visitors",
    )
    status = models.CharField(
        _("suivi"), max_length=20, choices=VisitorStatus.choices, default=VisitorStatus.INVITED
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("visiteur")
        verbose_name_plural = _("visiteurs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.name
