"""`meute backup` (pg_dump) then `meute restore` (pg_restore) into a fresh PostgreSQL database: same rows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from meute.accounts.models import Person
from meute.networks.models import Membership, Network
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MODELS = (Person, Network, Membership)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    name = f"meute_service_restore_{os.getpid()}"
    admin = psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_dump_restored_into_a_fresh_database_has_the_same_rows(tmp_path: Path, fresh_database: str) -> None:
    for _ in range(3):
        MembershipFactory()
    dump = tmp_path / "meute.dump"
    call_command("backup", str(dump))
    call_command("restore", str(dump), "--database-url", fresh_database)
    expected = {m._meta.db_table: m.objects.count() for m in MODELS}
    with psycopg.connect(fresh_database) as restored:
        got = {
            m._meta.db_table: restored.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]  # type: ignore[index]
            for m in MODELS
        }
        names = {r[0] for r in restored.execute("SELECT name FROM networks_network")}
    assert expected[Membership._meta.db_table] == 3
    assert got == expected
    assert names == set(Network.objects.values_list("name", flat=True))
