"""Tenders from notice files: the samples import, bad rows are named by line and field, nothing half-imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from meute.packs import services
from meute.packs.models import Tender
from meute.packs.notices import trade_of_cpv

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "meute" / "packs" / "fixtures"


def import_(club, name: str, data: bytes) -> Tender:
    return services.tender_import(network=club, person=None, name=name, data=data)


def test_the_json_sample_imports_with_its_lots_in_keur_and_trades_from_cpv(club):
    tender = import_(club, "avis.json", (FIXTURES / "avis_exemple.json").read_bytes())
    assert (tender.title, tender.buyer, tender.commune.name) == (
        "Réhabilitation énergétique de l'école Jules-Ferry",
        "Commune d'Amboise",
        "Amboise",
    )
    assert tender.reference == "26-184512"
    lots = list(tender.lots.values_list("code", "trade", "amount_keur", "cert"))
    assert lots[0] == ("1", "gros_oeuvre", 180, "")
    assert lots[2] == ("3", "couverture", 110, "RGE")  # trade read from CPV 45261210
    assert len(lots) == 8
    assert tender.checklist.count() == 6


def test_the_csv_sample_imports(club):
    tender = import_(club, "avis.csv", (FIXTURES / "avis_exemple.csv").read_bytes())
    assert tender.commune.name == "Bléré"
    assert tender.lots.count() == 6
    assert tender.lots.get(code="2").cert == "Qualibat"


def test_bad_csv_rows_are_named_by_line_and_field_and_nothing_is_imported(club):
    text = (FIXTURES / "avis_exemple.csv").read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace(";charpente;", ";charpentier;")
    text[4] = text[4].replace(";55000;", ";cinquante;")
    with pytest.raises(ValidationError) as exc:
        import_(club, "avis.csv", "\n".join(text).encode())
    problems = exc.value.messages
    assert any(p.startswith("ligne 3, metier : métier inconnu « charpentier »") for p in problems)
    assert "ligne 5, montant_estime : montant en euros attendu, reçu « cinquante »" in problems
    assert Tender.objects.count() == 0


def test_bad_json_fields_are_named(club):
    doc = json.loads((FIXTURES / "avis_exemple.json").read_text(encoding="utf-8"))
    doc["lieuExecution"]["codeInsee"] = "99999"
    doc["lots"][1]["qualification"] = "ISO"
    with pytest.raises(ValidationError) as exc:
        import_(club, "avis.json", json.dumps(doc).encode())
    assert "avis, lieuExecution.codeInsee : code INSEE inconnu : « 99999 »" in exc.value.messages
    assert any(
        p.startswith("lot n° 2, qualification : qualification inconnue « ISO »") for p in exc.value.messages
    )
    assert Tender.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("avis.txt", b"x", "format attendu : .json ou .csv"),
        ("avis.json", b"{oops", "ligne 1 : JSON illisible"),
        ("avis.json", b"[1]", "l'avis doit être un objet JSON"),
        (
            "avis.csv",
            b"objet;acheteur\nx;y\n",
            "ligne 1 : colonnes manquantes : code_insee, date_limite, lot, montant_estime",
        ),
        ("avis.csv", "objet".encode("utf-16"), "le fichier CSV doit être en UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(club, name, data, message):
    with pytest.raises(ValidationError) as exc:
        import_(club, name, data)
    assert exc.value.messages == [message]


def test_duplicate_lots_are_refused(club):
    doc = json.loads((FIXTURES / "avis_exemple.json").read_text(encoding="utf-8"))
    doc["lots"][1]["numero"] = "1"
    with pytest.raises(ValidationError, match="apparaît deux fois"):
        import_(club, "avis.json", json.dumps(doc).encode())


def test_cpv_codes_say_the_trade():
    assert trade_of_cpv("45261210-9") == "couverture"
    assert trade_of_cpv("45310000") == "electricite"
    assert trade_of_cpv("30000000") is None
