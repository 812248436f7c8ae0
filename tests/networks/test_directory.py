"""The public directory of networks (/reseaux/) and a network's page (/reseaux/<slug>/)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.networks.models import AdmissionMode, Kind, Network, Purpose, Rhythm, Role, Status
from meute.reference.models import Commune
from tests.factories import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("networks:directory")
TOURS, CHINON = "37261", "37072"


def names(client: Client, **params: object) -> list[str]:
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return [n.name for n in response.context["page"].object_list]


def test_it_lists_published_networks_only(client: Client) -> None:
    NetworkFactory(name="Visible")
    NetworkFactory(name="Brouillon", is_published=False)
    response = client.get(DIRECTORY)
    assert [n.name for n in response.context["page"].object_list] == ["Visible"]
    assert b"Brouillon" not in response.content
    assert "1 réseau trouvé" in response.content.decode()


def test_it_finds_batiment_in_a_network_described_with_an_accent(client: Client) -> None:
    NetworkFactory(name="Bâtisseurs de Touraine", description="Les artisans du Bâtiment")
    NetworkFactory(name="Club numérique", description="Logiciels")
    assert names(client, q="batiment") == ["Bâtisseurs de Touraine"]
    assert names(client, q="BÂTIMENTS") == ["Bâtisseurs de Touraine"]


def test_a_search_that_finds_nothing_suggests_the_questionnaire(client: Client) -> None:
    NetworkFactory(name="Club numérique")
    response = client.get(DIRECTORY, {"q": "aéronautique"})
    assert list(response.context["page"].object_list) == []
    assert reverse("networks:questionnaire") in response.content.decode()


def test_it_filters_by_kind(client: Client) -> None:
    NetworkFactory(name="Club", kind=Kind.CLUB)
    NetworkFactory(name="Association", kind=Kind.ASSOCIATION)
    assert names(client, kind=Kind.ASSOCIATION) == ["Association"]


def test_it_filters_by_purpose(client: Client) -> None:
    NetworkFactory(name="Affaires", purposes=[Purpose.BUSINESS, Purpose.EXCHANGE])
    NetworkFactory(name="Veille", purposes=[Purpose.WATCH])
    assert names(client, purpose=Purpose.BUSINESS) == ["Affaires"]


def test_the_sector_filter_keeps_networks_open_to_every_sector(client: Client) -> None:
    NetworkFactory(name="Bâtiment", sectors=["F"])
    NetworkFactory(name="Commerce", sectors=["G"])
    NetworkFactory(name="Tous secteurs", sectors=[])
    assert names(client, sector="F") == ["Bâtiment", "Tous secteurs"]


def test_it_filters_by_the_insee_code_of_the_commune(client: Client) -> None:
    NetworkFactory(name="À Tours", commune=Commune.objects.get(insee=TOURS))
    NetworkFactory(name="À Chinon", commune=Commune.objects.get(insee=CHINON))
    NetworkFactory(name="Nulle part", commune=None)
    assert names(client, commune=CHINON) == ["À Chinon"]


def test_it_filters_by_rhythm(client: Client) -> None:
    NetworkFactory(name="Hebdo", rhythm=Rhythm.WEEKLY)
    NetworkFactory(name="Mensuel", rhythm=Rhythm.MONTHLY)
    assert names(client, rhythm=Rhythm.WEEKLY) == ["Hebdo"]


def test_the_free_seats_filter_drops_full_networks_and_keeps_uncapped_ones(client: Client) -> None:
    full = NetworkFactory(name="Complet", member_cap=2)
    MembershipFactory.create_batch(2, network=full)
    roomy = NetworkFactory(name="Places", member_cap=5)
    MembershipFactory(network=roomy)
    NetworkFactory(name="Sans plafond", member_cap=None)
    assert names(client, free_seats="on") == ["Places", "Sans plafond"]
    assert names(client) == ["Complet", "Places", "Sans plafond"]


def test_filters_combine_with_and(client: Client) -> None:
    NetworkFactory(name="Club hebdo", kind=Kind.CLUB, rhythm=Rhythm.WEEKLY)
    NetworkFactory(name="Club mensuel", kind=Kind.CLUB, rhythm=Rhythm.MONTHLY)
    NetworkFactory(name="Asso hebdo", kind=Kind.ASSOCIATION, rhythm=Rhythm.WEEKLY)
    assert names(client, kind=Kind.CLUB, rhythm=Rhythm.WEEKLY) == ["Club hebdo"]


def test_only_active_members_count(client: Client) -> None:
    network = NetworkFactory(name="Club", member_cap=3)
    MembershipFactory(network=network, status=Status.ACTIVE)
    MembershipFactory(network=network, status=Status.LEFT)
    MembershipFactory(network=network, status=Status.APPLIED)
    (listed,) = client.get(DIRECTORY).context["page"].object_list
    assert (listed.active_count, listed.free_seats) == (1, 2)


@pytest.fixture
def three_sizes() -> None:
    for name, size, cap, founded in [
        ("Alpha", 5, 8, dt.date(2001, 1, 1)),
        ("Bravo", 7, 17, dt.date(2020, 1, 1)),
        ("Charlie", 6, 9, dt.date(2010, 1, 1)),
    ]:
        network = NetworkFactory(name=name, member_cap=cap, founded_on=founded)
        MembershipFactory.create_batch(size, network=network)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-members", ["Bravo", "Charlie", "Alpha"]),
        ("members", ["Alpha", "Charlie", "Bravo"]),
        ("seats", ["Bravo", "Alpha", "Charlie"]),  # 10, 3, 3 free seats; ties by name
        ("-founded", ["Bravo", "Charlie", "Alpha"]),
    ],
)
def test_it_sorts_by_name_size_free_seats_or_founding_date(
    client: Client, three_sizes: None, sort: str, expected: list[str]
) -> None:
    assert names(client, sort=sort) == expected


def test_networks_of_fewer_than_five_members_tie_when_sorted_by_size(client: Client) -> None:
    # Their order would tell which of two small networks is bigger: they sort by name, after the
    # networks whose size is shown.
    for name, size in [("Alpha", 3), ("Bravo", 1), ("Charlie", 5), ("Delta", 4), ("Echo", 0)]:
        network = NetworkFactory(name=name, member_cap=20)
        MembershipFactory.create_batch(size, network=network)
    assert names(client, sort="-members") == ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]
    assert names(client, sort="members") == ["Alpha", "Bravo", "Delta", "Echo", "Charlie"]
    # By free seats, a small network counts as if its whole cap were free.
    assert names(client, sort="seats") == ["Alpha", "Bravo", "Delta", "Echo", "Charlie"]


def test_sorting_by_free_seats_puts_uncapped_networks_first(client: Client) -> None:
    NetworkFactory(name="Alpha", member_cap=5)
    NetworkFactory(name="Sans plafond", member_cap=None)
    assert names(client, sort="seats") == ["Sans plafond", "Alpha"]


def test_sorting_by_founding_date_puts_unknown_dates_last(client: Client) -> None:
    # Holds on SQLite (NULLs sort low); PostgreSQL puts NULLs first in a descending sort.
    NetworkFactory(name="Sans date", founded_on=None)
    NetworkFactory(name="Récent", founded_on=dt.date(2024, 1, 1))
    assert names(client, sort="-founded") == ["Récent", "Sans date"]


def test_it_paginates_twelve_networks_a_page_and_keeps_the_filters_in_the_links(client: Client) -> None:
    for i in range(13):
        NetworkFactory(name=f"Club {i:02d}", kind=Kind.CLUB)
    NetworkFactory(name="Une association", kind=Kind.ASSOCIATION)
    first = client.get(DIRECTORY, {"kind": "club"})
    assert len(first.context["page"].object_list) == 12
    assert "kind=club&amp;page=2" in first.content.decode()
    assert names(client, kind="club", page=2) == ["Club 12"]


@pytest.mark.parametrize("page", ["abc", "99", "-1"])
def test_a_page_number_out_of_range_shows_a_page_rather_than_failing(client: Client, page: str) -> None:
    for i in range(13):
        NetworkFactory(name=f"Club {i:02d}")
    assert client.get(DIRECTORY, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "secte"},
        {"purpose": "gossip"},
        {"sector": "ZZ"},
        {"commune": "75056"},
        {"rhythm": "daily"},
        {"sort": "price"},
    ],
)
def test_an_unknown_filter_value_shows_every_network_and_says_which_field_is_wrong(
    client: Client, params: dict[str, str]
) -> None:
    NetworkFactory(name="Alpha", kind=Kind.CLUB)
    NetworkFactory(name="Bravo", kind=Kind.ASSOCIATION)
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert [n.name for n in response.context["page"].object_list] == ["Alpha", "Bravo"]
    (field,) = params
    assert list(response.context["form"].errors) == [field]
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_one_bad_filter_value_drops_the_search_words_too(client: Client) -> None:
    # What the code does today: an invalid form falls back to no filter at all.
    NetworkFactory(name="Bâtiment")
    NetworkFactory(name="Numérique")
    assert names(client, q="batiment", kind="secte") == ["Bâtiment", "Numérique"]


# A network's page


@pytest.fixture
def capped(db: None) -> Network:
    network = NetworkFactory(
        name="Club des Dirigeants",
        slug="cdd",
        member_cap=20,
        admission_mode=AdmissionMode.APPLICATION,
        contact_name="Anne Dupont",
        contact_email="contact@cdd.example",
    )
    MembershipFactory.create_batch(3, network=network)
    MembershipFactory(network=network, status=Status.LEFT)
    return network


def test_a_network_page_shows_its_size_its_free_seats_and_how_to_join(
    client: Client, capped: Network
) -> None:
    MembershipFactory.create_batch(3, network=capped)
    html = client.get(capped.get_absolute_url()).content.decode()
    assert "<dt>Membres</dt><dd>6 / 20</dd>" in html
    assert "<dt>Places libres</dt><dd>14</dd>" in html
    assert "Comment le rejoindre" in html
    assert "Sur candidature : le bureau décide" in html
    assert "contact@cdd.example" in html
    assert "pour demander à rejoindre ce réseau" in html  # anonymous: log in or sign up


def test_a_network_of_fewer_than_five_members_shows_moins_de_5_and_no_seat_count(
    client: Client, capped: Network
) -> None:
    # 3 active members: "17 places libres" out of 20 would give the size as surely as "3".
    html = client.get(capped.get_absolute_url()).content.decode()
    assert "<dt>Membres</dt><dd>moins de 5 / 20</dd>" in html
    assert "<dt>Places libres</dt><dd>oui</dd>" in html
    # as a number of its own: the page's random CSRF token may hold the digits "17"
    assert re.search(r"(?<!\w)17(?!\w)", html) is None


def test_a_full_network_page_says_there_is_a_waiting_list(client: Client) -> None:
    network = NetworkFactory(member_cap=1)
    MembershipFactory(network=network)
    assert (
        "<dt>Places libres</dt><dd>aucune : liste d'attente</dd>"
        in client.get(network.get_absolute_url()).content.decode()
    )


def test_a_logged_in_visitor_sees_the_join_button(as_role: Callable[[str], Client], club: Network) -> None:
    html = as_role("other_member").get(club.get_absolute_url()).content.decode()
    assert reverse("networks:join", args=[club.slug]) in html
    assert "Adhérer" in html


def test_a_member_sees_their_status_instead_of_the_join_button(
    as_role: Callable[[str], Client], club: Network
) -> None:
    html = as_role("member").get(club.get_absolute_url()).content.decode()
    assert "Votre situation :" in html
    assert reverse("networks:join", args=[club.slug]) not in html


def test_an_unknown_slug_is_a_404(client: Client) -> None:
    assert client.get(reverse("networks:detail", args=["nulle-part"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("other_member", 404), ("member", 404), ("manager", 200), ("staff", 200)],
)
def test_an_unpublished_network_is_a_404_except_to_its_managers_and_staff(
    as_role: Callable[[str], Client], club: Network, role: str, status: int
) -> None:
    Network.objects.filter(pk=club.pk).update(is_published=False)
    assert as_role(role).get(club.get_absolute_url()).status_code == status


def test_a_network_page_shows_its_board(client: Client) -> None:
    network = NetworkFactory()
    president = MembershipFactory(network=network, role=Role.PRESIDENT)
    response = client.get(network.get_absolute_url())
    assert [m.pk for m in response.context["board"]] == [president.pk]
