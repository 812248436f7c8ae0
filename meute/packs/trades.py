"""The controlled list of building trades a firm may declare, tied to NAF rev. 2 classes.

Several trades share a class (charpente and couverture are both 43.91; plomberie
and chauffage 43.22): the NAF code suggests trades, the firm confirms them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trade(models.TextChoices):
    GROS_OEUVRE = "gros_oeuvre", _("Gros œuvre, maçonnerie")
    CHARPENTE = "charpente", _("Charpente")
    COUVERTURE = "couverture", _("Couverture")
    MENUISERIE = "menuiserie", _("Menuiserie")
    PLOMBERIE = "plomberie", _("Plomberie")
    ELECTRICITE = "electricite", _("Électricité")
    PLATRERIE = "platrerie", _("Plâtrerie")
    PEINTURE = "peinture", _("Peinture")
    CARRELAGE = "carrelage", _("Carrelage")
    ISOLATION = "isolation", _("Isolation")
    CHAUFFAGE = "chauffage", _("Chauffage")
    VRD = "vrd", _("Voirie et réseaux divers (VRD)")


#: NAF rev. 2 classes of each trade.
NAF_CLASSES: dict[str, tuple[str, ...]] = {
    Trade.GROS_OEUVRE: ("41.20", "43.99"),
    Trade.CHARPENTE: ("43.91",),
    Trade.COUVERTURE: ("43.91",),
    Trade.MENUISERIE: ("43.32",),
    Trade.PLOMBERIE: ("43.22",),
    Trade.ELECTRICITE: ("43.21",),
    Trade.PLATRERIE: ("43.31",),
    Trade.PEINTURE: ("43.34",),
    Trade.CARRELAGE: ("43.33",),
    Trade.ISOLATION: ("43.29",),
    Trade.CHAUFFAGE: ("43.22",),
    Trade.VRD: ("42.11",),
}


def trades_of_naf(code: str) -> list[str]:
    """The trades a NAF code suggests ("43.91A" -> charpente, couverture)."""
    klass = code[:5]
    return [trade for trade, classes in NAF_CLASSES.items() if klass in classes]


def naf_classes_of(trade: str) -> tuple[str, ...]:
    return NAF_CLASSES.get(trade, ())


class CertKind(models.TextChoices):
    RGE = "RGE", _("RGE (reconnu garant de l'environnement)")
    QUALIBAT = "Qualibat", _("Qualibat")
