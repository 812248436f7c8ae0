"""Switch the tasks framework to the database backend for one test, as production runs it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django.utils.connection import BaseConnectionHandler


def _reset(handler: BaseConnectionHandler[Any]) -> None:
    handler.__dict__.pop("settings", None)
    handler._connections = Local(handler.thread_critical)


@pytest.fixture
def database_tasks(settings: Any) -> Iterator[None]:
    """Tasks are queued in the database (django-tasks-db) instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _reset(task_backends)
    yield
    _reset(task_backends)
