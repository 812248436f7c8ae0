""" "Ne pas rester seul": the questionnaire page and the ranking engine behind it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from meute.engine.recommend import (
    FULL_PENALTY,
    Answers,
    NetworkFacts,
    Reason,
    distance_km,
    rank_networks,
    score_network,
)
from meute.networks.models import Purpose, Rhythm
from meute.networks.reasons import describe
from meute.reference.models import Commune
from tests.factories import MembershipFactory, NetworkFactory

QUESTIONNAIRE = reverse("networks:questionnaire")
TOURS, CHINON = "37261", "37072"


def facts(key: int, **kw: object) -> NetworkFacts:
    """A network open to every sector, meeting monthly for 3 h, with 10 members and no cap."""
    base: dict[str, object] = {
        "key": key,
        "purposes": frozenset(),
        "sectors": frozenset(),
        "formats": frozenset(),
        "rhythm": "monthly",
        "hours_per_month": 3,
        "latitude": None,
        "longitude": None,
        "active_members": 10,
        "member_cap": None,
    }
    base.update(kw)
    return NetworkFacts(**base)  # type: ignore[arg-type]


# The engine, on tiny hand-built cases


def test_a_network_without_any_answer_scores_half_the_purpose_weight_plus_open_sectors() -> None:
    r = score_network(Answers(), facts(1))
    assert r.score == 27.5  # 35 / 2 + 15 * 2/3
    assert [x.code for x in r.reasons] == ["open_sectors", "rhythm"]


def test_a_perfect_purpose_and_rhythm_fit_scores_exactly() -> None:
    answers = Answers(purposes=frozenset({"business"}), rhythm="monthly")
    r = score_network(answers, facts(1, purposes=frozenset({"business"}), active_members=10, member_cap=20))
    assert r.score == 55.0  # 35 purpose + 10 open sectors + 10 rhythm
    assert r.reasons == (
        Reason("purposes", True, items=("business",)),
        Reason("open_sectors", True),
        Reason("rhythm", True, value="monthly"),
        Reason("seats_left", True, value=10),
    )


def test_the_network_that_shares_the_persons_purposes_comes_first() -> None:
    answers = Answers(purposes=frozenset({"business", "learn"}))
    nets = [
        facts(1, purposes=frozenset({"watch"})),
        facts(2, purposes=frozenset({"business", "learn"})),
        facts(3, purposes=frozenset({"learn"})),
    ]
    assert [r.key for r in rank_networks(answers, nets)] == [2, 3, 1]


def test_ties_go_to_the_smaller_network_then_the_smaller_key() -> None:
    nets = [facts(1, active_members=30), facts(2, active_members=5), facts(3, active_members=5)]
    assert [r.key for r in rank_networks(Answers(), nets)] == [2, 3, 1]


def test_a_full_network_loses_the_full_penalty_and_says_so() -> None:
    roomy = score_network(Answers(), facts(1, member_cap=11))
    full = score_network(Answers(), facts(2, member_cap=10))
    assert roomy.score - full.score == FULL_PENALTY
    assert Reason("full", False) in full.reasons
    assert [r.key for r in rank_networks(Answers(), [facts(2, member_cap=10), facts(1, member_cap=11)])] == [
        1,
        2,
    ]


def test_the_nearer_network_comes_first_with_its_distance_in_km() -> None:
    tours, chinon = (47.391, 0.689), (47.167, 0.24)
    answers = Answers(latitude=tours[0], longitude=tours[1])
    nets = [
        facts(1, latitude=chinon[0], longitude=chinon[1]),
        facts(2, latitude=tours[0], longitude=tours[1]),
    ]
    ranked = rank_networks(answers, nets)
    assert [r.key for r in ranked] == [2, 1]
    km = round(distance_km(*tours, *chinon))
    assert 35 <= km <= 45
    assert Reason("distance", False, value=km) in ranked[1].reasons  # beyond 30 km: a reserve
    assert Reason("distance", True, value=0) in ranked[0].reasons


def test_your_sector_beats_open_sectors_which_beat_other_sectors() -> None:
    answers = Answers(sector="F")
    nets = [facts(1, sectors=frozenset({"G"})), facts(2), facts(3, sectors=frozenset({"F"}))]
    assert [r.key for r in rank_networks(answers, nets)] == [3, 2, 1]


def test_a_network_asking_more_time_than_available_says_so() -> None:
    r = score_network(Answers(hours_per_month=2), facts(1, hours_per_month=6))
    assert Reason("time_over", False, value=6) in r.reasons


def test_the_limit_keeps_the_best_networks() -> None:
    nets = [facts(k, active_members=k) for k in range(1, 6)]
    assert [r.key for r in rank_networks(Answers(), nets, limit=2)] == [1, 2]


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (Reason("seats_left", True, value=19), "19 places libres"),
        (Reason("seats_left", True, value=None), "des places libres"),
        (Reason("distance", True, value=12), "à 12 km"),
        (Reason("distance", True, value=1), "tout près de chez vous"),
        (Reason("purposes", True, items=("business",)), "pour faire des affaires"),
        (Reason("full", False), "complet : liste d'attente"),
        (Reason("rhythm", True, value="weekly"), "hebdomadaire"),
    ],
)
def test_each_reason_reads_as_a_french_phrase(reason: Reason, text: str) -> None:
    assert describe(reason)["text"] == text


# The page


@pytest.fixture
def two_networks(db: None) -> None:
    near = NetworkFactory(
        name="Affaires à Tours",
        purposes=[Purpose.BUSINESS],
        commune=Commune.objects.get(insee=TOURS),
        member_cap=20,
        rhythm=Rhythm.MONTHLY,
    )
    MembershipFactory(network=near)
    NetworkFactory(
        name="Apprendre à Chinon",
        purposes=[Purpose.LEARN],
        commune=Commune.objects.get(insee=CHINON),
        member_cap=None,
    )
    NetworkFactory(name="Brouillon d'affaires", purposes=[Purpose.BUSINESS], is_published=False)


def test_it_ranks_the_matching_network_first_and_says_why(client: Client, two_networks: None) -> None:
    response = client.get(QUESTIONNAIRE, {"purposes": "business", "commune": TOURS, "rhythm": "monthly"})
    assert response.status_code == 200
    results = response.context["results"]
    assert [r["network"].name for r in results] == ["Affaires à Tours", "Apprendre à Chinon"]
    texts = [reason["text"] for reason in results[0]["reasons"]]
    assert "des places libres" in texts  # 1 member: the number of seats (19) would give the size
    assert "tout près de chez vous" in texts  # both in Tours
    assert "pour faire des affaires" in texts
    chinon = [reason["text"] for reason in results[1]["reasons"]]
    assert any(re.fullmatch(r"à \d+ km", t) for t in chinon), chinon
    html = response.content.decode()
    assert "des places libres" in html and "19 places libres" not in html
    assert "ne répond pas à ce que vous cherchez" in html  # the reserve on Chinon


def test_it_never_recommends_an_unpublished_network(client: Client, two_networks: None) -> None:
    response = client.get(QUESTIONNAIRE, {"purposes": "business"})
    assert "Brouillon d'affaires" not in [r["network"].name for r in response.context["results"]]


def test_without_answers_it_explains_how_it_ranks(client: Client, two_networks: None) -> None:
    response = client.get(QUESTIONNAIRE)
    assert response.context["results"] is None
    assert "Comment nous classons" in response.content.decode()


@pytest.mark.parametrize("params", [{"commune": "75056"}, {"purposes": "gossip"}, {"hours_per_month": "-3"}])
def test_a_bad_answer_is_named_and_nothing_is_ranked(
    client: Client, two_networks: None, params: dict[str, str]
) -> None:
    response = client.get(QUESTIONNAIRE, params)
    assert response.status_code == 200
    assert response.context["results"] is None
    assert list(response.context["form"].errors) == list(params)
