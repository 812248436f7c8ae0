"""A newcomer's walk through the directory, the questionnaire and the member area."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from meute.demo.data import PASSWORD
from meute.demo.loader import demo_load
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_finds_a_network_and_a_member_sees_its_members(page: Any) -> None:
    demo_load(people=160)

    page.goto(page.base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    page.get_by_role("link", name="Trouver mon réseau en 1 minute").click()
    assert_accessible(page)
    page.get_by_label("Votre secteur d'activité").select_option("F")
    page.get_by_label("Votre commune").select_option("37132")
    page.get_by_label("Faire des affaires").check()
    page.get_by_label("Le rythme qui vous convient").select_option("monthly")
    page.get_by_label("Le temps que vous pouvez donner (heures par mois)").fill("3")
    page.get_by_role("button", name="Voir mes réseaux").click()
    results = page.get_by_role("heading", name="Les réseaux qui vous correspondent")
    expect(results).to_be_visible()
    first = page.locator("ol.cards > li").first
    expect(first).to_contain_text("pour faire des affaires")
    expect(page.locator("ol.cards")).to_contain_text(re.compile(r"à \d+ km|tout près"))
    assert_accessible(page)

    page.get_by_role("link", name="Annuaire des réseaux", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Rechercher").fill("batiment")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("status")).to_have_text("1 réseau trouvé")
    page.get_by_role("link", name="Noveco").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noveco")
    expect(page.get_by_text("Comment le rejoindre")).to_be_visible()
    assert_accessible(page)

    page.goto(page.base + "/comptes/connexion/")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("membre@meute.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()
    expect(page.get_by_role("cell", name="Aceos")).to_be_visible()

    page.goto(page.base + "/reseaux/aceos/membres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Membres d'Aceos")
    assert page.locator("tbody tr").count() > 10
    assert_accessible(page)

    # Not a member of Puissance 20: its member list answers like a page that does not exist.
    response = page.goto(page.base + "/reseaux/puissance-20/membres/")
    assert response is not None and response.status == 404


def test_the_language_switch_turns_the_interface_to_english(page: Any) -> None:
    page.goto(page.base + "/reseaux/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network directory")
    assert_accessible(page)
