"""The browser walk of tests/browser/test_packs_walk.py, step by step through the test client
(it runs where Chromium is absent, and checks the same texts)."""

import html

import pytest
from django.test import Client

from meute.networks.models import Kind, Role
from meute.packs import services
from meute.packs.models import Tender
from tests.browser.test_packs_walk import NOTICE, _firm, _member
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_tender_team_invitations_accepted_pack_through_the_client():
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
    _firm(noveco, "Chinon Charpente", "37072", ["charpente"])
    c = Client()
    c.force_login(president.user, backend="django.contrib.auth.backends.ModelBackend")
    assert "Marchés en groupement" in c.get("/reseaux/noveco/").content.decode()
    with open(NOTICE, "rb") as f:
        r = c.post("/reseaux/noveco/marches/importer/", {"notice": f}, follow=True)
    t = html.unescape(r.content.decode())
    for s in [
        "Dupont Charpente : charpente, Qualibat jusqu'en",
        "Chinon Charpente (pas de qualification Qualibat valable)",
        "optimum exact (écart nul).",
    ]:
        assert s in t, s
    tender = Tender.objects.get()
    r = c.post(
        f"/reseaux/noveco/marches/{tender.pk}/inviter/",
        {"respond_by": tender.deadline.date().isoformat()},
        follow=True,
    )
    assert "5 entreprises sont invitées." in html.unescape(r.content.decode())
    m = Client()
    m.force_login(roofer.user, backend="django.contrib.auth.backends.ModelBackend")
    t = html.unescape(m.get(f"/reseaux/noveco/marches/{tender.pk}/").content.decode())
    assert "Dupont Charpente est invitée dans ce groupement." in t
    r = m.post(f"/reseaux/noveco/marches/{tender.pk}/reponse/", {"answer": "accept"}, follow=True)
    assert "Merci : votre entreprise fait partie du groupement." in html.unescape(r.content.decode())
    for inv in tender.invitations.filter(status="pending"):
        services.invitation_respond(invitation=inv, accept=True)
    t = html.unescape(c.get(f"/reseaux/noveco/marches/{tender.pk}/").content.decode())
    assert "Désigner le mandataire" in t
    firm_id = tender.invitations.get(firm__organisation__name="Roy Maçonnerie").firm_id
    r = c.post(f"/reseaux/noveco/marches/{tender.pk}/mandataire/", {"firm": firm_id}, follow=True)
    assert "Le mandataire est désigné." in html.unescape(r.content.decode())
    r = c.post(f"/reseaux/noveco/marches/{tender.pk}/etat/", {"status": "submitted"}, follow=True)
    assert "<strong>Offre déposée</strong>" in html.unescape(r.content.decode())
