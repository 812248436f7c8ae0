"""A small cluster for the packs tests: `club` (tests/conftest.py) with five firms around Tours.

- `member_firm`: the organisation of `member`, charpente + couverture, RGE until 2028, in Tours;
- `manager_firm`: the organisation of `manager`, gros œuvre, in Joué-lès-Tours;
- three firms without accounts: an electrician in Amboise, a roofer in Chinon whose RGE
  expired, a plumber in Loches;
- `tender`: a tender of `club` in Tours with four lots (gros œuvre, charpente, couverture RGE,
  électricité); `foreign_tender`: a tender of `other_club`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.networks.models import Network
from meute.packs import services
from meute.packs.models import Certification, FirmProfile, Tender
from meute.reference.models import Commune
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

ROLES = ("staff", "manager", "member", "other_member", "anonymous")


def commune(insee: str) -> Commune:
    return Commune.objects.get(insee=insee)


def make_firm(
    network: Network, name: str, insee: str, trades: list[str], turnover: int = 1000, **kw
) -> FirmProfile:
    organisation = kw.pop("organisation", None) or OrganisationFactory(name=name)
    certs = kw.pop("certs", [])
    firm = FirmProfile.objects.create(
        network=network,
        organisation=organisation,
        trades=trades,
        turnover_keur=turnover,
        workforce=kw.pop("workforce", 8),
        commune=commune(insee),
        **kw,
    )
    for kind, until in certs:
        Certification.objects.create(firm=firm, kind=kind, valid_until=until)
    return firm


@pytest.fixture
def member_firm(club: Network, member: User) -> FirmProfile:
    org = OrganisationFactory(name="Dupont Charpente")
    member.person.organisation = org  # type: ignore[attr-defined]
    member.person.save()  # type: ignore[attr-defined]
    return make_firm(
        club,
        "Dupont Charpente",
        "37261",
        ["charpente", "couverture"],
        organisation=org,
        contact=member.person,  # type: ignore[attr-defined]
        certs=[("RGE", dt.date(2028, 6, 30))],
    )


@pytest.fixture
def manager_firm(club: Network, manager: User) -> FirmProfile:
    return make_firm(club, "Martin Maçonnerie", "37122", ["gros_oeuvre"], contact=manager.person)  # type: ignore[attr-defined]


@pytest.fixture
def cluster(club: Network, member_firm: FirmProfile, manager_firm: FirmProfile) -> dict[str, FirmProfile]:
    firms = {
        "member": member_firm,
        "manager": manager_firm,
        "electric": make_firm(club, "Amboise Électricité", "37003", ["electricite"]),
        "roofer": make_firm(
            club, "Chinon Toitures", "37072", ["couverture"], certs=[("RGE", dt.date(2020, 1, 1))]
        ),
        "plumber": make_firm(club, "Loches Plomberie", "37132", ["plomberie"]),
    }
    return firms


@pytest.fixture
def tender(club: Network, cluster: dict[str, FirmProfile], manager: User) -> Tender:
    return services.tender_create(
        network=club,
        person=manager.person,  # type: ignore[attr-defined]
        title="Rénovation de la mairie",
        buyer="Ville de Tours",
        commune=commune("37261"),
        deadline=timezone.now() + dt.timedelta(days=30),
        lots=[
            {"code": "1", "trade": "gros_oeuvre", "amount_keur": 100},
            {"code": "2", "trade": "charpente", "amount_keur": 80},
            {"code": "3", "trade": "couverture", "amount_keur": 60, "cert": "RGE"},
            {"code": "4", "trade": "electricite", "amount_keur": 40},
        ],
    )


@pytest.fixture
def foreign_tender(other_club: Network, other_member: User) -> Tender:
    make_firm(other_club, "Ailleurs Bâtiment", "37261", ["gros_oeuvre"])
    return services.tender_create(
        network=other_club,
        person=other_member.person,  # type: ignore[attr-defined]
        title="Étranger",
        buyer="Ailleurs",
        commune=commune("37261"),
        deadline=timezone.now() + dt.timedelta(days=30),
        lots=[{"code": "1", "trade": "gros_oeuvre", "amount_keur": 10}],
    )


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    def login(role: str) -> Client:
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def outsider_firm_user(club: Network) -> User:
    """A member of `club` whose organisation has no profile: sees the cluster, answers for no firm."""
    user = UserFactory(email="sans-profil@club.example")
    person = PersonFactory(user=user)
    MembershipFactory(person=person, network=club)
    return user


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
