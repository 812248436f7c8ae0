"""French grammar for names in sentences: « Réunions de Puissance 20 », « d'Aceos », « des Soirées ».

Templates write ``{% blocktranslate with n=network.name|de %}Réunions {{ n }}{% endblocktranslate %}``:
in French the filter gives the name with its preposition, contracted as French
writes it; in any other language, the name alone (the translation carries its
own "of").
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()

_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")


@register.filter
def de(name: object) -> str:
    """« de » + a name: de Puissance 20, d'Aceos, des Soirées de la CCI, du Club des enseignes, de La Ruche.

    >>> from django.utils import translation
    >>> with translation.override("fr"):
    ...     [de(n) for n in ("Puissance 20", "Aceos", "Les Soirées de la CCI", "Le Club", "La Ruche", "Inès")]
    ['de Puissance 20', "d'Aceos", 'des Soirées de la CCI', 'du Club', 'de La Ruche', "d'Inès"]
    """
    text = str(name)
    if not (get_language() or "fr").startswith("fr") or not text:
        return text
    if text.startswith("Les "):
        return "des " + text[4:]
    if text.startswith("Le "):
        return "du " + text[3:]
    if text[0].lower() in _VOWELS:
        return "d'" + text
    return "de " + text
