"""`meute backup` then `meute restore` into a fresh database finds the same rows (SQLite here,
PostgreSQL in tests/postgres/test_backup_postgres.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from meute.accounts.models import Person
from meute.networks.models import Membership, Network
from tests.factories import MembershipFactory

# Committed rows, as a backup taken beside the running site sees them.
pytestmark = pytest.mark.django_db(transaction=True)


def counts_in(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {
            model._meta.db_table: db.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
            for model in (Person, Network, Membership)
        }


def test_a_backup_restored_into_a_fresh_database_has_the_same_rows(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL has its own test")
    for _ in range(3):
        MembershipFactory()
    backup = tmp_path / "meute.sqlite3"
    call_command("backup", str(backup))
    fresh = tmp_path / "fresh.sqlite3"
    call_command("restore", str(backup), "--database-url", f"sqlite:///{fresh}")
    expected = {m._meta.db_table: m.objects.count() for m in (Person, Network, Membership)}
    assert expected[Membership._meta.db_table] == 3
    assert counts_in(fresh) == expected
    names = {row[0] for row in sqlite3.connect(fresh).execute("SELECT name FROM networks_network")}
    assert names == set(Network.objects.values_list("name", flat=True))


def test_restoring_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no backup at"):
        call_command("restore", str(tmp_path / "none.dump"), "--yes")
