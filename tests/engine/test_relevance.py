"""Relevance of meetings from profiles: matching, symmetry, wishes, reasons, and the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from meute.engine.errors import EngineInputError
from meute.engine.relevance import Profile, parse_profiles, score_profiles, to_pairing_instance, top_partners

LABELLED = Path(__file__).resolve().parents[2] / "meute" / "engine" / "data" / "profiles_labelled.json"


def weight(result, a: str, b: str) -> int:
    return int(result.weights[result.ids.index(a), result.ids.index(b)])


def test_comptable_matches_comptabilite():
    r = score_profiles(
        [
            Profile("marie", seeks="Je cherche un comptable"),
            Profile("paul", offers="Tenue de la comptabilité des TPE"),
            Profile("zoe", offers="Vente de vins de Vouvray"),
        ]
    )
    assert weight(r, "marie", "paul") > 0
    assert weight(r, "marie", "paul") > weight(r, "marie", "zoe")


def test_site_web_matches_creation_de_sites_internet():
    r = score_profiles(
        [
            Profile("marie", seeks="un site web"),
            Profile("paul", offers="Création de sites internet"),
            Profile("zoe", offers="Plomberie et chauffage"),
        ]
    )
    assert weight(r, "marie", "paul") > weight(r, "marie", "zoe")


def test_weights_are_symmetric_non_negative_integers_with_zero_diagonal():
    profiles, _, _ = parse_profiles(json.loads(LABELLED.read_text(encoding="utf-8")))
    w = score_profiles(profiles).weights
    assert w.dtype.kind == "i"
    assert (w >= 0).all()
    assert (w == w.T).all()
    assert (np.diag(w) == 0).all()


def test_mutual_wishes_become_requested_and_one_sided_wishes_weigh_more():
    base = [Profile("a", offers="vins"), Profile("b", offers="vins de Chinon"), Profile("c", offers="vins")]
    plain = score_profiles(base)
    r = score_profiles(
        [
            Profile("a", offers="vins", wishes=("b", "c")),
            Profile("b", offers="vins de Chinon", wishes=("a",)),
            Profile("c", offers="vins"),
        ]
    )
    assert r.requested == (("a", "b"),)
    assert weight(r, "a", "c") > weight(plain, "a", "c")


def test_avoid_becomes_forbidden_with_zero_weight():
    r = score_profiles(
        [Profile("a", seeks="un comptable", avoid=("b",)), Profile("b", offers="expertise comptable")]
    )
    assert r.forbidden == (("a", "b"),)
    assert weight(r, "a", "b") == 0


def test_colleagues_weigh_nothing():
    r = score_profiles(
        [Profile("a", company="x", seeks="un comptable"), Profile("b", company="x", offers="comptabilité")]
    )
    assert weight(r, "a", "b") == 0


def test_same_activity_scores_lower_unless_both_seek_partners():
    seeker = Profile("s", naf="43.22A", seeks="plomberie chauffage")
    rival = Profile("r", naf="43.22A", offers="plomberie chauffage")
    other = Profile("o", naf="71.11Z", offers="plomberie chauffage")
    r = score_profiles([seeker, rival, other])
    assert weight(r, "s", "r") < weight(r, "s", "o")
    partners = score_profiles(
        [
            Profile("s", naf="43.22A", seeks="un partenaire en plomberie chauffage"),
            Profile("r", naf="43.22A", offers="plomberie chauffage", seeks="des partenaires"),
        ]
    )
    assert weight(partners, "s", "r") > weight(r, "s", "r")


def test_decision_makers_are_worth_more():
    r = score_profiles(
        [
            Profile("s", seeks="un comptable"),
            Profile("boss", offers="comptabilité", decision_maker=True),
            Profile("clerk", offers="comptabilité"),
        ]
    )
    assert weight(r, "s", "boss") > weight(r, "s", "clerk")


def test_reasons_name_both_people_in_french():
    r = score_profiles(
        [
            Profile("p1", name="Marie", seeks="un site internet"),
            Profile("p2", name="Paul", offers="Création de sites web vitrines"),
        ]
    )
    (reason,) = r.reasons
    assert reason.between == ("p1", "p2")
    assert "Marie" in reason.why and "Paul" in reason.why
    assert "Marie cherche un site internet ; Paul crée des sites internet" in reason.why


def test_probable_competitors_are_a_caution_for_the_organiser_not_a_reason_shown_to_the_pair():
    r = score_profiles(
        [
            Profile("s", name="Sophie", naf="43.22A", seeks="plomberie", activity="Travaux de plomberie"),
            Profile("r", name="Rémi", naf="43.22A", offers="plomberie", activity="Travaux de plomberie"),
        ]
    )
    (reason,) = r.reasons
    assert "concurrent" not in reason.why and "43.22A" not in reason.why
    assert reason.caution == "même activité (Travaux de plomberie) : concurrents probables"
    doc = to_pairing_instance([Profile("s"), Profile("r")], r, rounds=1, table_size=2)
    assert doc["reasons"][0]["caution"] == reason.caution


def test_complementary_activities_are_named_in_words_when_known():
    r = score_profiles(
        [
            Profile(
                "a",
                name="Ana",
                naf="41.20A",
                offers="construction de maisons",
                activity="Construction de maisons",
            ),
            Profile(
                "b", name="Bob", naf="71.11Z", seeks="un constructeur de maisons", activity="Architecture"
            ),
        ]
    )
    (reason,) = r.reasons
    assert "activités complémentaires (Construction de maisons et Architecture)" in reason.why
    assert reason.caution == ""


def test_reasons_fall_back_to_ids():
    r = score_profiles([Profile("p1", seeks="un comptable"), Profile("p2", offers="comptabilité")])
    assert "p1" in r.reasons[0].why and "p2" in r.reasons[0].why


def test_the_pairing_instance_copies_rounds_and_table_size():
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    profiles, rounds, table_size = parse_profiles(data)
    doc = to_pairing_instance(profiles, score_profiles(profiles), rounds=rounds, table_size=table_size)
    assert doc["format"] == "meute.pairing-instance/1"
    assert (doc["rounds"], doc["table_size"]) == (data["rounds"], data["table_size"])
    assert len(doc["weights"]) == len(doc["participants"]) == len(data["participants"])
    assert all(set(r) == {"between", "why"} for r in doc["reasons"])


def test_labelled_set_expected_partner_in_top_three_for_nine_seekers_in_ten():
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    profiles, _, _ = parse_profiles(data)
    assert len(profiles) >= 40
    top = top_partners(score_profiles(profiles), 3)
    labelled = [p for p in data["participants"] if p["expected"]]
    hits = sum(bool(set(top[p["id"]]) & set(p["expected"])) for p in labelled)
    assert hits / len(labelled) >= 0.9


def test_no_profiles_no_weights():
    assert score_profiles([]).weights.shape == (0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "meute.profile/1"}, "format"),
        ({"rounds": "six"}, "rounds: expected an integer"),
        ({"table_size": 1}, "table_size: must be >= 2"),
        ({"participants": [{"id": "a"}, {"id": "a"}]}, "duplicate id 'a'"),
        (
            {"participants": [{"id": "a", "wishes": ["ghost"]}]},
            "participant a: wishes: unknown participant 'ghost'",
        ),
        ({"participants": [{"id": "a", "avoid": ["a"]}]}, "participant a: avoid: names themselves"),
        ({"participants": [{"id": "a", "naf": "plombier"}]}, "participant a: naf"),
        ({"participants": [{"id": "a", "decision_maker": "oui"}]}, "participant a: decision_maker"),
        ({"participants": [{"id": "a", "tags": "RGE"}]}, "participant a: tags"),
    ],
)
def test_bad_profiles_are_refused_with_the_field_named(change, message):
    data = {"format": "meute.profiles/1", "rounds": 6, "table_size": 2, "participants": [], **change}
    with pytest.raises(EngineInputError, match=message):
        parse_profiles(data)


@pytest.mark.parametrize(
    "profiles",
    [
        [Profile("a"), Profile("b"), Profile("c")],
        [Profile("a", offers="le la les", seeks="de des"), Profile("b", seeks="et ou"), Profile("c")],
    ],
)
def test_profiles_without_any_word_give_zero_relevance_not_an_error(profiles: list[Profile]) -> None:
    # scikit-learn: "empty vocabulary; perhaps the documents only contain stop words".
    result = score_profiles(profiles)
    assert result.weights.shape == (3, 3) and not result.weights.any()
    assert result.reasons == ()
    assert [n.key for n in result.notes] == ["no_profiles" if not profiles[0].offers else "no_relevance"]
