"""Entering a tender by hand: the lots' rows, blank rows ignored, errors shown in the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meute.packs.models import Tender
from meute.reference.models import Commune

pytestmark = pytest.mark.django_db

URL = reverse("packs:tender_new", args=["club"])


def data(**lots):
    base = {
        "title": "Préau de l'école",
        "buyer": "Commune de Vouvray",
        "commune": Commune.objects.get(insee="37281").pk,
        "deadline": "2030-05-02T12:00",
        "reference": "",
        "lots-TOTAL_FORMS": "3",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "1",
        "lots-MAX_NUM_FORMS": "40",
    }
    base.update(lots)
    return base


def test_a_member_enters_a_tender_and_lands_on_its_team(client_for, cluster, member):
    response = client_for("member").post(
        URL,
        data(
            **{
                "lots-0-code": "1",
                "lots-0-trade": "charpente",
                "lots-0-amount_keur": "40",
                "lots-0-cert": "",
                "lots-1-code": "2",
                "lots-1-trade": "couverture",
                "lots-1-amount_keur": "30",
                "lots-1-cert": "RGE",
            }
        ),
    )
    tender = Tender.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "packs:tender", args=["club", tender.pk]
    )
    assert list(tender.lots.values_list("code", "trade", "cert")) == [
        ("1", "charpente", ""),
        ("2", "couverture", "RGE"),
    ]
    assert tender.created_by == member.person


def test_two_lots_with_one_number_are_refused_and_nothing_is_saved(client_for, cluster):
    response = client_for("member").post(
        URL,
        data(
            **{
                "lots-0-code": "1",
                "lots-0-trade": "charpente",
                "lots-0-amount_keur": "40",
                "lots-1-code": "1",
                "lots-1-trade": "couverture",
                "lots-1-amount_keur": "30",
            }
        ),
    )
    assert response.status_code == 200
    assert "Deux lots portent le même numéro." in response.content.decode()
    assert not Tender.objects.exists()


def test_a_tender_needs_a_lot(client_for, cluster):
    response = client_for("member").post(URL, data())
    assert response.status_code == 200
    assert not Tender.objects.exists()
