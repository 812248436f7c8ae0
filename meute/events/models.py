"""Events, registrations, attendance, speed-meeting plans, booked meetings and their outcomes."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.core.forms import validate_date_range
from meute.networks.models import Network
from meute.reference.models import Commune

# What one event can physically hold. Both databases store these in a
# PostgreSQL smallint (at most 32,767; SQLite would keep anything), and the
# engine's work grows with them: the limits are checked by the forms and the
# models, the same on SQLite and PostgreSQL.
#: Seats of an event.
MAX_CAPACITY = 100_000
#: A business-meeting day: slots in a day, tables in a room, minutes of a slot.
MAX_SLOTS = 96
MAX_TABLES = 1_000
MAX_MINUTES = 24 * 60
#: Hours a meeting request waits for its answer: a month.
MAX_TTL_HOURS = 30 * 24
#: A speed-meeting evening: people at a table, rounds, minutes of a round or a break.
MAX_TABLE_SIZE = 12
MAX_ROUNDS = 60
MAX_ROUND_MINUTES = 240
#: Table numbers stay below 32,767 however many tables follow the first one.
MAX_FIRST_TABLE = 9_999
#: A seat's table number is a PostgreSQL smallint.
MAX_TABLE_NUMBER = 32_767
#: A whole event fits in a day.
MAX_DAY_MINUTES = 24 * 60


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Réunion du réseau")
    EVENING = "evening", _("Soirée de networking")
    SPEED = "speed", _("Rendez-vous d'affaires express")
    BUSINESS_DAY = "business_day", _("Journée de rendez-vous d'affaires")
    TRAINING = "training", _("Formation")
    VISIT = "visit", _("Visite d'entreprise")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Membres du réseau")
    PARTNERS = "partners", _("Membres du réseau et des réseaux partenaires")
    PUBLIC = "public", _("Ouvert à tous")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    CANCELLED = "cancelled", _("Annulé")


class Event(models.Model):
    network = models.ForeignKey(
        Network,
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Vide pour un événement de la CCI"),
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("début"), validators=[validate_date_range])
    ends_at = models.DateTimeField(_("fin"), validators=[validate_date_range])
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Vide : sans limite"),
        validators=[MaxValueValidator(MAX_CAPACITY)],
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    partner_networks = models.ManyToManyField(
        Network, verbose_name=_("réseaux partenaires"), blank=True, related_name="partner_events"
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True, validators=[validate_date_range]
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, validators=[validate_date_range]
    )
    price = models.CharField(
        _("tarif"), max_length=100, blank=True, help_text=_("Affiché seulement, ex. « 25 € repas compris »")
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    recurrence = models.CharField(
        _("récurrence (RRULE iCalendar)"),
        max_length=200,
        blank=True,
        help_text=_("Ex. FREQ=MONTHLY;BYDAY=1TU;COUNT=10 pour le premier mardi du mois"),
    )
    series = models.ForeignKey(
        "self",
        verbose_name=_("série"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    # Business-meeting days: the day is cut into slots, each with `tables` tables.
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    slots = models.PositiveSmallIntegerField(
        _("nombre de créneaux"), default=0, validators=[MaxValueValidator(MAX_SLOTS)]
    )
    tables = models.PositiveSmallIntegerField(
        _("nombre de tables"), default=0, validators=[MaxValueValidator(MAX_TABLES)]
    )
    request_ttl_hours = models.PositiveSmallIntegerField(
        _("délai de réponse aux demandes (heures)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TTL_HOURS)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("la fin doit venir après le début")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("la clôture doit venir après l'ouverture")
        if self.recurrence:
            from meute.events.recurrence import parse_rule

            try:
                parse_rule(self.recurrence)
            except ValueError as exc:
                errors["recurrence"] = str(exc)
        if (self.slots or 0) * (self.slot_minutes or 0) > MAX_DAY_MINUTES:
            errors["slots"] = _("%(n)s créneaux de %(m)s minutes ne tiennent pas dans une journée") % {
                "n": self.slots,
                "m": self.slot_minutes,
            }
        elif self.kind == EventKind.BUSINESS_DAY and (self.slots < 1 or self.tables < 1):
            errors["slots"] = _("une journée de rendez-vous d'affaires a besoin de créneaux et de tables")
        if self.audience == Audience.MEMBERS and self.network_id is None:
            errors["audience"] = _("un événement de la CCI est ouvert à tous ou aux réseaux partenaires")
        if errors:
            raise ValidationError(errors)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def organiser_name(self) -> str:
        return self.network.name if self.network else str(_("CCI Touraine"))

    def registration_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        if self.status != EventStatus.PUBLISHED or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now > self.registration_closes_at)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit(e)")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulé")


class CheckIn(models.TextChoices):
    """What the door noted of one registration on the day (``Registration.attendance``).

    This is the check-in of an event's registrations: it decides who is seated
    in a speed-meeting plan and whose meetings count in the outcomes. It is not
    the board's register of a network's meetings, which counts members present,
    excused, absent or sending a substitute (:class:`meute.attendance.models.AttendanceRecord`)
    and feeds the network's attendance rule.
    """

    UNKNOWN = "", _("Non relevé")
    PRESENT = "present", _("Présent(e)")
    LATE = "late", _("En retard")
    ABSENT = "absent", _("Absent(e)")
    EXCUSED = "excused", _("Excusé(e)")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("statut"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    attendance = models.CharField(
        _("présence"), max_length=10, choices=CheckIn.choices, blank=True, default=""
    )
    checked_in_at = models.DateTimeField(_("arrivée"), null=True, blank=True)
    walk_in = models.BooleanField(_("venu(e) sans inscription"), default=False)
    # What the participant says for this event (prefilled from their person record).
    offers = models.TextField(_("ce que je propose"), blank=True, max_length=2000)
    seeks = models.TextField(_("ce que je cherche"), blank=True, max_length=2000)
    wishes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="wished_by",
        verbose_name=_("personnes à rencontrer"),
    )
    avoids = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="avoided_by", verbose_name=_("personnes à éviter")
    )
    available_slots = models.JSONField(_("créneaux disponibles"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class CalendarFeed(models.Model):
    """A person's secret calendar address: whoever has the link sees their events."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("À générer")
    RUNNING = "running", _("Calcul en cours")
    READY = "ready", _("Prêt à publier")
    PUBLISHED = "published", _("Publié")
    FAILED = "failed", _("Échec du calcul")


