"""`meute worker` runs what is queued in the database, once, records failures, and picks up after a restart."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from meute.operations.models import ScheduledRun, WorkerHeartbeat
from tests.operations.tasks_for_tests import always_fails, record_run

pytestmark = pytest.mark.django_db


def runs(marker: str) -> int:
    return ScheduledRun.objects.filter(job="test-run", period__startswith=f"{marker}:").count()


def test_queued_tasks_wait_for_the_worker_then_run_once(database_tasks: None) -> None:
    for i in range(3):
        record_run.enqueue(f"t{i}")
    assert runs("t0") == 0
    call_command("worker", "--batch")
    assert [runs(f"t{i}") for i in range(3)] == [1, 1, 1]
    call_command("worker", "--batch")  # nothing left: nothing runs again
    assert [runs(f"t{i}") for i in range(3)] == [1, 1, 1]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_worker_stopped_and_restarted_picks_up_what_was_queued(database_tasks: None) -> None:
    for i in range(4):
        record_run.enqueue(f"r{i}")
    call_command("worker", "--max-tasks", "1", "--no-schedule")  # stops after one task
    assert sum(runs(f"r{i}") for i in range(4)) == 1
    call_command("worker", "--batch", "--no-schedule")
    assert [runs(f"r{i}") for i in range(4)] == [1, 1, 1, 1]


def test_a_task_left_running_by_a_killed_worker_is_run_again_by_the_next(database_tasks: None) -> None:
    result = record_run.enqueue("orphan")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=["killed-worker"])
    call_command("worker", "--batch", "--no-schedule")
    assert runs("orphan") == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_task_that_raises_is_recorded_with_its_error(database_tasks: None) -> None:
    result = always_fails.enqueue("x")
    call_command("worker", "--batch", "--no-schedule")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert "boom x" in row.traceback


def test_the_worker_leaves_no_heartbeat_behind_when_it_stops(database_tasks: None) -> None:
    call_command("worker", "--batch", "--worker-id", "w-test")
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()


def test_the_worker_refuses_to_start_when_tasks_run_in_the_request() -> None:
    with pytest.raises(CommandError, match=r"MEUTE_TASKS_BACKEND=django_tasks_db\.DatabaseBackend"):
        call_command("worker", "--batch")
