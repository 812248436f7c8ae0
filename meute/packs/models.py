"""Firms of a cluster pooling their action: capability profiles, tenders, their teams ("packs").

A cluster is a :class:`~meute.networks.models.Network`; a member firm is an
:class:`~meute.accounts.models.Organisation` whose people are active members of it.
Amounts and turnovers are in thousands of euros (k€), as tenders state them.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Organisation, Person
from meute.networks.models import Network
from meute.packs.trades import CertKind, Trade
from meute.reference.models import Commune


class FirmProfile(models.Model):
    """What a member firm can do for the cluster's tenders."""

    network = models.ForeignKey(
        Network, verbose_name=_("groupement"), on_delete=models.CASCADE, related_name="firm_profiles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="firm_profiles"
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="firm_profiles",
        help_text=_("La personne qui répond aux invitations de l'entreprise"),
    )
    trades = models.JSONField(_("corps de métier"), default=list)
    # A ceiling each: beyond the largest French firms is a typing error (and past a PostgreSQL smallint).
    turnover_keur = models.PositiveIntegerField(
        _("chiffre d'affaires annuel (k€)"), validators=[MaxValueValidator(100_000_000)]
    )
    workforce = models.PositiveSmallIntegerField(
        _("effectif"), default=0, validators=[MaxValueValidator(30_000)]
    )
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT)
    radius_km = models.PositiveSmallIntegerField(
        _("rayon d'intervention (km)"), default=45, validators=[MaxValueValidator(1_000)]
    )
    references = models.TextField(_("références"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("profil d'entreprise")
        verbose_name_plural = _("profils d'entreprise")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="firm_profile_once_per_cluster")
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def turnover_band(self) -> str:
        """A band, for whoever may not see the figure itself."""
        for limit, label in ((250, "< 250 k€"), (1000, "250 k€ – 1 M€"), (5000, "1 – 5 M€")):
            if self.turnover_keur < limit:
                return label
        return "> 5 M€"

    def trade_labels(self) -> list[str]:
        return [str(Trade(t).label) for t in self.trades if t in Trade.values]


class Certification(models.Model):
    firm = models.ForeignKey(
        FirmProfile, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("qualification"), max_length=20, choices=CertKind.choices)
    valid_until = models.DateField(_("valable jusqu'au"))
    number = models.CharField(_("numéro"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["kind", "-valid_until"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.valid_until:%d/%m/%Y})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until >= day


class CollaborationSource(models.TextChoices):
    WON = "won", _("Groupement lauréat")
    DECLARED = "declared", _("Déclarée par les deux entreprises")


class Collaboration(models.Model):
    """Two firms of the cluster worked together. A declared one counts once both firms said so."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="collaborations")
    firm_a = models.ForeignKey(FirmProfile, on_delete=models.CASCADE, related_name="+")
    firm_b = models.ForeignKey(FirmProfile, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("origine"), max_length=10, choices=CollaborationSource.choices)
    tender = models.ForeignKey(
        "packs.Tender", on_delete=models.SET_NULL, null=True, blank=True, related_name="collaborations"
    )
    confirmed_a = models.BooleanField(default=False)
    confirmed_b = models.BooleanField(default=False)
    year = models.PositiveSmallIntegerField(_("année"))
    note = models.CharField(_("chantier"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            # Stored with firm_a < firm_b, so a pair reads the same both ways.
            models.CheckConstraint(condition=Q(firm_a__lt=F("firm_b")), name="collaboration_ordered_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.firm_a} + {self.firm_b} ({self.year})"

    @property
    def counts(self) -> bool:
        return self.source == CollaborationSource.WON or (self.confirmed_a and self.confirmed_b)


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    INVITED = "invited", _("Invitations envoyées")
    SUBMITTED = "submitted", _("Offre déposée")
    WON = "won", _("Gagné")
    LOST = "lost", _("Perdu")


class Tender(models.Model):
    """A call for tenders the cluster answers together, and the state of its pack."""

    network = models.ForeignKey(
        Network, verbose_name=_("groupement"), on_delete=models.CASCADE, related_name="tenders"
    )
    title = models.CharField(_("objet"), max_length=200)
    buyer = models.CharField(_("acheteur"), max_length=200)
    commune = models.ForeignKey(Commune, verbose_name=_("lieu d'exécution"), on_delete=models.PROTECT)
    deadline = models.DateTimeField(_("date limite de remise des offres"))
    reference = models.CharField(_("référence de l'avis"), max_length=60, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The weights of the team builder, shown and adjustable per tender.
    radius_km = models.FloatField(_("rayon (km)"), default=45)
    capacity_share = models.FloatField(_("part du chiffre d'affaires"), default=0.3)
    firm_cost = models.FloatField(_("coût par entreprise"), default=15)
    together_bonus = models.FloatField(_("bonus par paire ayant déjà travaillé ensemble"), default=10)
    status = models.CharField(
        _("état"), max_length=10, choices=TenderStatus.choices, default=TenderStatus.DRAFT
    )
    lead = models.ForeignKey(
        FirmProfile,
        verbose_name=_("mandataire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    respond_by = models.DateField(_("réponse des entreprises avant le"), null=True, blank=True)

    class Meta:
        verbose_name = _("appel d'offres")
        verbose_name_plural = _("appels d'offres")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title


class Lot(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    code = models.CharField(_("lot"), max_length=12)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    trade = models.CharField(_("corps de métier"), max_length=20, choices=Trade.choices)
    amount_keur = models.PositiveIntegerField(_("montant estimé (k€)"))
    cert = models.CharField(_("qualification exigée"), max_length=20, choices=CertKind.choices, blank=True)
    cpv = models.CharField(_("code CPV"), max_length=12, blank=True)
    firm = models.ForeignKey(
        FirmProfile,
        verbose_name=_("entreprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lots",
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["tender", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "code"], name="lot_code_once_per_tender")]

    def __str__(self) -> str:
        return f"{self.code} — {self.get_trade_display()}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")


class Invitation(models.Model):
    """A firm asked to join a tender's pack for its lots."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="invitations")
    firm = models.ForeignKey(FirmProfile, on_delete=models.CASCADE, related_name="invitations")
    status = models.CharField(
        _("réponse"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    amount_won_keur = models.PositiveIntegerField(_("montant obtenu (k€)"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["tender", "firm__organisation__name"]
        constraints = [models.UniqueConstraint(fields=["tender", "firm"], name="invitation_once_per_firm")]

    def __str__(self) -> str:
        return f"{self.firm} — {self.tender}"


class DocumentKind(models.TextChoices):
    MEMOIRE = "memoire", _("Mémoire technique")
    DC = "dc", _("Formulaires DC1, DC2")
    PRICES = "prices", _("Bordereau de prix")
    INSURANCE = "insurance", _("Attestation d'assurance")
    OTHER = "other", _("Autre")


class PackDocument(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to="packs/%Y/")
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document partagé")
        verbose_name_plural = _("documents partagés")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="checklist")
    label = models.CharField(_("étape"), max_length=200)
    done = models.BooleanField(_("fait"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["tender", "position", "id"]

    def __str__(self) -> str:
        return self.label


class PurchaseKind(models.TextChoices):
    MATERIALS = "materials", _("Matériaux")
    INSURANCE = "insurance", _("Assurance")
    TRAINING = "training", _("Formation")
    MACHINE = "machine", _("Machine partagée")


class PurchaseStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    REACHED = "reached", _("Seuil atteint")
    FAILED = "failed", _("Clos sans atteindre le seuil")


class Purchase(models.Model):
    """A group purchase a member proposes; it closes when the threshold is reached or the date passes."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="purchases")
    organiser = models.ForeignKey(
        Person, verbose_name=_("organisateur"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=PurchaseKind.choices)
    title = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("précisions"), blank=True, max_length=2000)
    unit = models.CharField(_("unité"), max_length=30, help_text=_("tonne, m², place, jour…"))
    unit_price = models.DecimalField(_("prix unitaire négocié (€ HT)"), max_digits=10, decimal_places=2)
    threshold = models.PositiveIntegerField(_("seuil (quantité totale)"))
    closes_on = models.DateField(_("clôture le"))
    status = models.CharField(
        _("état"), max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("achat groupé")
        verbose_name_plural = _("achats groupés")
        ordering = ["closes_on", "id"]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantité"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["purchase", "id"]
        constraints = [models.UniqueConstraint(fields=["purchase", "person"], name="pledge_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.quantity}"