class RotationPlan(models.Model):
    """The format and the schedule of a speed-meeting event."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="rotation_plan")
    table_size = models.PositiveSmallIntegerField(
        _("personnes par table"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_TABLE_SIZE)],
    )
    rounds = models.PositiveSmallIntegerField(
        _("nombre de tours"), default=6, validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)]
    )
    round_minutes = models.PositiveSmallIntegerField(
        _("durée d'un tour (minutes)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUND_MINUTES)],
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("pause entre les tours (minutes)"), default=2, validators=[MaxValueValidator(MAX_ROUND_MINUTES)]
    )
    first_table = models.PositiveSmallIntegerField(
        _("numéro de la première table"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FIRST_TABLE)],
    )
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0)
    figures = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan de rotation")
        verbose_name_plural = _("plans de rotation")

    def __str__(self) -> str:
        return f"{self.event}"


class Seat(models.Model):
    """One participant at one table in one round."""

    def __str__(self) -> str:
        return f"round {self.round_no}, table {self.table_no}"

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="seats")
    round_no = models.PositiveSmallIntegerField()
    table_no = models.PositiveSmallIntegerField()
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seats")
    locked = models.BooleanField(default=False)
    changed_in_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["round_no", "table_no", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "round_no", "registration"], name="seat_one_table_per_round"
            )
        ]


class PairReason(models.Model):
    """Why two participants were seated together, for the organiser and the participants."""

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="reasons")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField(default=0)
    why = models.TextField(blank=True)
    #: for the organiser only: what lowered the weight (probable competitors)
    caution = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "first", "second"], name="pair_reason_unique")]

    def __str__(self) -> str:
        return self.why[:60]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")
    EXPIRED = "expired", _("Expirée")


class MeetingRequest(models.Model):
    """A request for a one-to-one meeting at a business-meeting day."""

    def __str__(self) -> str:
        return f"{self.sender_id} -> {self.recipient_id} ({self.status})"

    def status_at(self, now: dt.datetime) -> str:
        """The status as of `now`: a pending request past its deadline reads as expired.

        Reads never write the expiry; `meute expire_requests` (daily) and the
        writes that depend on it (answering, asking, placing) record it.
        """
        if self.status == RequestStatus.PENDING and self.expires_at <= now:
            return RequestStatus.EXPIRED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def current_status_label(self) -> str:
        return str(RequestStatus(self.current_status).label)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received_requests")
    message = models.TextField(_("message"), blank=True, max_length=1000)
    priority = models.PositiveSmallIntegerField(_("priorité"), default=1)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    slot = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(MAX_SLOTS)])
    table = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_TABLES)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "recipient"], name="meeting_request_once"),
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="meeting_request_not_self"
            ),
        ]


class MeetingRating(models.Model):
    """What a meeting brought, in the words of one of the two people."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="ratings_given")
    other = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="ratings_received")
    useful = models.BooleanField(_("rencontre utile"))
    follow_up = models.BooleanField(_("suite prévue"), default=False)
    contract_signed = models.BooleanField(_("contrat signé"), default=False)
    amount = models.DecimalField(
        _("montant du contrat (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rater", "other"], name="rating_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.rater_id} on {self.other_id}"
