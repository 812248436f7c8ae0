"""Memberships from the lists: arrivals from a newer list, departures only once a manager confirms
the absent people, dated at the list's date; an older list imported late fits in its place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import selectors, services
from meute.observatory.models import ListImport, ListMembership
from tests.observatory.conftest import HEADERS, ROWS, csv_bytes

JAN, JUN, DEC = dt.date(2026, 1, 31), dt.date(2026, 6, 30), dt.date(2026, 12, 31)
NEWCOMER = ("GIRARD", "Paul", "Imprimerie Sorel", "", "p.girard@sorel.fr", "", "Tours")


@pytest.fixture
def linked(django_capture_on_commit_callbacks: Any) -> Any:
    """Import a list (the linkage runs on commit, at once)."""

    def run(network: Network, user: User, rows: Any, day: dt.date, headers: Any = HEADERS) -> ListImport:
        imp = services.list_import_upload(
            network=network, user=user, file_name=f"{day}.csv", data=csv_bytes(rows, headers), list_date=day
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.list_import_confirm(list_import=imp, user=user, mapping=imp.mapping)

    return run


def periods(network: Network) -> list[tuple[str, dt.date, dt.date | None]]:
    return sorted(
        (m.observed.label, m.start_date, m.end_date)
        for m in ListMembership.objects.filter(network=network).select_related("observed")
    )


def test_a_newer_list_records_arrivals_and_proposes_departures(
    club: Network, staff: User, linked: Any
) -> None:
    linked(club, staff, ROWS, JAN)
    newer = linked(club, staff, [ROWS[0], ROWS[1], NEWCOMER], JUN)
    assert selectors.arrivals_of(newer) == 1
    absent = selectors.absent_people(newer)
    assert [a.observed.label for a in absent] == ["LEFEVRE Eloise"]
    # Nothing ends before the manager confirms.
    assert all(end is None for _, _, end in periods(club))
    assert services.departures_confirm(list_import=newer, user=staff) == 1
    assert periods(club) == [
        ("DUPONT Jean Pierre", JAN, None),
        ("GIRARD Paul", JUN, None),
        ("LEFEVRE Eloise", JAN, JUN),
        ("MARTIN Elodie", JAN, None),
    ]
    assert selectors.absent_people(newer)  # still absent from that list, but already confirmed
    newer.refresh_from_db()
    assert newer.departures_confirmed_at is not None


def test_a_manager_may_keep_an_absent_person_as_a_member(club: Network, manager: User, linked: Any) -> None:
    linked(club, manager, ROWS, JAN)
    newer = linked(club, manager, [ROWS[0]], JUN)
    absent = {a.observed.label: a.observed.pk for a in selectors.absent_people(newer)}
    assert set(absent) == {"MARTIN Elodie", "LEFEVRE Eloise"}
    services.departures_confirm(list_import=newer, user=manager, observed_ids=[absent["LEFEVRE Eloise"]])
    assert dict((label, end) for label, _, end in periods(club)) == {
        "DUPONT Jean Pierre": None,
        "MARTIN Elodie": None,
        "LEFEVRE Eloise": JUN,
    }


def test_someone_who_comes_back_starts_a_new_period(club: Network, staff: User, linked: Any) -> None:
    linked(club, staff, ROWS, JAN)
    services.departures_confirm(list_import=linked(club, staff, ROWS[:2], JUN), user=staff)
    linked(club, staff, [*ROWS, NEWCOMER], DEC)  # (the very same file would change nothing)
    assert [p for p in periods(club) if p[0] == "LEFEVRE Eloise"] == [
        ("LEFEVRE Eloise", JAN, JUN),
        ("LEFEVRE Eloise", DEC, None),
    ]


def test_the_date_of_membership_given_by_the_list_starts_the_period(
    club: Network, staff: User, linked: Any
) -> None:
    headers = ("Nom", "Prénom", "Email", "Date d'adhésion")
    linked(club, staff, [("DUPONT", "Jean", "jd@x.fr", "15/03/2019")], JAN, headers)
    assert periods(club) == [("DUPONT Jean", dt.date(2019, 3, 15), None)]


def test_people_absent_from_a_list_that_is_not_linked_yet_are_not_proposed(
    club: Network, staff: User
) -> None:
    first = services.list_import_upload(
        network=club, user=staff, file_name="a.csv", data=csv_bytes(), list_date=JAN
    )
    services.list_import_confirm(
        list_import=first, user=staff, mapping=first.mapping
    )  # no commit: not linked
    assert selectors.absent_people(first) == []
    with pytest.raises(ValidationError, match="rapprochement"):
        services.departures_confirm(list_import=first, user=staff)


def test_only_absent_people_can_be_confirmed_as_departed(club: Network, staff: User, linked: Any) -> None:
    first = linked(club, staff, ROWS, JAN)
    newer = linked(club, staff, ROWS[:2], JUN)
    present = first.records.get(row=2).observed_id
    with pytest.raises(ValidationError, match="absents"):
        services.departures_confirm(list_import=newer, user=staff, observed_ids=[present])


def test_lists_of_two_networks_count_a_person_once_with_two_memberships(
    club: Network, other_club: Network, staff: User, linked: Any
) -> None:
    linked(club, staff, ROWS, JAN)
    linked(other_club, staff, [ROWS[0], NEWCOMER], JAN)
    dupont = ListMembership.objects.filter(observed__label="DUPONT Jean Pierre")
    assert sorted(m.network.slug for m in dupont) == ["club", "other-club"]
    assert len({m.observed_id for m in dupont}) == 1
