"""Linkage: normalisation, constrained clustering, and tiny exact cases inside a population.

The Splink model learns its parameters from the records, so each tiny case is
linked among ~500 synthetic members (what a real run sees), and only the case's
own rows are asserted on.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.engine.errors import EngineInputError
from meute.engine.linkage import read_table, records_from_table, synth
from meute.engine.linkage.columns import (
    Record,
    fold_words,
    normalise_company,
    normalise_phone,
    split_full_name,
)
from meute.engine.linkage.model import Decision, Linkage, cluster, link

# Two lists of cases, row by row: (case, role) -> row of the file.
CASE_A = """Nom;Prénom;Entreprise;Email;Portable
MARTIN;Jean;Transports Rivière;jean.martin@transports-riviere.fr;06 11 11 11 11
DUPONT;JP;Menuiserie Gaultier;;06 22 22 22 22
Bernard;Alice;Imprimerie Sorel;a.bernard@imprimerie-sorel.fr;02 47 55 55 55
LEFÈVRE;Éloïse;Optique Vasseur;;
"""
CASE_B = """NOM Prénom;Société;Mail;Téléphone
MARTIN Jean;Garage Fontenelle;jmartin@gmail.com;07 33 33 33 33
DUPONT Jean-Pierre;SARL Menuiserie Gaultier;jp.dupont@orange.fr;
GIRARD Paul;Imprimerie Sorel;p.girard@imprimerie-sorel.fr;02 47 55 55 55
LEFEVRE Eloise;OPTIQUE VASSEUR;;
"""
CASES = {"homonyms": 2, "initials": 3, "switchboard": 4, "accents": 5}  # spreadsheet row in both files


def population() -> list[Record]:
    records: list[Record] = []
    for member_list in synth.generate(11, n_people=300, n_networks=6):
        records += records_from_table(read_table(synth.to_csv_bytes(member_list), member_list.name))[0]
    for name, text in (("case-a.csv", CASE_A), ("case-b.csv", CASE_B)):
        records += records_from_table(read_table(text.encode(), name))[0]
    return records


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return population()


def index(records: list[Record], file: str, row: int) -> int:
    return next(i for i, r in enumerate(records) if r.file == file and r.row == row)


def same_person(records: list[Record], result: Linkage, case: str) -> bool:
    a, b = index(records, "case-a.csv", CASES[case]), index(records, "case-b.csv", CASES[case])
    return result.person[a] == result.person[b]


@pytest.fixture(scope="module")
def linked(records: list[Record]) -> Linkage:
    return link(records, seed=0)


def test_homonyms_at_other_firms_stay_two_people(records: list[Record], linked: Linkage) -> None:
    assert not same_person(records, linked, "homonyms")


def test_initials_join_the_compound_first_name(records: list[Record], linked: Linkage) -> None:
    assert same_person(records, linked, "initials")


def test_a_shared_switchboard_alone_is_not_enough(records: list[Record], linked: Linkage) -> None:
    assert not same_person(records, linked, "switchboard")


def test_accents_and_case_do_not_matter(records: list[Record], linked: Linkage) -> None:
    assert same_person(records, linked, "accents")


def test_known_decisions_are_honoured(records: list[Record]) -> None:
    def pair(case: str) -> tuple[int, int]:
        return index(records, "case-a.csv", CASES[case]), index(records, "case-b.csv", CASES[case])

    decisions = [Decision(*pair("homonyms"), same=True), Decision(*pair("accents"), same=False)]
    result = link(records, seed=0, decisions=decisions)
    assert same_person(records, result, "homonyms")
    assert not same_person(records, result, "accents")
    decided = {pair("homonyms"), pair("accents")}
    assert not decided & {(p.left, p.right) for p in result.review}


def test_it_is_deterministic_for_a_seed(records: list[Record], linked: Linkage) -> None:
    assert link(records, seed=0).person == linked.person


def test_review_pairs_carry_one_weight_per_comparison(linked: Linkage) -> None:
    for pair in linked.review:
        assert pair.left < pair.right and pair.match_probability < 1.0 + 1e-9
        assert {name for name, _ in pair.weights} >= {"first_name", "surname"}


def test_it_links_most_of_a_synthetic_population(records: list[Record], linked: Linkage) -> None:
    truth = [p for member_list in synth.generate(11, n_people=300, n_networks=6) for p in member_list.persons]
    pairs = synth.truth_pairs(truth)
    found = synth.truth_pairs(list(linked.person[: len(truth)]))
    assert len(pairs & found) / len(found) > 0.98 and len(pairs & found) / len(pairs) > 0.97


def test_cluster_joins_edges_and_keeps_split_pairs_apart() -> None:
    assert cluster(5, [(0, 1, 3.0), (1, 2, 2.0), (3, 4, 1.0)]) == (0, 0, 0, 1, 1)
    assert cluster(3, [(0, 1, 3.0), (1, 2, 2.0)], [Decision(0, 2, same=False)]) == (0, 0, 1)
    assert cluster(3, [], [Decision(0, 2, same=True)]) == (0, 1, 0)


def test_cluster_never_puts_two_rows_of_one_file_in_one_person() -> None:
    assert cluster(3, [(0, 1, 5.0), (1, 2, 4.0)], groups=["a", "b", "a"]) == (0, 0, 1)


def test_cluster_refuses_contradicting_decisions() -> None:
    with pytest.raises(EngineInputError, match="contradict"):
        cluster(3, [], [Decision(0, 1, same=True), Decision(1, 2, same=True), Decision(0, 2, same=False)])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 12),
    data=st.data(),
)
def test_cluster_honours_every_split_and_every_file(n: int, data: st.DataObject) -> None:
    node = st.integers(0, n - 1)
    edges = data.draw(
        st.lists(st.tuples(node, node, st.floats(0, 20)).filter(lambda e: e[0] != e[1]), max_size=30)
    )
    splits = data.draw(st.lists(st.tuples(node, node).filter(lambda e: e[0] != e[1]), max_size=4))
    groups = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    labels = cluster(n, edges, [Decision(a, b, same=False) for a, b in splits], groups)
    for a, b in splits:
        assert labels[a] != labels[b]
    for i in range(n):
        for j in range(i + 1, n):
            if labels[i] == labels[j]:
                assert groups[i] != groups[j]
    assert sorted(set(labels)) == list(range(len(set(labels))))


@given(st.text(max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    assert fold_words(fold_words(text)) == fold_words(text)


def test_names_in_one_cell_are_split_by_case() -> None:
    assert split_full_name("LE GOFF Marie-Anne") == ("le goff", "marie anne")
    assert split_full_name("Paul DURAND") == ("durand", "paul")
    assert split_full_name("DURAND JP") == ("durand", "jp")


def test_legal_forms_are_stripped_from_firms() -> None:
    assert normalise_company("SAS Transports Rivière") == normalise_company("Transports RIVIERE (SARL)")


def test_phones_become_e164_with_their_kind() -> None:
    assert normalise_phone("07 52 00 00 00") == ("+33752000000", "mobile")
    assert normalise_phone("0247 00 00 00") == ("+33247000000", "landline")
    assert normalise_phone("12") == ("", "")
