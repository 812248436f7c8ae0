"""Names in sentences read as French writes them, and stay bare in English."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from meute.networks.templatetags.french import de


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Puissance 20", "de Puissance 20"),
        ("Aceos", "d'Aceos"),
        ("Les Soirées de la CCI", "des Soirées de la CCI"),
        ("Le Club des enseignes", "du Club des enseignes"),
        ("La Ruche", "de La Ruche"),
        ("Émilie Roux", "d'Émilie Roux"),
    ],
)
def test_de_contracts_as_french_does(name: str, said: str) -> None:
    with translation.override("fr"):
        assert de(name) == said


def test_in_english_the_translation_carries_the_preposition() -> None:
    template = Template(
        "{% load i18n french %}{% blocktranslate with n=name|de %}Membres {{ n }}{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert template.render(Context({"name": "Les Soirées de la CCI"})) == "Membres des Soirées de la CCI"
    with translation.override("en"):
        assert de("Les Soirées de la CCI") == "Les Soirées de la CCI"
        assert template.render(Context({"name": "Aceos"})) == "Members of Aceos"
