"""The observatory's tables keep their rules in the database, whoever writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from meute.networks.models import Network
from meute.observatory.models import ImportStatus, LawfulBasis, ListImport, ReviewPair, SourceRecord


def _import(network: Network, status: str = ImportStatus.IMPORTED, digest: str = "a" * 64) -> ListImport:
    return ListImport.objects.create(
        network=network,
        file_name="liste.csv",
        list_date=dt.date(2026, 1, 31),
        content_hash=digest,
        status=status,
    )


def _record(list_import: ListImport, row: int) -> SourceRecord:
    return SourceRecord.objects.create(
        list_import=list_import, row=row, surname="dupont", lawful_basis=LawfulBasis.PUBLIC_TASK, source="x"
    )


def test_one_file_is_imported_once_per_network(club: Network, other_club: Network) -> None:
    _import(club)
    _import(other_club)  # another network may send the same file
    _import(club, status=ImportStatus.PENDING)  # a pending copy is allowed, confirming it is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        _import(club)


def test_a_row_of_a_list_is_one_record(club: Network) -> None:
    imp = _import(club)
    _record(imp, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        _record(imp, 2)


def test_a_review_pair_is_stored_once_in_order(club: Network) -> None:
    imp = _import(club)
    a, b = _record(imp, 2), _record(imp, 3)
    ReviewPair.objects.create(record_a=a, record_b=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewPair.objects.create(record_a=b, record_b=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewPair.objects.create(record_a=a, record_b=b)
