"""My data in the browser: download my data, delete my account (then log-in refused, totals
unchanged), and an API token made, used and revoked. axe-core on every page visited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.events.models import Audience, Event, EventKind, Registration
from meute.networks.models import Membership, Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, NetworkFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _account(email: str, first: str, last: str) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last)
    PersonFactory(user=user, first_name=first, last_name=last, email=email)
    return user


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/", timeout=120_000)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()


def _club_with_member() -> tuple[Any, Any]:
    club = NetworkFactory(name="Club des Tanneurs", slug="tanneurs")
    MembershipFactory(
        network=club,
        person=_account("presidente@tanneurs.example", "Anne", "Roux").person,
        role=Role.PRESIDENT,
    )
    member = _account("lina@tanneurs.example", "Lina", "Moreau")
    MembershipFactory(network=club, person=member.person)
    start = timezone.now() - dt.timedelta(days=20)
    event = Event.objects.create(
        network=club,
        title="Réunion d'automne",
        kind=EventKind.MEETING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        audience=Audience.MEMBERS,
    )
    Registration.objects.create(event=event, person=member.person, attendance="present")
    return club, member


def test_i_download_my_data(page: Any, tmp_path: Path) -> None:
    _club, _member = _club_with_member()
    _log_in(page, "lina@tanneurs.example")
    page.get_by_role("link", name="Mes données : modifier, télécharger, supprimer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    assert_accessible(page)
    page.get_by_role("button", name="Télécharger mes données").click()
    expect(page.get_by_text("Votre export est demandé")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Fichier JSON").click()
    target = tmp_path / "export.json"
    download.value.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "meute-personal-data"
    assert data["profile"]["last_name"] == "Moreau"
    assert [r["event"] for r in data["registrations"]] == ["Réunion d'automne"]
    assert_accessible(page)


def test_i_delete_my_account_then_cannot_log_in_and_the_totals_stay(page: Any) -> None:
    club, _member = _club_with_member()
    totals = (
        Membership.objects.filter(network=club).count(),
        Registration.objects.count(),
        Registration.objects.filter(attendance="present").count(),
    )
    _log_in(page, "lina@tanneurs.example")
    page.goto(page.base + "/comptes/mes-donnees/")
    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    assert_accessible(page)
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label("Je comprends que mon compte").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte supprimé")
    assert_accessible(page)

    page.goto(page.base + "/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill("lina@tanneurs.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect.")).to_be_visible()
    assert (
        Membership.objects.filter(network=club).count(),
        Registration.objects.count(),
        Registration.objects.filter(attendance="present").count(),
    ) == totals


def test_i_make_an_api_token_use_it_and_revoke_it(page: Any) -> None:
    _club, _member = _club_with_member()
    _log_in(page, "lina@tanneurs.example")
    page.get_by_role("link", name="Jetons d'accès à l'API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jetons d'accès à l'API")
    assert_accessible(page)
    page.get_by_label("Nom du jeton").fill("CRM du club")
    page.get_by_label("Droits").select_option("read")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Jeton", exact=True).input_value()
    assert secret.startswith("meute_")
    assert_accessible(page)
    api = page.context.request
    me = api.get(page.base + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200 and me.json()["last_name"] == "Moreau"

    page.get_by_role("button", name="Révoquer le jeton CRM du club").click()
    expect(page.get_by_text("Le jeton « CRM du club » est révoqué")).to_be_visible()
    assert_accessible(page)
    refused = api.get(page.base + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401
