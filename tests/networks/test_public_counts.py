"""Pages open to anyone (home, directory, a network's page, the questionnaire) never give a count
of fewer than 5 people: they say "moins de 5", or nothing, and hide what would give the count
back (a cap minus free seats, a score that grows with each member)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import ConsentPurpose
from meute.networks.models import Network, Purpose, Status
from meute.reference.models import NafCode
from tests.factories import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CAP = 20


def page(client: Client, url: str, params: dict[str, str] | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def network_of(size: int, name: str = "Club des Tanneurs") -> Network:
    network = NetworkFactory(name=name, member_cap=CAP, purposes=[Purpose.BUSINESS])
    MembershipFactory.create_batch(size, network=network)
    # Those who left or only applied are not members: they never count.
    MembershipFactory(network=network, status=Status.LEFT, start_date=None)
    return network


def reveals(text: str, size: int) -> bool:
    """Whether the text gives the size, directly or as the cap minus the free seats."""
    return bool(
        re.search(rf"(?<!\d){size} (membre|entrepreneur)", text)
        or re.search(rf"(?<!\d){CAP - size} places? libres?", text)
        or f"<dd>{size} / {CAP}</dd>" in text
        or f"<dd>{CAP - size}</dd>" in text
    )


def public_pages(client: Client, network: Network) -> dict[str, str]:
    return {
        "home": page(client, reverse("home")),
        "directory": page(client, reverse("networks:directory")),
        "detail": page(client, network.get_absolute_url()),
        "questionnaire": page(client, reverse("networks:questionnaire"), {"purposes": "business"}),
    }


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4])
def test_a_network_of_fewer_than_five_members_is_shown_as_moins_de_5_everywhere(
    client: Client, size: int
) -> None:
    network = network_of(size)
    for name, text in public_pages(client, network).items():
        assert not reveals(text, size), name
    pages = public_pages(client, network)
    assert "moins de 5 membres" in pages["home"] and "moins de 5 membres" in pages["directory"]
    assert "<dd>moins de 5 / 20</dd>" in pages["detail"]
    assert "des places libres" in pages["questionnaire"]
    assert "moins de 5</strong> entrepreneurs membres" in pages["home"]


def test_from_five_members_the_size_and_the_free_seats_are_shown(client: Client) -> None:
    network = network_of(5)
    pages = public_pages(client, network)
    assert "5 membres · 15 places libres" in pages["directory"]
    assert "5 membres · 15 places libres" in pages["home"]
    assert "<dd>5 / 20</dd>" in pages["detail"] and "<dd>15</dd>" in pages["detail"]
    assert "15 places libres" in pages["questionnaire"]
    assert "<strong>5</strong> entrepreneurs membres" in pages["home"]


def test_a_full_small_network_says_complet_without_a_number(client: Client) -> None:
    network = NetworkFactory(name="Petit comité", member_cap=3)
    MembershipFactory.create_batch(3, network=network)
    pages = public_pages(client, network)
    assert "moins de 5 membres · complet" in pages["directory"]
    assert "aucune : liste d'attente" in pages["detail"]


def test_the_home_page_counts_people_not_memberships(client: Client) -> None:
    # Four people in two networks each: 8 memberships, but fewer than 5 people.
    person_networks = [NetworkFactory(), NetworkFactory()]
    for _ in range(4):
        person = PersonFactory()
        for network in person_networks:
            MembershipFactory(network=network, person=person)
    assert "moins de 5</strong> entrepreneurs membres" in page(client, reverse("home"))
    MembershipFactory(network=person_networks[0])
    assert "<strong>5</strong> entrepreneurs membres" in page(client, reverse("home"))


# Members of your sector (questionnaire): identifiable people, so only those who consented to
# appear in member lists are counted, and only from 5.


@pytest.fixture
def sector_f() -> NafCode:
    naf = NafCode.objects.filter(section="F").first()
    assert naf is not None
    return naf


def builders(network: Network, naf: NafCode, n: int, *, consent: bool | None = True) -> None:
    for _ in range(n):
        person = PersonFactory(organisation=OrganisationFactory(naf=naf))
        MembershipFactory(network=network, person=person)
        if consent is not None:
            ConsentFactory(person=person, purpose=ConsentPurpose.DIRECTORY, granted=consent)


def sector_reasons(client: Client, network: Network) -> list[str]:
    response = client.get(reverse("networks:questionnaire"), {"sector": "F"})
    [row] = [r for r in response.context["results"] if r["network"] == network]
    return [str(x["text"]) for x in row["reasons"]]


def score(client: Client, network: Network) -> float:
    response = client.get(reverse("networks:questionnaire"), {"sector": "F"})
    [row] = [r for r in response.context["results"] if r["network"] == network]
    return float(row["score"])


def test_one_member_of_your_sector_is_not_told_to_anonymous_visitors(
    client: Client, club: Network, member: object, sector_f: NafCode
) -> None:
    # The review's probe: "1 membre de votre secteur", to anyone.
    person = member.person  # type: ignore[attr-defined]
    person.organisation.naf = sector_f
    person.organisation.save()
    texts = sector_reasons(client, club)
    assert not any("de votre secteur" in t for t in texts), texts
    assert "1 membre" not in page(client, reverse("networks:questionnaire"), {"sector": "F"})


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_fewer_than_five_members_of_your_sector_change_neither_the_reasons_nor_the_score(
    client: Client, sector_f: NafCode, n: int
) -> None:
    network = NetworkFactory(name="Bâtisseurs")
    before = score(client, network)
    builders(network, sector_f, n)
    assert score(client, network) == before
    assert not any("de votre secteur" in t for t in sector_reasons(client, network))


def test_five_consenting_members_of_your_sector_are_told(client: Client, sector_f: NafCode) -> None:
    network = NetworkFactory(name="Bâtisseurs")
    builders(network, sector_f, 5)
    assert "5 membres de votre secteur" in sector_reasons(client, network)


def test_members_who_did_not_consent_to_appear_are_not_counted(client: Client, sector_f: NafCode) -> None:
    network = NetworkFactory(name="Bâtisseurs")
    builders(network, sector_f, 4)
    builders(network, sector_f, 3, consent=False)
    builders(network, sector_f, 2, consent=None)  # never asked: no consent
    assert not any("de votre secteur" in t for t in sector_reasons(client, network))
    builders(network, sector_f, 2)
    assert "6 membres de votre secteur" in sector_reasons(client, network)


def test_a_withdrawn_consent_no_longer_counts(client: Client, sector_f: NafCode) -> None:
    network = NetworkFactory(name="Bâtisseurs")
    builders(network, sector_f, 5)
    one = Network.objects.get(pk=network.pk).memberships.first()
    assert one is not None
    ConsentFactory(person=one.person, purpose=ConsentPurpose.DIRECTORY, granted=False)
    assert not any("de votre secteur" in t for t in sector_reasons(client, network))


def test_the_documented_examples_hold() -> None:
    import doctest

    from meute.networks import selectors

    assert doctest.testmod(selectors).failed == 0
