"""The observatory's data: member lists imported, their records, the people they are linked into.

- :class:`ListImport` — one file a network sent (its date, the mapping used, counts,
  the problems found). The uploaded bytes are kept only while the list waits for its
  mapping to be confirmed, and deleted when it is imported or discarded.
- :class:`SourceRecord` — one row of an imported list, normalised as the linkage
  reads it (``meute.engine.linkage.columns.Record``), with its lawful basis and source.
- :class:`ObservedPerson` — one person as the linkage sees them: the records of
  one cluster; linked to Meute's own :class:`~meute.accounts.models.Person` when they
  have an account, so they are counted once.
- :class:`ListMembership` — an observed person in a network's lists over a period,
  rebuilt from the lists (arrivals from a newer list, departures once confirmed).
- :class:`ReviewPair` — a pair of records the model was unsure of, and the reviewer's
  decision (same person or not), fed back to every later linkage run.
- :class:`ColumnMapping` — the mapping last confirmed for a network, proposed next time.
- :class:`LinkageRun` — one run of the linkage over all records (the task's progress).

Imported people are the chamber's data for statistics only: nothing here is shown
in directories or to members.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import Person
from meute.networks.models import Network


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("en attente de validation")
    IMPORTED = "imported", _("importée")
    DISCARDED = "discarded", _("abandonnée")


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("Mission d'intérêt public de la CCI (RGPD art. 6.1.e)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Intérêt légitime (RGPD art. 6.1.f)")
    CONSENT = "consent", _("Consentement recueilli par le réseau (RGPD art. 6.1.a)")


class ListImport(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="list_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("fichier"), max_length=200)
    list_date = models.DateField(_("date de la liste"))
    lawful_basis = models.CharField(
        _("base légale"), max_length=30, choices=LawfulBasis.choices, default=LawfulBasis.PUBLIC_TASK
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    # SHA-256 of the bytes: the same file imported twice for one network changes nothing.
    content_hash = models.CharField(_("empreinte du fichier"), max_length=64)
    # Kept only while the list waits for its mapping; emptied when imported or discarded.
    pending_data = models.BinaryField(blank=True, default=b"", editable=False)
    headers = models.JSONField(_("colonnes"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("ligne des en-têtes"), default=1)
    # {field: column index}, the fields of meute.engine.linkage.columns.FIELDS.
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    n_rows = models.PositiveIntegerField(_("lignes"), default=0)
    n_records = models.PositiveIntegerField(_("fiches importées"), default=0)
    n_skipped = models.PositiveIntegerField(_("lignes écartées"), default=0)
    # [{"row": 3, "column": "D (SIRET)", "message": "…", "level": "error"|"warning"}]
    problems = models.JSONField(_("problèmes"), default=list, blank=True)
    # Departures: the records of the earlier lists whose people are absent from this one, as
    # confirmed by a manager (ids of SourceRecord). None until confirmed.
    departures_confirmed_at = models.DateTimeField(_("départs confirmés le"), null=True, blank=True)
    departures_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    departed_records = models.JSONField(_("départs confirmés"), default=list, blank=True)
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    imported_at = models.DateTimeField(_("importée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("liste importée")
        verbose_name_plural = _("listes importées")
        ordering = ["network", "-list_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "content_hash"],
                condition=Q(status="imported"),
                name="list_import_one_file_per_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} — {self.file_name} ({self.list_date:%d/%m/%Y})"

    @property
    def errors(self) -> list[dict[str, object]]:
        return [p for p in self.problems if p.get("level") == "error"]

    @property
    def warnings(self) -> list[dict[str, object]]:
        return [p for p in self.problems if p.get("level") != "error"]


class ObservedPerson(models.Model):
    """One person across the lists: the records of one cluster of the last linkage run."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("personne inscrite sur Meute"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observed",
    )
    # Shown to staff only (review pages): the folded name of the person's first record.
    label = models.CharField(_("nom"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personne observée")
        verbose_name_plural = _("personnes observées")
        ordering = ["label", "pk"]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class SourceRecord(models.Model):
    """One row of an imported list, normalised as the linkage compares it (folded names,
    E.164 phone, SIREN, ISO dates); empty strings where the list says nothing."""

    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(_("ligne"))
    observed = models.ForeignKey(
        ObservedPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    surname = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    first_initials = models.CharField(max_length=20, blank=True)
    company = models.CharField(_("entreprise"), max_length=250, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    email_local = models.CharField(max_length=254, blank=True)
    work_domain = models.CharField(max_length=254, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    phone_kind = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    birth_date = models.CharField(_("date de naissance"), max_length=10, blank=True)
    naf = models.CharField(_("code NAF"), max_length=10, blank=True)
    joined = models.DateField(_("date d'adhésion"), null=True, blank=True)
    lawful_basis = models.CharField(_("base légale"), max_length=30, choices=LawfulBasis.choices)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("fiche importée")
        verbose_name_plural = _("fiches importées")
        ordering = ["list_import", "row"]
        constraints = [models.UniqueConstraint(fields=["list_import", "row"], name="source_record_one_row")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.surname}".strip() or f"#{self.pk}"


class ListMembership(models.Model):
    """An observed person in a network's lists from ``start_date`` to ``end_date`` (open while None)."""

    observed = models.ForeignKey(ObservedPerson, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="observed_memberships")
    start_date = models.DateField(_("arrivée"))
    end_date = models.DateField(_("départ"), null=True, blank=True)
    started_by = models.ForeignKey(
        ListImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrivals"
    )
    ended_by = models.ForeignKey(
        ListImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="departures"
    )

    class Meta:
        verbose_name = _("présence dans une liste")
        verbose_name_plural = _("présences dans les listes")
        ordering = ["network", "start_date", "pk"]
        indexes = [models.Index(fields=["network", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="list_membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.observed} — {self.network}"


class Decision(models.TextChoices):
    PENDING = "", _("à examiner")
    SAME = "same", _("même personne")
    SPLIT = "split", _("deux personnes")


class ReviewPair(models.Model):
    """Two records of the uncertain band (``record_a.pk < record_b.pk``), the model's evidence,
    and once reviewed the decision, who took it and when. Decided pairs are kept across runs."""

    record_a = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField(_("probabilité"), default=0.0)
    match_weight = models.FloatField(_("poids"), default=0.0)
    # [[comparison, weight in bits], …] in the model's order
    weights = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        _("décision"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paire à examiner")
        verbose_name_plural = _("paires à examiner")
        ordering = ["-match_weight", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="review_pair_once"),
            models.CheckConstraint(
                condition=Q(record_a__lt=models.F("record_b")), name="review_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_a} / {self.record_b}"


class ColumnMapping(models.Model):
    """The column mapping a network's last list was imported with, by header name."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="column_mapping")
    # {field: header as written in the file}
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correspondance des colonnes")
        verbose_name_plural = _("correspondances des colonnes")

    def __str__(self) -> str:
        return str(self.network)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échoué")


class LinkageRun(models.Model):
    """One linkage of every record; ``progress`` in percent for the page that waits for it."""

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # "splink" (the Fellegi–Sunter model) or "exact" (too few records to estimate it)
    method = models.CharField(max_length=10, blank=True)
    n_records = models.PositiveIntegerField(default=0)
    n_people = models.PositiveIntegerField(default=0)
    n_review = models.PositiveIntegerField(default=0)
    n_accounts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapprochement")
        verbose_name_plural = _("rapprochements")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class Dossier(models.Model):
    """The yearly dossier at one date, built in the background and kept: its figures (as JSON,
    so an erasure later does not change what was published), the PDF and the XLSX workbook.
    ``published`` dossiers hold suppressed figures only and are public; the others are the
    chamber's internal copies."""

    at = models.DateField(_("au"))
    published = models.BooleanField(_("publié"), default=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    figures = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(blank=True, default=b"", editable=False)
    xlsx = models.BinaryField(blank=True, default=b"", editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y}"
