"""An applicant joins a full club, waits, is offered a freed seat and takes it; the board sees it all."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from meute.networks.models import Membership, Role, Status
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, NetworkFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _account(email: str, first: str, last: str) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last)
    PersonFactory(user=user, first_name=first, last_name=last, email=email)
    return user


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()


def _log_out(page: Any) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_waitlisted_applicant_is_offered_a_freed_seat_and_accepts_it(page: Any) -> None:
    club = NetworkFactory(name="Club des Douze", slug="club-des-douze", member_cap=2)
    president = _account("presidente@douze.example", "Anne", "Roux")
    MembershipFactory(network=club, person=president.person, role=Role.PRESIDENT)
    member = _account("membre@douze.example", "Paul", "Petit")
    MembershipFactory(network=club, person=member.person)
    _account("candidate@douze.example", "Lina", "Moreau")

    # The live server's first answer loads every module: on a busy machine, longer than the default timeout.
    page.goto(page.base + "/reseaux/", timeout=120_000)

    # The club is full: the applicant goes on the waiting list.
    _log_in(page, "candidate@douze.example")
    page.goto(page.base + "/reseaux/club-des-douze/")
    assert_accessible(page)
    page.get_by_role("button", name="Adhérer").click()
    expect(page.get_by_text("Club des Douze est complet : vous êtes sur la liste d'attente.")).to_be_visible()
    page.get_by_role("link", name="Suivre mes candidatures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes candidatures")
    expect(page.get_by_text("Rang 1 sur la liste d'attente.")).to_be_visible()
    assert_accessible(page)
    _log_out(page)

    # A member leaves: the seat is offered to the first in line.
    _log_in(page, "membre@douze.example")
    page.goto(page.base + "/reseaux/club-des-douze/")
    page.get_by_role("button", name="Quitter le réseau").click()
    expect(page.get_by_text("Vous avez quitté Club des Douze.")).to_be_visible()
    _log_out(page)

    _log_in(page, "candidate@douze.example")
    page.goto(page.base + "/reseaux/mes-candidatures/")
    expect(page.get_by_text("Une place vous est proposée")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accepter la place dans Club des Douze").click()
    expect(page.get_by_text("Bienvenue : vous êtes membre de Club des Douze.")).to_be_visible()
    assert_accessible(page)
    assert Membership.objects.filter(network=club, status=Status.ACTIVE).count() == 2
    _log_out(page)

    # The board sees the members and the trail of what happened.
    _log_in(page, "presidente@douze.example")
    page.goto(page.base + "/reseaux/club-des-douze/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer Club des Douze")
    expect(page.get_by_role("rowheader", name="Lina Moreau")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Journal des actions").click()
    expect(page.get_by_role("cell", name="Lina Moreau accepte la place proposée")).to_be_visible()
    assert_accessible(page)
