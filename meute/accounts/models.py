"""People, organisations, user accounts and consents."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meute.accounts.validators import format_phone, normalise_phone, validate_siren, validate_siret
from meute.reference.models import Commune, NafCode


class EmailUserManager(UserManager["User"]):
    """Users log in by e-mail: the e-mail is also kept as the username."""

    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> User:
        email = self.normalize_email(email or username).lower()
        return super()._create_user_object(email, email, password, **extra)  # type: ignore[misc]

    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.pop("username", None)
        return super().create_user(email, email, password, **extra)  # type: ignore[arg-type]

    def create_superuser(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.pop("username", None)
        return super().create_superuser(email, email, password, **extra)  # type: ignore[arg-type]

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """An account. `is_staff` marks CCI staff (platform administration)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)

    @property
    def is_cci_staff(self) -> bool:
        return bool(self.is_active and self.is_staff)


class HeadcountBand(models.TextChoices):
    NONE = "0", _("Sans salarié")
    MICRO = "1-9", _("1 à 9 salariés")
    SMALL = "10-49", _("10 à 49 salariés")
    MEDIUM = "50-249", _("50 à 249 salariés")
    LARGE = "250+", _("250 salariés et plus")


class Organisation(models.Model):
    """A company (or any employer) a person works for."""

    name = models.CharField(_("raison sociale"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validate_siret], help_text=_("14 chiffres")
    )
    naf = models.ForeignKey(
        NafCode, verbose_name=_("code NAF"), on_delete=models.PROTECT, null=True, blank=True
    )
    headcount = models.CharField(_("effectif"), max_length=8, choices=HeadcountBand.choices, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    website = models.URLField(_("site internet"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="organisation_unique_siret"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A SIRET starts with the SIREN of its company: keep the two consistent.
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        if self.siret and self.siren and self.siret[:9] != self.siren:
            raise ValidationError({"siret": _("le SIRET ne commence pas par le SIREN de l'organisation")})


#: Working languages a person may declare (the chamber's networks: French, English, the France–Portugal club…).
LANGUAGES_SPOKEN = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("pt", _("portugais")),
    ("es", _("espagnol")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("ar", _("arabe")),
    ("zh", _("chinois")),
]


class Person(models.Model):
    """A person in the networks, with or without an account."""

    user = models.OneToOneField(
        User,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)
    trade = models.CharField(
        _("métier déclaré"), max_length=150, blank=True, help_text=_("Si le code NAF ne dit pas votre métier")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_decision_maker = models.BooleanField(_("décideur"), default=False)
    offers = models.TextField(_("ce que je propose"), blank=True, max_length=2000)
    seeks = models.TextField(_("ce que je cherche"), blank=True, max_length=2000)
    tags = models.JSONField(_("mots-clés"), default=list, blank=True)
    # Languages the person works in (ISO 639-1 codes from LANGUAGES_SPOKEN).
    languages = models.JSONField(_("langues de travail"), default=list, blank=True)
    # Kept under MEDIA_ROOT, served only to the person (see accounts.account_views.photo).
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["email"])]

    def get_languages_display(self) -> str:
        """The working languages in words, in the order of LANGUAGES_SPOKEN."""
        names = dict(LANGUAGES_SPOKEN)
        return ", ".join(str(names[code]) for code, _label in LANGUAGES_SPOKEN if code in self.languages)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    def clean(self) -> None:
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.messages}) from exc
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            raise ValidationError({"tags": _("les mots-clés doivent être une liste de textes")})

    def has_consent(self, purpose: str) -> bool:
        """Whether the person's latest decision for `purpose` is a yes."""
        latest = self.consents.filter(purpose=purpose).order_by("-given_at", "-id").first()
        return bool(latest and latest.granted)

    @property
    def naf(self) -> NafCode | None:
        return self.organisation.naf if self.organisation else None


class ConsentPurpose(models.TextChoices):
    DIRECTORY = "directory", _("Apparaître dans les listes de membres")
    MATCHMAKING = "matchmaking", _("Être proposé(e) pour des rencontres d'affaires")


# The text each consent refers to, by version: a new wording gets a new version,
# and the old one stays here so every recorded consent still says what was accepted.
CONSENT_TEXTS: dict[str, dict[str, str]] = {
    ConsentPurpose.DIRECTORY: {
        "2026-01": "J'accepte que mon nom, ma fonction et mon entreprise soient visibles des autres "
        "membres des réseaux auxquels j'appartiens."
    },
    ConsentPurpose.MATCHMAKING: {
        "2026-01": "J'accepte que ce que je propose et ce que je cherche serve à me proposer des "
        "rencontres avec d'autres membres."
    },
}
CURRENT_CONSENT_VERSION = "2026-01"


def current_consent_text(purpose: str) -> str:
    """The wording a person agrees to today for one purpose."""
    return CONSENT_TEXTS.get(purpose, {}).get(CURRENT_CONSENT_VERSION, "")


class Consent(models.Model):
    """One decision of a person about one use of their data (history kept: never updated)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("usage"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("accordé"))
    text_version = models.CharField(_("version du texte"), max_length=20)
    given_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_purpose_display()} ({self.text_version})"

    @property
    def text(self) -> str:
        return CONSENT_TEXTS.get(self.purpose, {}).get(self.text_version, "")


class SignupRequest(models.Model):
    """One sign-up form sent, kept an hour to cap the e-mails sent to one address and from one client.

    The e-mail is kept only as a keyed hash (`meute.accounts.tokens.email_digest`):
    enough to count requests for it, not to read it back.
    """

    email_digest = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demande d'inscription")
        verbose_name_plural = _("demandes d'inscription")
        indexes = [
            models.Index(fields=["email_digest", "created_at"]),
            models.Index(fields=["client_ip", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_ip or '?'} — {self.created_at:%Y-%m-%d %H:%M}"
