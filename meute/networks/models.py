"""Networks (clubs, associations, communities, clusters, chamber programmes) and memberships."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.core.forms import validate_date_range
from meute.networks.choices import (
    MANAGER_ROLES,
    OPEN_STATUSES,
    RHYTHM_PER_MONTH,
    AdmissionMode,
    Kind,
    MeetingFormat,
    Purpose,
    Rhythm,
    Role,
    Status,
)
from meute.networks.search import stems
from meute.reference.models import Commune, NafCode

# The choices live in `choices` (search reads them without importing the models); they are
# named here too, where every app has always imported them from.
__all__ = [
    "MANAGER_ROLES",
    "OPEN_STATUSES",
    "RHYTHM_PER_MONTH",
    "AdmissionMode",
    "Kind",
    "MeetingFormat",
    "Membership",
    "MembershipQuerySet",
    "Network",
    "Proposal",
    "Purpose",
    "Rhythm",
    "Role",
    "Status",
    "network_search_text",
]


class Network(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    tagline = models.CharField(_("en une phrase"), max_length=200, blank=True)
    description = models.TextField(_("présentation"), blank=True, max_length=5000)
    purposes = models.JSONField(_("raisons d'adhérer"), default=list, blank=True)
    sectors = models.JSONField(
        _("secteurs"), default=list, blank=True, help_text=_("Sections NAF ; vide pour tous secteurs")
    )
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    territory = models.CharField(_("territoire"), max_length=150, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune des rencontres"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    rhythm = models.CharField(_("rythme des rencontres"), max_length=20, choices=Rhythm.choices)
    formats = models.JSONField(_("formats des rencontres"), default=list, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("temps à donner (heures par mois)"),
        default=3,
        help_text=_("Estimation pour un membre"),
        validators=[MaxValueValidator(200)],
    )
    member_cap = models.PositiveIntegerField(
        _("nombre maximal de membres"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    admission_mode = models.CharField(_("admission"), max_length=20, choices=AdmissionMode.choices)
    one_seat_per_profession = models.BooleanField(_("un siège par métier"), default=False)
    refuses_solicitation = models.BooleanField(
        _("refuse toute sollicitation commerciale"),
        default=False,
        help_text=_("Les fonctions d'affaires (recommandations, export de contacts) sont alors coupées."),
    )
    charter = models.TextField(_("charte"), blank=True, max_length=20_000)
    charter_version = models.CharField(_("version de la charte"), max_length=20, blank=True)
    languages = models.JSONField(_("langues"), default=list, blank=True)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=20, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    founded_on = models.DateField(
        _("date de création"), null=True, blank=True, validators=[validate_date_range]
    )
    dues_amount = models.DecimalField(
        _("cotisation annuelle (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    is_published = models.BooleanField(_("publié dans l'annuaire"), default=True)
    # Folded and stemmed words of the network's texts, kept up to date by save():
    # search works the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_cap__isnull=True) | Q(member_cap__gte=1), name="network_cap_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field, choices in (("purposes", Purpose), ("formats", MeetingFormat)):
            values = getattr(self, field)
            bad = [v for v in values if v not in choices.values] if isinstance(values, list) else [values]
            if bad:
                errors[field] = _("valeurs inconnues : %(values)s") % {"values": ", ".join(map(str, bad))}
        if self.refuses_solicitation and not self.charter.strip():
            errors["charter"] = _("un réseau qui refuse la sollicitation commerciale doit publier sa charte")
        if self.charter.strip() and not self.charter_version.strip():
            errors["charter_version"] = _("indiquez la version de la charte")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = network_search_text(self)
        super().save(*args, **kwargs)

    @property
    def business_features_enabled(self) -> bool:
        """Referrals and contact export are off in networks whose charter refuses solicitation."""
        return not self.refuses_solicitation

    def purpose_labels(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purposes if p in Purpose.values]

    def format_labels(self) -> list[str]:
        return [str(MeetingFormat(f).label) for f in self.formats if f in MeetingFormat.values]


def network_search_text(network: Network) -> str:
    """The stems a network is found by in the directory (see :mod:`meute.networks.search`)."""
    section_labels = (
        NafCode.objects.filter(section__in=network.sectors).values_list("section_label", flat=True).distinct()
        if network.sectors
        else []
    )
    parts = [
        network.name,
        network.tagline,
        network.description,
        network.territory,
        str(Kind(network.kind).label) if network.kind in Kind.values else "",
        " ".join(network.themes or []),
        " ".join(str(Purpose(p).label) for p in network.purposes or [] if p in Purpose.values),
        " ".join(str(MeetingFormat(f).label) for f in network.formats or [] if f in MeetingFormat.values),
        " ".join(section_labels),
        network.commune.name if network.commune_id and network.commune else "",
    ]
    return " " + " ".join(sorted(set(stems(" ".join(parts))))) + " "


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        """Memberships that make someone a member today (not applicants, waiting or gone)."""
        return self.filter(status=Status.ACTIVE)

    def managing(self) -> MembershipQuerySet:
        """Active memberships that carry a board role (president, board, permanent staff)."""
        return self.active().filter(role__in=MANAGER_ROLES)

    def waiting_in_line(self) -> MembershipQuerySet:
        """The waiting list in its order: by place in the queue, then arrival.

        Someone without a place (``queue_position`` empty, e.g. an imported row) comes after
        those who have one, on every database: SQLite sorts an empty value first, PostgreSQL
        last, so the order is spelled out.
        """
        return self.filter(status=Status.WAITLISTED).order_by(
            models.F("queue_position").asc(nulls_last=True), "created_at", "id"
        )


class Membership(models.Model):
    """A person's place in a network over a period. Rows are never deleted: the
    history feeds the observatory's growth figures."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    # Co-optation: the active member who vouches for the applicant, and when they confirmed.
    sponsor = models.ForeignKey(
        Person,
        verbose_name=_("parrain ou marraine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_memberships",
    )
    sponsor_confirmed_at = models.DateTimeField(_("parrainage confirmé le"), null=True, blank=True)
    # Waiting list: smaller comes first; managers may reorder.
    queue_position = models.PositiveIntegerField(_("rang sur la liste d'attente"), null=True, blank=True)
    # A seat offered to a waitlisted person is reserved for them until it expires.
    offered_at = models.DateTimeField(_("place proposée le"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offre valable jusqu'au"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True, max_length=2000)
    charter_version = models.CharField(_("version de la charte acceptée"), max_length=20, blank=True)
    charter_accepted_at = models.DateTimeField(_("charte acceptée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["network", "person"]
        constraints = [
            # At most one open membership per person and network; past ones stay.
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(status__in=["applied", "active", "waitlisted"]),
                name="membership_one_open_per_person_network",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.network} ({self.get_status_display()})"

    @property
    def is_manager(self) -> bool:
        return self.status == Status.ACTIVE and self.role in MANAGER_ROLES

    @property
    def has_seat_offer(self) -> bool:
        """A seat is offered to this waitlisted person and the offer has not expired."""
        from django.utils import timezone

        return (
            self.status == Status.WAITLISTED
            and self.offer_expires_at is not None
            and self.offer_expires_at > timezone.now()
        )

    @property
    def awaits_sponsor(self) -> bool:
        return (
            self.status == Status.APPLIED
            and self.sponsor_id is not None
            and self.sponsor_confirmed_at is None
        )


def _proposal_token() -> str:
    return secrets.token_urlsafe(32)


class Proposal(models.Model):
    """A member's invitation to someone, by e-mail, to apply to a network by co-optation.

    A proposal files no application: the address receives a link (the token),
    and only whoever opens it applies, if they wish, with the member's
    sponsorship. So a member learns nothing of the address (whether it is
    someone's on Meute, a member's), and no one becomes a candidate without
    asking. Unused proposals are deleted once expired.
    """

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="proposals"
    )
    sponsor = models.ForeignKey(
        Person, verbose_name=_("membre qui propose"), on_delete=models.CASCADE, related_name="proposals_made"
    )
    email = models.EmailField(_("adresse e-mail invitée"))
    token = models.CharField(max_length=64, unique=True, default=_proposal_token, editable=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("candidature déposée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("proposition de candidature")
        verbose_name_plural = _("propositions de candidature")
        indexes = [
            models.Index(fields=["network", "created_at"]),
            models.Index(fields=["sponsor", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} → {self.email} ({self.network})"
