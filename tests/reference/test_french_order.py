"""Communes are listed as a French reader expects, not in the database's code-point order."""

from __future__ import annotations

import pytest

from meute.reference.models import communes_in_french_order, french_order


def test_accents_case_and_hyphens_do_not_disturb_the_order() -> None:
    names = [
        "Brizay",
        "Brèches",
        "Chouzé-sur-Loire",
        "Château-Renault",
        "Beaumont-Village",
        "Beaumont-en-Véron",
    ]
    assert sorted(names, key=french_order) == [
        "Beaumont-en-Véron",
        "Beaumont-Village",
        "Brèches",
        "Brizay",
        "Château-Renault",
        "Chouzé-sur-Loire",
    ]


@pytest.mark.django_db
def test_the_communes_of_indre_et_loire_come_in_french_order() -> None:
    names = [c.name for c in communes_in_french_order()]
    assert len(names) == 272
    assert names.index("Brèches") < names.index("Brizay")
    assert names.index("Chançay") < names.index("Channay-sur-Lathan")
    assert names.index("Château-Renault") < names.index("Chouzé-sur-Loire")
