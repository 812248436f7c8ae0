"""The observatory in the browser: staff upload two networks' lists, check the mapping and the
report, import, review the pair the linkage doubted, then read the figures and the public page.
axe-core on every page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, NetworkFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = {
    "tanneurs": "Nom;Prénom;Entreprise;Email\r\nCHAUVINEAU;Jean;Garage Fontenelle;jc@garage.fr\r\n"
    "ROUX;Léa;Optique Vasseur;lea@optique.fr\r\nDURAND;Paul;Imprimerie Sorel;12345\r\n",
    "bateliers": "NOM Prénom;Société;Mail\r\nCHAUVINEAU Jean;Boulangerie Sorel;\r\nROUX Léa;Optique Vasseur;lea@optique.fr\r\n",
}


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/", timeout=120_000)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()


def _upload(page: Any, tmp_path: Path, network: str, slug: str) -> None:
    path = tmp_path / f"{slug}.csv"
    path.write_text(LISTS[slug], encoding="utf-8")
    page.goto(page.base + "/observatoire/listes/deposer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer une liste de membres")
    assert_accessible(page)
    page.get_by_label("Réseau").select_option(label=network)
    page.get_by_label("Date de la liste").fill("2026-01-31")
    page.get_by_label("Liste des membres (CSV, XLSX ou ODS, 20 Mo au plus)").set_input_files(str(path))
    page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_role("heading", name="Aperçu des premières lignes")).to_be_visible()
    assert_accessible(page)


def test_staff_import_review_and_read_the_observatory(page: Any, tmp_path: Path) -> None:
    staff = UserFactory(email="staff@cci.example", is_staff=True)
    PersonFactory(user=staff, email=staff.email)
    NetworkFactory(name="Club des Tanneurs", slug="tanneurs")
    NetworkFactory(name="Les Bateliers", slug="bateliers")
    _log_in(page, "staff@cci.example")

    _upload(page, tmp_path, "Club des Tanneurs", "tanneurs")
    page.get_by_role("button", name="Contrôler").click()
    expect(page.get_by_role("heading", name="Rapport de contrôle")).to_be_visible()
    expect(page.get_by_text("'12345' n'est pas une adresse e-mail")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Écarter les lignes en erreur et importer les autres").check()
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("La liste est importée")).to_be_visible()
    assert_accessible(page)

    _upload(page, tmp_path, "Les Bateliers", "bateliers")
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("La liste est importée")).to_be_visible()

    page.goto(page.base + "/observatoire/revue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Paires à examiner")
    assert_accessible(page)
    page.get_by_role("link", name="jean chauvineau (Club des Tanneurs)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Même personne ?")
    assert_accessible(page)
    page.get_by_role("button", name="Deux personnes").click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()

    page.goto(page.base + "/observatoire/?au=2026-06-30")
    expect(page.get_by_text("3 personnes participent à un ou plusieurs réseaux")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Page publique").click()
    expect(page.get_by_text("moins de 5 personnes participent")).to_be_visible()
    assert_accessible(page)
