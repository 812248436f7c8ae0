"""Even a database administrator cannot join a barometer answer to its receipt (who answered).

The storage itself used to link them: the k-th answer and the k-th receipt had the
same rowid on SQLite, and on PostgreSQL matching transaction ids (``xmin``) and the
same order in a ``pg_dump``. Run on SQLite by default and on PostgreSQL with
DATABASE_URL (e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/meute_api
MEUTE_TEST_DATABASE_NAME=meute_api_test``). Each answer commits on its own, as in
production (``transaction=True``).
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from meute.barometer import anonymity
from meute.barometer.models import BarometerAnswer, BarometerReceipt, Trend
from meute.barometer.services import barometer_answer
from meute.networks.models import Network
from tests.factories import MembershipFactory, NetworkFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

PEOPLE = 8


def _answer_all(network: Network) -> dict[int, tuple[str, str]]:
    """Eight members answer, each a pair (activity, orders) of their own; returns person id → pair."""
    truth = {}
    for i in range(PEOPLE):
        person = MembershipFactory(network=network).person
        pair = (Trend.values[i % 3], Trend.values[i // 3])
        barometer_answer(
            person=person,
            network=network,
            activity=pair[0],
            orders=pair[1],
            hiring="stable",
            cash="normal",
            morale="neutral",
        )
        truth[person.pk] = pair
    return truth


def _storage_order() -> str:
    """How the storage orders rows: SQLite's rowid, PostgreSQL's physical place (as pg_dump reads)."""
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def _joined_by_storage(truth: dict[int, tuple[str, str]]) -> int:
    """How many answers a storage-order join gives to the right person."""
    order = _storage_order()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT activity, orders FROM {BarometerAnswer._meta.db_table} ORDER BY {order}")
        answers = cursor.fetchall()
        cursor.execute(f"SELECT person_id FROM {BarometerReceipt._meta.db_table} ORDER BY {order}")
        receipts = [row[0] for row in cursor.fetchall()]
    return sum(truth[pid] == tuple(ans) for pid, ans in zip(receipts, answers, strict=True))


@pytest.fixture
def network() -> Network:
    return NetworkFactory(slug="barometre")


def test_the_storage_order_no_longer_joins_answers_to_receipts(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anonymity, "_random", random.Random(2026))  # repeatable
    truth = _answer_all(network)
    assert BarometerAnswer.objects.count() == BarometerReceipt.objects.count() == PEOPLE
    # A random order gives about one right by chance; this seed gives none (the control: all eight).
    assert _joined_by_storage(truth) == 0


def test_negative_control_without_the_shuffle_the_storage_order_gives_everyone_away(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    class InOrder:
        def shuffle(self, rows: list[object]) -> None:
            pass

    monkeypatch.setattr(anonymity, "_random", InOrder())
    assert _joined_by_storage(_answer_all(network)) == PEOPLE


def test_the_figures_are_unchanged_by_the_rewriting(network: Network) -> None:
    truth = _answer_all(network)
    stored = sorted(BarometerAnswer.objects.values_list("activity", "orders"))
    assert stored == sorted(truth.values())


@pytest.mark.postgres
def test_on_postgresql_the_transaction_ids_join_nothing(network: Network) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's (DATABASE_URL)")
    _answer_all(network)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {BarometerAnswer._meta.db_table}")
        answer_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT xmin::text FROM {BarometerReceipt._meta.db_table}")
        receipt_xmins = [row[0] for row in cursor.fetchall()]
    # One rewrite wrote them all: their transaction id is the last answer's, the same for every answer.
    assert len(answer_xmins) == 1
    assert len(set(receipt_xmins)) == PEOPLE


def test_answers_keep_no_person_key_or_time(network: Network) -> None:
    names = {f.name for f in BarometerAnswer._meta.get_fields()}
    assert not names & {"person", "created_at", "updated_at", "receipt"}
