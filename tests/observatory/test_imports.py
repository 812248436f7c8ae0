"""Importing member lists: round trips in every format, the mapping remembered, validation by
row and column, all or nothing, the same file twice, bad files refused with a clear message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import services
from meute.observatory.models import (
    ColumnMapping,
    ImportStatus,
    LinkageRun,
    ListImport,
    ObservedPerson,
    SourceRecord,
)
from tests.observatory.conftest import HEADERS, ROWS, csv_bytes, ods_bytes, xlsx_bytes

DAY = dt.date(2026, 6, 30)


def upload(
    network: Network, user: User, data: bytes, name: str = "liste.csv", day: dt.date = DAY
) -> ListImport:
    return services.list_import_upload(network=network, user=user, file_name=name, data=data, list_date=day)


def confirm(imp: ListImport, user: User, skip: bool = False) -> ListImport:
    return services.list_import_confirm(list_import=imp, user=user, mapping=imp.mapping, skip_errors=skip)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("liste.csv", csv_bytes(delimiter=";", encoding="cp1252")),
        ("liste.csv", csv_bytes(delimiter=",", encoding="utf-8-sig")),
        ("liste.csv", csv_bytes(delimiter="\t")),
        ("liste.xlsx", xlsx_bytes()),
        ("liste.ods", ods_bytes()),
    ],
    ids=["csv-semicolon-cp1252", "csv-comma-bom", "csv-tab", "xlsx", "ods"],
)
def test_a_list_round_trips_into_normalised_records(
    club: Network, staff: User, name: str, data: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    imp = upload(club, staff, data, name)
    assert imp.status == ImportStatus.PENDING
    assert imp.headers == list(HEADERS)
    assert imp.mapping == {
        "surname": 0,
        "first_name": 1,
        "company": 2,
        "siret": 3,
        "email": 4,
        "mobile": 5,
        "commune": 6,
    }
    with django_capture_on_commit_callbacks(execute=True):
        confirm(imp, staff)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED
    assert bytes(imp.pending_data) == b""  # the raw file is not kept
    records = list(SourceRecord.objects.filter(list_import=imp).order_by("row"))
    assert [(r.row, r.surname, r.first_name) for r in records] == [
        (2, "dupont", "jean pierre"),
        (3, "martin", "elodie"),
        (4, "lefevre", "eloise"),
    ]
    assert records[0].company == "menuiserie gaultier"
    assert records[0].phone == "+33612345678"
    assert records[0].source.startswith(name)
    assert records[0].lawful_basis == "public_task"
    # The linkage ran (immediate backend): three people, each in the club from the list's date.
    assert LinkageRun.objects.get().status == "done"
    assert ObservedPerson.objects.count() == 3
    assert sorted(m.start_date for m in club.observed_memberships.all()) == [DAY, DAY, DAY]


def test_the_mapping_is_remembered_for_the_network(club: Network, staff: User) -> None:
    headers = ("Qui", "Prénom", "Boîte", "Courriel")
    rows = [("Dupont", "Jean", "Menuiserie", "jd@x.fr")]
    imp = upload(club, staff, csv_bytes(rows, headers))
    assert imp.mapping == {"first_name": 1, "email": 3}  # "Qui" and "Boîte" say nothing to the guess
    mapping = {"surname": 0, "first_name": 1, "company": 2, "email": 3}
    services.list_import_confirm(list_import=imp, user=staff, mapping=mapping)
    assert ColumnMapping.objects.get(network=club).fields["surname"] == "Qui"
    later = upload(club, staff, csv_bytes([("Martin", "Paul", "Garage", "pm@x.fr")], headers))
    assert later.mapping == mapping


def test_a_list_with_errors_imports_nothing_unless_its_rows_are_skipped(club: Network, staff: User) -> None:
    rows = [
        *ROWS,
        ("DURAND", "Paul", "Garage", "123456789", "paul@garage.fr", "", "Tours"),  # bad SIREN checksum
        ("ROBIN", "Anne", "Traiteur", "", "pas-une-adresse", "", "Tours"),
    ]
    imp = upload(club, staff, csv_bytes(rows))
    with pytest.raises(ValidationError) as refused:
        confirm(imp, staff)
    assert "2 ligne(s) en erreur" in " ".join(refused.value.messages)
    assert not SourceRecord.objects.exists()
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PENDING
    report = [(p["row"], p["column"], p["level"]) for p in imp.problems]
    assert report == [(5, "D (SIRET)", "error"), (6, "E (Email)", "error")]
    assert "clé de contrôle" in imp.problems[0]["message"]
    confirm(imp, staff, skip=True)
    imp.refresh_from_db()
    assert (imp.n_records, imp.n_skipped) == (3, 2)
    assert not SourceRecord.objects.filter(row__in=[5, 6]).exists()


def test_check_reports_problems_and_unknown_communes_without_importing(club: Network, staff: User) -> None:
    from meute.reference.models import Commune

    if not Commune.objects.filter(name="Tours").exists():
        pytest.skip("the reference communes are not loaded")
    rows = [("DUPONT", "Jean", "Menuiserie", "", "", "06 12", "Tataouine")]
    imp = upload(club, staff, csv_bytes(rows))
    services.list_import_check(list_import=imp, mapping=imp.mapping)
    imp.refresh_from_db()
    assert [(p["column"], p["level"]) for p in imp.problems] == [
        ("F (Portable)", "error"),
        ("G (Commune)", "warning"),
    ]
    assert not SourceRecord.objects.exists()


def test_importing_the_same_file_again_changes_nothing(club: Network, staff: User) -> None:
    data = csv_bytes()
    first = confirm(upload(club, staff, data), staff)
    again = upload(club, staff, data)
    assert again.pk == first.pk and again.status == ImportStatus.IMPORTED
    assert ListImport.objects.count() == 1 and SourceRecord.objects.count() == 3
    # A pending copy uploaded before the first was confirmed cannot be imported twice either.
    other = ListImport.objects.create(
        network=club, file_name="x.csv", list_date=DAY, content_hash=first.content_hash, pending_data=data,
        mapping=first.mapping,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="déjà importé"):
        confirm(other, staff)
    assert SourceRecord.objects.count() == 3


def test_the_same_file_for_another_network_is_imported(
    club: Network, other_club: Network, staff: User
) -> None:
    data = csv_bytes()
    confirm(upload(club, staff, data), staff)
    confirm(upload(other_club, staff, data), staff)
    assert SourceRecord.objects.count() == 6


def test_a_discarded_list_keeps_nothing(club: Network, staff: User) -> None:
    imp = upload(club, staff, csv_bytes())
    services.list_import_discard(list_import=imp, user=staff)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DISCARDED and bytes(imp.pending_data) == b""
    with pytest.raises(ValidationError):
        confirm(imp, staff)


def test_abandoned_uploads_are_purged(club: Network, staff: User) -> None:
    imp = upload(club, staff, csv_bytes())
    assert services.imports_purge_pending(now=imp.created_at + services.PENDING_KEPT / 2) == 0
    assert services.imports_purge_pending(now=imp.created_at + services.PENDING_KEPT * 2) == 1
    imp.refresh_from_db()
    assert bytes(imp.pending_data) == b"" and imp.status == ImportStatus.DISCARDED


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "liste.csv : le fichier est vide."),
        (
            b"\x00\x01\x02binary\x00" * 50,
            "liste.csv : un fichier binaire, pas un tableur (CSV, XLSX ou ODS).",
        ),
        (b"PK\x03\x04garbage", "liste.csv : une archive ZIP abîmée, pas un tableur lisible."),
        (
            csv_bytes([("DUPONT", "Jean", '=HYPERLINK("http://x")', "", "", "", "")]),
            "liste.csv : ligne 2, colonne C : une formule",
        ),
        (
            csv_bytes(ROWS, ("Nom", "Prénom", "Nom", "SIRET", "Email", "Portable", "Commune")),
            "liste.csv : ligne 1 : la colonne 'Nom' apparaît deux fois (colonnes A et C).",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "liste.csv : un ancien fichier Excel (.xls)"),
    ],
    ids=["empty", "binary", "zip", "formula", "duplicated-header", "xls"],
)
def test_bad_files_are_refused_with_a_message_naming_file_row_and_column(
    club: Network, staff: User, data: bytes, expected: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(club, staff, data)
    assert refused.value.messages[0].startswith(expected), refused.value.messages
    assert not ListImport.objects.exists()


def test_a_formula_in_an_xlsx_cell_is_refused(club: Network, staff: User) -> None:
    data = xlsx_bytes([("DUPONT", "Jean", '=HYPERLINK("http://x","y")', "", "", "", "")])
    with pytest.raises(ValidationError, match="ligne 2, colonne C : une formule"):
        upload(club, staff, data, "liste.xlsx")


def test_a_file_over_20_mb_is_refused(club: Network, staff: User) -> None:
    with pytest.raises(ValidationError, match="au-delà de la limite de 20 Mo"):
        upload(club, staff, b"a;b\r\n" * (5 * 1024 * 1024))


def test_a_list_without_a_name_column_is_refused_at_the_mapping(club: Network, staff: User) -> None:
    headers = ("Entreprise", "Email", "Commune")
    imp = upload(club, staff, csv_bytes([("Garage", "a@b.fr", "Tours")], headers))
    with pytest.raises(ValidationError, match="colonne du nom"):
        confirm(imp, staff)
    with pytest.raises(ValidationError, match="deux champs"):
        services.list_import_confirm(list_import=imp, user=staff, mapping={"surname": 0, "company": 0})
    assert not SourceRecord.objects.exists()
