"""Several workers on one PostgreSQL never run one task twice, nor send one e-mail twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from meute.operations.models import ScheduledRun
from meute.outbox.models import Message, MessageStatus
from meute.outbox.services import messages_retry_due
from tests.operations.conftest import database_tasks as _database_tasks_fixture
from tests.operations.tasks_for_tests import record_run
from tests.postgres.concurrency import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

database_tasks = _database_tasks_fixture
TASKS = 30
WORKERS = 4


@pytest.fixture(autouse=True)
def _postgres_only() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (DATABASE_URL); SQLite serialises writers")
    yield


def _workers_run_all(n: int) -> list[str]:
    def run(i: Any) -> None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"w{i}",
            excluded_queue_names=[],
        ).run()

    return all_at_once(list(range(n)), run)


def _runs_per_task() -> list[int]:
    periods = ScheduledRun.objects.filter(job="test-run").values_list("period", flat=True)
    markers = [p.split(":")[0] for p in periods]
    return [markers.count(f"t{i}") for i in range(TASKS)]


def _slow_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between reading a ready task and marking it running."""
    original = DBTaskResult.claim

    def slow(self: DBTaskResult, worker_id: str) -> None:
        time.sleep(0.05)
        original(self, worker_id)

    monkeypatch.setattr(DBTaskResult, "claim", slow)


def test_four_workers_at_once_run_every_task_exactly_once(
    database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(TASKS):
        record_run.enqueue(f"t{i}", 0.01)
    _slow_claim(monkeypatch)

    assert _workers_run_all(WORKERS) == []

    assert _runs_per_task() == [1] * TASKS
    assert len({tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)}) > 1


def test_without_skip_locked_the_same_test_sees_a_task_run_twice(
    database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(TASKS):
        record_run.enqueue(f"t{i}", 0.01)
    _slow_claim(monkeypatch)
    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", lambda self: self.first())

    _workers_run_all(WORKERS)

    assert max(_runs_per_task()) > 1


def test_two_workers_retrying_the_outbox_at_once_send_each_e_mail_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Message.objects.bulk_create(
        Message(to=f"p{i}@example.org", subject="S", body="B", attempts=1, next_attempt_at=None)
        for i in range(10)
    )
    Message.objects.update(next_attempt_at="2000-01-01T00:00Z")
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def slow_send(self: EmailBackend, messages: Any) -> int:
        time.sleep(0.02)  # a slow mail server: the window in which a second worker could send again
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)

    assert all_at_once([0, 1, 2], lambda _: messages_retry_due()) == []

    assert Message.objects.filter(status=MessageStatus.SENT).count() == 10
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"p{i}@example.org" for i in range(10))
