"""Personal access tokens for the REST API.

The secret is shown once, when the token is made; only its SHA-256 digest is
kept, with a short public prefix to find the row. A token is scoped (read, or
read and write), expires, and can be revoked from "Mon compte".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Lecture seule")
    READ_WRITE = "read-write", _("Lecture et écriture")


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(_("nom"), max_length=100)
    # Public part of the token ("meute_<prefix>_<secret>"), unique: finds the row without the secret.
    prefix = models.CharField(max_length=16, unique=True)
    # SHA-256 of the whole token, hex: a random 256-bit secret needs no slow hash.
    digest = models.CharField(max_length=64)
    scope = models.CharField(_("droits"), max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'accès")
        verbose_name_plural = _("jetons d'accès")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_valid(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now  # type: ignore[operator]

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.READ_WRITE
