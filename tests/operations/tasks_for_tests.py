"""Tasks the worker tests queue: one that counts its runs, one that always raises."""

from __future__ import annotations

import time

from django.tasks import task

from meute.operations.models import ScheduledRun


@task()
def record_run(marker: str, seconds: float = 0.0) -> str:
    """Write one row per run, so a test counts how often the task ran."""
    time.sleep(seconds)
    ScheduledRun.objects.create(job="test-run", period=f"{marker}:{time.monotonic_ns()}")
    return marker


@task()
def always_fails(marker: str) -> None:
    raise RuntimeError(f"boom {marker}")
