"""The observatory's figures pages for each role: staff see every network, a manager their own
network and its overlaps (never another's), the public page its suppressed figures; CSV and
XLSX downloads follow the same rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import services
from meute.observatory.models import ListImport

ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")
HEADERS = ("Nom", "Prénom", "Entreprise", "SIRET", "Email")
DAY = dt.date(2026, 1, 31)


def people(prefix: str, n: int) -> list[tuple[str, ...]]:
    return [
        (f"{prefix}{i:02d}", "Jean", f"Firme {prefix}{i}", "", f"{prefix.lower()}{i}@x.fr") for i in range(n)
    ]


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Any:
    def login(role: str) -> Client:
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def _import(network: Network, user: User, rows: list[tuple[str, ...]], capture: Any) -> ListImport:
    from tests.observatory.conftest import csv_bytes

    imp = services.list_import_upload(
        network=network, user=user, file_name="l.csv", data=csv_bytes(rows, HEADERS), list_date=DAY
    )
    with capture(execute=True):
        return services.list_import_confirm(list_import=imp, user=user, mapping=imp.mapping)


@pytest.fixture
def lists(club: Network, other_club: Network, staff: User, django_capture_on_commit_callbacks: Any) -> None:
    """The club: 12 people; the other club: 8, of whom 3 also in the club (a cell under 5)."""
    shared = people("PARTAGE", 3)
    _import(club, staff, people("CLUB", 9) + shared, django_capture_on_commit_callbacks)
    _import(other_club, staff, people("AUTRE", 5) + shared, django_capture_on_commit_callbacks)


FIGURES = {"staff": 200, "manager": 200, "other_manager": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_figures_page_is_for_staff_and_managers(lists: None, client_for: Any, role: str) -> None:
    client = client_for(role)
    for url in (reverse("observatory:figures"), reverse("observatory:workbook")):
        assert client.get(url).status_code == FIGURES.get(role, 404)
    url = reverse("observatory:table_csv", args=["distribution"])
    assert client.get(url).status_code == FIGURES.get(role, 404)


def test_staff_see_every_network_counted_once(lists: None, client_for: Any) -> None:
    page = client_for("staff").get(reverse("observatory:figures"), {"au": "2026-06-30"}).content.decode()
    assert "Au 30 juin 2026, 17 personnes participent à un ou plusieurs réseaux." in page
    assert "17 entreprises sont représentées." in page
    assert 'src="data:image/svg+xml;base64,' in page and "<caption>" in page
    before = client_for("staff").get(reverse("observatory:figures"), {"au": "2025-12-31"}).content.decode()
    assert "moins de 5 personnes" in before or "0 personne" in before


def test_a_manager_sees_their_network_and_its_overlaps_but_not_another_network(
    lists: None, client_for: Any, club: Network, other_club: Network
) -> None:
    client = client_for("manager")
    page = client.get(reverse("observatory:figures"), {"au": "2026-06-30"}).content.decode()
    assert "12 personnes participent à Club des dirigeants du Bâtiment" in page
    assert "Ses membres dans les autres réseaux" in page
    assert client.get(reverse("observatory:figures"), {"reseau": other_club.slug}).status_code == 404
    assert client.get(reverse("observatory:figures"), {"reseau": "nowhere"}).status_code == 404
    other = (
        client_for("other_manager").get(reverse("observatory:figures"), {"au": "2026-06-30"}).content.decode()
    )
    assert "8 personnes participent à Autre club" in other


def test_overlaps_shown_to_a_manager_hide_cells_under_5(lists: None, client_for: Any) -> None:
    csv = client_for("manager").get(reverse("observatory:table_csv", args=["pairs"]), {"au": "2026-06-30"})
    text = csv.content.decode("utf-8-sig")
    assert ";3" not in text and "s" in text  # the 3 people shared with the other club are hidden
    staff = client_for("staff").get(reverse("observatory:table_csv", args=["pairs"]), {"au": "2026-06-30"})
    assert ";3" in staff.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ROLES)
def test_the_public_page_is_open_to_all_and_suppressed(lists: None, client_for: Any, role: str) -> None:
    client = client_for(role)
    page = client.get(reverse("observatory:public"), {"au": "2026-06-30"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "17 personnes participent à un ou plusieurs réseaux" in text
    assert "secret statistique" in text
    csv = client.get(reverse("observatory:public_table_csv", args=["distribution"]), {"au": "2026-06-30"})
    body = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and ";3" not in body  # 3 people in two networks: hidden
    assert client.get(reverse("observatory:public_workbook")).status_code == 200


def test_an_unknown_table_answers_404(lists: None, client_for: Any) -> None:
    for client in (client_for("staff"), client_for("anonymous")):
        assert client.get(reverse("observatory:public_table_csv", args=["nothing"])).status_code == 404
    assert client_for("staff").get(reverse("observatory:table_csv", args=["nothing"])).status_code == 404


def test_a_date_that_is_not_one_shows_today(lists: None, client_for: Any) -> None:
    assert client_for("staff").get(reverse("observatory:figures"), {"au": "demain"}).status_code == 200


def test_the_public_page_speaks_english_too(lists: None, client_for: Any) -> None:
    client = client_for("anonymous")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("observatory:public"), {"au": "2026-06-30"}).content.decode()
    assert "17 people take part in one or more networks." in page


def test_the_public_page_leads_staff_and_managers_to_the_detailed_figures(
    lists: None, client_for: Any
) -> None:
    link = reverse("observatory:figures")
    for role, shown in (("staff", True), ("manager", True), ("member", False), ("anonymous", False)):
        page = client_for(role).get(reverse("observatory:public")).content.decode()
        assert (f'href="{link}"' in page) == shown, role
