"""A cluster answers a tender together: notice imported, team built, firms invited, the pack accepted and submitted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from meute.networks.models import Kind, Role
from meute.packs import services
from meute.packs.models import Certification, FirmProfile, Tender
from meute.reference.models import Commune
from tests.browser.conftest import assert_accessible
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = Path(__file__).resolve().parents[2] / "meute" / "packs" / "fixtures" / "avis_exemple.csv"


def _member(network: Any, email: str, first: str, last: str, firm: str, role: str = Role.MEMBER) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last)
    org = OrganisationFactory(name=firm)
    person = PersonFactory(user=user, first_name=first, last_name=last, email=email, organisation=org)
    MembershipFactory(person=person, network=network, role=role)
    return person


def _firm(
    network: Any, name: str, insee: str, trades: list[str], contact: Any = None, certs: tuple = ()
) -> Any:
    org = contact.organisation if contact else OrganisationFactory(name=name)
    firm = FirmProfile.objects.create(
        network=network,
        organisation=org,
        contact=contact,
        trades=trades,
        turnover_keur=900,
        workforce=9,
        commune=Commune.objects.get(insee=insee),
    )
    for kind in certs:
        Certification.objects.create(
            firm=firm, kind=kind, valid_until=dt.date.today() + dt.timedelta(days=900)
        )
    return firm


# The live server's first answers on a busy machine can take tens of seconds.
LOAD = 120_000


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/", timeout=LOAD)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible(timeout=LOAD)


def _log_out(page: Any) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_cluster_builds_its_team_invites_it_and_submits_the_pack(page: Any) -> None:
    noveco = NetworkFactory(slug="noveco", name="Noveco", kind=Kind.CLUSTER)
    president = _member(noveco, "president@noveco.example", "Hélène", "Roy", "Roy Maçonnerie", Role.PRESIDENT)
    roofer = _member(noveco, "charpente@noveco.example", "Paul", "Dupont", "Dupont Charpente")
    _firm(noveco, "Roy Maçonnerie", "37027", ["gros_oeuvre"], contact=president)
    _firm(
        noveco, "Dupont Charpente", "37003", ["charpente", "couverture"], contact=roofer, certs=("Qualibat",)
    )
    _firm(noveco, "Bléré Plâtres", "37027", ["platrerie"])
    _firm(noveco, "Loches Élec", "37132", ["electricite", "plomberie"])
    _firm(noveco, "Tours Carrelage", "37261", ["carrelage"])
    _firm(noveco, "Chinon Charpente", "37072", ["charpente"])  # no Qualibat: left out of lot 2

    _log_in(page, "president@noveco.example")
    page.goto(page.base + "/reseaux/noveco/")
    page.get_by_role("link", name="Marchés en groupement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marchés en groupement — Noveco")
    assert_accessible(page)
    page.get_by_role("link", name="Importer un avis (JSON ou CSV)").click()
    assert_accessible(page)
    page.get_by_label("Avis de marché (JSON ou CSV)").set_input_files(str(NOTICE))
    page.get_by_role("button", name="Importer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Extension de la salle des fêtes")
    team = page.locator("#team")
    expect(team).to_contain_text("Dupont Charpente : charpente, Qualibat jusqu'en")
    expect(team).to_contain_text("Chinon Charpente (pas de qualification Qualibat valable)")
    expect(page.get_by_text("optimum exact (écart nul).")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Inviter l'équipe proposée").click()
    expect(page.get_by_text("5 entreprises sont invitées.")).to_be_visible()
    assert_accessible(page)
    _log_out(page)

    _log_in(page, "charpente@noveco.example")
    tender = Tender.objects.get()
    page.goto(page.base + f"/reseaux/noveco/marches/{tender.pk}/")
    expect(page.get_by_text("Dupont Charpente est invitée dans ce groupement.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accepter", exact=True).click()
    expect(page.get_by_text("Merci : votre entreprise fait partie du groupement.")).to_be_visible()
    assert_accessible(page)
    _log_out(page)

    # The three firms without an account answer by telephone; the president records it.
    for invitation in tender.invitations.filter(status="pending"):
        services.invitation_respond(invitation=invitation, accept=True)
    _log_in(page, "president@noveco.example")
    page.goto(page.base + f"/reseaux/noveco/marches/{tender.pk}/")
    page.get_by_label("Mandataire").select_option(label="Roy Maçonnerie")
    page.get_by_role("button", name="Désigner le mandataire").click()
    expect(page.get_by_text("Le mandataire est désigné.")).to_be_visible()
    page.get_by_role("button", name="L'offre est déposée").click()
    expect(page.get_by_text("Offre déposée", exact=True)).to_be_visible()
    assert_accessible(page)

    # Not a member of Noveco: its tender answers like a page that does not exist.
    _log_out(page)
    response = page.goto(page.base + f"/reseaux/noveco/marches/{tender.pk}/")
    assert response is not None and response.status == 404
