"""Switch the tasks framework to the database backend for one test, as production runs it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django.utils.connection import BaseConnectionHandler
from django_tasks_db.management.commands import db_worker


def _reset(handler: BaseConnectionHandler[Any]) -> None:
    handler.__dict__.pop("settings", None)
    handler._connections = Local(handler.thread_critical)


@pytest.fixture
def database_tasks(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks are queued in the database (django-tasks-db) instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops stale connections between tasks (close_old_connections); inside a
    # test's transaction on PostgreSQL that would close the test's own connection (SQLite's
    # in-memory test database is never closed). The tests run the worker in that transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    _reset(task_backends)
    yield
    _reset(task_backends)
