"""Reference data: NAF activity codes and communes.

Both are loaded by data migrations from versioned sources recorded in
docs/reference-data.md, so every database (demo, tests, production) holds them.
"""

from __future__ import annotations

import math
import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

NAF_REV2 = "NAFRev2"


class NafCode(models.Model):
    """One sub-class of the French activity nomenclature (NAF), e.g. 43.22A.

    The nomenclature version is kept beside each code: NAF 2025 replaces rev. 2
    in 2027 and both will live side by side for a while.
    """

    code = models.CharField(_("code"), max_length=8)
    version = models.CharField(_("version de la nomenclature"), max_length=16, default=NAF_REV2)
    label = models.CharField(_("libellé"), max_length=255)
    class_code = models.CharField(_("classe"), max_length=8)
    division = models.CharField(_("division"), max_length=2)
    division_label = models.CharField(_("libellé de la division"), max_length=255)
    section = models.CharField(_("section"), max_length=1)
    section_label = models.CharField(_("libellé de la section"), max_length=255)

    class Meta:
        verbose_name = _("code NAF")
        verbose_name_plural = _("codes NAF")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="naf_unique_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


def french_order(name: str) -> tuple[str, str]:
    """Sort key of a French name as a dictionary orders it: accents and case ignored,
    hyphens and apostrophes read as spaces ("Beaumont-en-Véron" before "Beaumont-Village",
    "Brèches" before "Brizay"); the name itself breaks ties."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return re.sub(r"[-'’\s]+", " ", folded).replace("œ", "oe"), name


def communes_in_french_order() -> list[Commune]:
    """Every commune, as a French reader expects the list (the database's order is by code point)."""
    return sorted(Commune.objects.all(), key=lambda c: french_order(c.name))


class Commune(models.Model):
    """A French commune, identified by its INSEE code (COG)."""

    insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    postcode = models.CharField(_("code postal"), max_length=5)
    department = models.CharField(_("département"), max_length=3)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.postcode})"

    def distance_km(self, other: Commune) -> float:
        """Great-circle distance between the two town centres, in kilometres."""
        return haversine_km(self.latitude, self.longitude, other.latitude, other.longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
