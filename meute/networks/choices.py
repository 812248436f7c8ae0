"""The choices of networks and memberships: kinds, purposes, rhythms, formats, admission modes,
roles and statuses.

A module of their own: what only needs the vocabulary (labels, the roles that manage a
network) imports no model. :mod:`meute.networks.models` names them too, where every app
has always imported them from.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CLUB = "club", _("Club")
    ASSOCIATION = "association", _("Association")
    COMMUNITY = "community", _("Communauté")
    CLUSTER = "cluster", _("Grappe d'entreprises")
    PROGRAMME = "programme", _("Programme de la CCI")


class Purpose(models.TextChoices):
    """The reasons people give for joining a network."""

    LEARN = "learn", _("Apprendre")
    EXCHANGE = "exchange", _("Échanger")
    UPSKILL = "upskill", _("Monter en compétences")
    WATCH = "watch", _("Veille technologique")
    BUSINESS = "business", _("Faire des affaires")


class Rhythm(models.TextChoices):
    WEEKLY = "weekly", _("Hebdomadaire")
    FORTNIGHTLY = "fortnightly", _("Tous les quinze jours")
    MONTHLY = "monthly", _("Mensuel")
    QUARTERLY = "quarterly", _("Trimestriel")
    IRREGULAR = "irregular", _("Selon les événements")


# Meetings per month, to compare a network's rhythm with the time a person can give.
RHYTHM_PER_MONTH = {
    Rhythm.WEEKLY: 4.0,
    Rhythm.FORTNIGHTLY: 2.0,
    Rhythm.MONTHLY: 1.0,
    Rhythm.QUARTERLY: 1 / 3,
    Rhythm.IRREGULAR: 0.5,
}


class MeetingFormat(models.TextChoices):
    BREAKFAST = "breakfast", _("Petit-déjeuner")
    LUNCH = "lunch", _("Déjeuner")
    EVENING = "evening", _("Soirée")
    SPEED = "speed", _("Rendez-vous d'affaires express")
    VISIT = "visit", _("Visites d'entreprises")
    WORKSHOP = "workshop", _("Ateliers et formations")
    ONLINE = "online", _("En ligne")


class AdmissionMode(models.TextChoices):
    OPEN = "open", _("Ouvert : adhésion immédiate")
    APPLICATION = "application", _("Sur candidature : le bureau décide")
    COOPTATION = "cooptation", _("Par cooptation : un membre parraine")


class Role(models.TextChoices):
    MEMBER = "member", _("Membre")
    BOARD = "board", _("Membre du bureau")
    PRESIDENT = "president", _("Président(e)")
    STAFF = "staff", _("Permanent(e)")


MANAGER_ROLES = (Role.BOARD, Role.PRESIDENT, Role.STAFF)


class Status(models.TextChoices):
    APPLIED = "applied", _("Candidature")
    ACTIVE = "active", _("Membre actif")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    LEFT = "left", _("Parti(e)")
    REFUSED = "refused", _("Refusé(e)")
    DECLINED = "declined", _("Place déclinée")


OPEN_STATUSES = (Status.APPLIED, Status.ACTIVE, Status.WAITLISTED)
