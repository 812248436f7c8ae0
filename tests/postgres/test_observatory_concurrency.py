"""Two copies of one member list confirmed at the same instant are imported once.

Real concurrent requests, each thread with its own PostgreSQL connection, the window between
the check "already imported?" and the import widened on purpose. The negative control takes
the network's row lock away: the database's unique constraint still keeps one import, but the
second request then fails with an IntegrityError (a server error) instead of a clear message.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.db import connection

from meute.networks.models import Kind, Network, Rhythm
from meute.observatory import services
from meute.observatory.models import ImportStatus, ListImport, SourceRecord
from tests.postgres.concurrency import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CSV = "Nom;Prénom;Email\r\nDUPONT;Jean;jd@x.fr\r\nMARTIN;Paul;pm@x.fr\r\n".encode()


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (DATABASE_URL); SQLite serialises writers")


def _two_copies() -> list[ListImport]:
    network = Network.objects.create(
        name="Club", slug="club-obs", kind=Kind.CLUB, rhythm=Rhythm.MONTHLY, admission_mode="open"
    )
    day = dt.date(2026, 6, 30)
    first = services.list_import_upload(
        network=network, user=None, file_name="a.csv", data=CSV, list_date=day
    )
    # The second copy uploaded before the first is confirmed: both pending.
    second = ListImport.objects.create(
        network=network, file_name="b.csv", list_date=day, content_hash=first.content_hash,
        pending_data=CSV, headers=first.headers, mapping=first.mapping,
    )  # fmt: skip
    return [first, second]


def _slow_check(monkeypatch: pytest.MonkeyPatch) -> None:
    original = services._check

    def slow(*args: Any) -> Any:
        result = original(*args)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "_check", slow)


def _confirm(imp: ListImport) -> None:
    services.list_import_confirm(list_import=imp, user=None, mapping=imp.mapping)


def test_two_copies_confirmed_at_once_are_imported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_check(monkeypatch)
    errors = all_at_once(_two_copies(), _confirm)
    assert ListImport.objects.filter(status=ImportStatus.IMPORTED).count() == 1
    assert SourceRecord.objects.count() == 2
    assert len(errors) == 1 and "déjà importé" in errors[0], errors


def test_negative_control_without_the_network_lock_the_second_fails_with_a_server_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _slow_check(monkeypatch)
    real = services.locked

    def lock_all_but_the_network(model: Any, pk: Any, **kwargs: Any) -> Any:
        return model.objects.get(pk=pk) if model is Network else real(model, pk, **kwargs)

    monkeypatch.setattr(services, "locked", lock_all_but_the_network)
    errors = all_at_once(_two_copies(), _confirm)
    assert ListImport.objects.filter(status=ImportStatus.IMPORTED).count() == 1
    assert len(errors) == 1 and "IntegrityError" in errors[0], errors
