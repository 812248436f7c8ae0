"""The linkage run: Splink on the records of every list, the review queue, decisions kept and fed
back, a merge undone, Meute's own people counted once, erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from meute.accounts.models import User
from meute.engine.linkage import synth
from meute.networks.models import Network
from meute.observatory import linking, services
from meute.observatory.models import (
    Decision,
    LinkageRun,
    ListImport,
    ListMembership,
    ObservedPerson,
    ReviewPair,
    SourceRecord,
)
from tests.factories import NetworkFactory
from tests.observatory.conftest import csv_bytes

DAY = dt.date(2026, 6, 30)
HEADERS = ("Nom", "Prénom", "Entreprise", "Email")


@pytest.fixture
def imported(django_capture_on_commit_callbacks: Any) -> Any:
    def run(network: Network, user: User, data: bytes, name: str = "liste.csv") -> ListImport:
        imp = services.list_import_upload(
            network=network, user=user, file_name=name, data=data, list_date=DAY
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.list_import_confirm(list_import=imp, user=user, mapping=imp.mapping)

    return run


def person_of(network: Network, row: int) -> int | None:
    return SourceRecord.objects.get(list_import__network=network, row=row).observed_id


def test_splink_links_synthetic_lists_of_three_networks(staff: User, imported: Any) -> None:
    lists = synth.generate(11, n_people=150, n_networks=3)
    networks = [NetworkFactory(slug=f"r{i}") for i in range(3)]
    for network, member_list in zip(networks, lists, strict=True):
        imported(network, staff, synth.to_csv_bytes(member_list), f"{member_list.name}.csv")
    run = LinkageRun.objects.order_by("-pk").first()
    assert run is not None and run.status == "done" and run.method == "splink"
    n_records = sum(len(m.rows) for m in lists)
    assert run.n_records == n_records == SourceRecord.objects.count()
    truth = {p for m in lists for p in m.persons}
    # The engine's own benchmark is the judge of quality; here: the count is about right,
    # every record has its person, and people appear in one to three networks.
    assert abs(ObservedPerson.objects.count() - len(truth)) <= 0.03 * len(truth)
    assert not SourceRecord.objects.filter(observed__isnull=True).exists()
    per_person = ListMembership.objects.values("observed").distinct().count()
    assert per_person == ObservedPerson.objects.count()
    for pair in ReviewPair.objects.all():
        assert pair.weights and 0.5 <= pair.match_probability < 1


def test_small_sets_are_linked_by_exact_rules_and_uncertain_pairs_reviewed(
    club: Network, other_club: Network, staff: User, imported: Any
) -> None:
    imported(club, staff, csv_bytes([("MARTIN", "Jean", "Garage Fontenelle", "jm@garage.fr")], HEADERS))
    imported(other_club, staff, csv_bytes([("Martin", "Jean", "Boulangerie Sorel", "")], HEADERS))
    assert LinkageRun.objects.order_by("-pk")[0].method == "exact"
    assert person_of(club, 2) != person_of(other_club, 2)
    pair = ReviewPair.objects.get()
    assert pair.decision == Decision.PENDING and pair.match_probability == 0.5


def test_a_decision_is_kept_reused_and_can_be_undone(
    club: Network, other_club: Network, staff: User, imported: Any, django_capture_on_commit_callbacks: Any
) -> None:
    imported(club, staff, csv_bytes([("MARTIN", "Jean", "Garage Fontenelle", "jm@garage.fr")], HEADERS))
    imported(other_club, staff, csv_bytes([("Martin", "Jean", "Boulangerie Sorel", "")], HEADERS))
    pair = ReviewPair.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_decide(pair=pair, user=staff, same=True)
    assert person_of(club, 2) == person_of(other_club, 2)
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == (Decision.SAME, staff)
    # A newer list of the club: the decision still holds at the next run.
    imported(
        club,
        staff,
        csv_bytes([("MARTIN", "Jean", "Garage", "jm@garage.fr"), ("ROUX", "Léa", "", "")], HEADERS),
    )
    newest = SourceRecord.objects.filter(list_import__network=club).order_by("-pk")
    assert len({r.observed_id for r in newest if r.surname == "martin"} | {person_of(other_club, 2)}) == 1
    assert ObservedPerson.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_undo(pair=pair, user=staff)
    assert person_of(other_club, 2) not in {r.observed_id for r in newest}
    assert ReviewPair.objects.get(pk=pair.pk).decision == Decision.PENDING


def test_a_merge_made_by_the_model_can_be_undone(
    club: Network, other_club: Network, staff: User, imported: Any, django_capture_on_commit_callbacks: Any
) -> None:
    imported(club, staff, csv_bytes([("MARTIN", "Jean", "Garage", "shared@x.fr")], HEADERS))
    imported(other_club, staff, csv_bytes([("DURAND", "Paul", "Garage", "shared@x.fr")], HEADERS))
    assert person_of(club, 2) == person_of(other_club, 2)  # the same e-mail joined them
    record = SourceRecord.objects.get(list_import__network=other_club)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.record_detach(record=record, user=staff) == 1
    assert person_of(club, 2) != person_of(other_club, 2)
    assert ReviewPair.objects.get().decision == Decision.SPLIT


def test_decisions_that_contradict_fail_the_run_and_change_nothing(
    club: Network, other_club: Network, staff: User, imported: Any
) -> None:
    imported(club, staff, csv_bytes([("MARTIN", "Jean", "Garage", "a@x.fr")], HEADERS))
    imported(
        other_club, staff, csv_bytes([("MARTIN", "Jean", "Garage", "b@x.fr"), ("X", "Y", "", "")], HEADERS)
    )
    a = SourceRecord.objects.get(list_import__network=club)
    b = SourceRecord.objects.get(list_import__network=other_club, row=2)
    before = person_of(club, 2)
    assert before == b.observed_id  # same name and firm
    third = NetworkFactory(slug="third")
    imported(third, staff, csv_bytes([("MARTIN", "Jean", "Garage", "a@x.fr")], HEADERS))
    c = SourceRecord.objects.get(list_import__network=third)
    x, y = sorted((a.pk, c.pk))
    ReviewPair.objects.create(record_a_id=x, record_b_id=y, decision=Decision.SPLIT)  # a, c apart
    ReviewPair.objects.create(record_a_id=a.pk, record_b_id=b.pk, decision=Decision.SAME)
    x, y = sorted((b.pk, c.pk))
    ReviewPair.objects.create(record_a_id=x, record_b_id=y, decision=Decision.SAME)  # a = b = c
    run = LinkageRun.objects.create()
    linking.linkage_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "contradict" in run.error
    assert person_of(club, 2) == before


def test_people_with_an_account_are_linked_and_counted_once(
    club: Network, other_club: Network, staff: User, member: User, imported: Any
) -> None:
    imported(club, staff, csv_bytes([("MOREAU", "Claire", "", "membre@club.example")], HEADERS))
    imported(other_club, staff, csv_bytes([("Moreau", "Claire", "", "claire.moreau@gmail.com")], HEADERS))
    linked = ObservedPerson.objects.get(person=member.person)
    assert linked.records.count() == 1
    assert LinkageRun.objects.order_by("-pk")[0].n_accounts == 1


def test_an_erased_person_leaves_no_record(
    club: Network, other_club: Network, staff: User, imported: Any
) -> None:
    imported(
        club, staff, csv_bytes([("MARTIN", "Jean", "Garage", "jm@x.fr"), ("ROUX", "Léa", "", "")], HEADERS)
    )
    imported(other_club, staff, csv_bytes([("Martin", "Jean", "Garage", "jm@x.fr")], HEADERS))
    observed = ObservedPerson.objects.get(label="MARTIN Jean")
    assert services.observed_erase(observed=observed, user=staff) == 2
    assert not SourceRecord.objects.filter(surname="martin").exists()
    assert not ObservedPerson.objects.filter(pk=observed.pk).exists()
    assert list(ListMembership.objects.values_list("observed__label", flat=True)) == ["ROUX Lea"]
    assert ListImport.objects.get(network=club).n_records == 1
