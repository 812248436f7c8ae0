"""The worker's heartbeat, and what /sante/ reads of it."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone

from meute.operations.models import WorkerHeartbeat


def heartbeat_beat(*, worker_id: str, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """Record that this worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now or timezone.now(),
        },
    )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeat_age(*, now: dt.datetime | None = None) -> float | None:
    """Seconds since the newest heartbeat of any worker, None if no worker ever beat."""
    newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if newest is None:
        return None
    return max(((now or timezone.now()) - newest).total_seconds(), 0.0)


def orphans_requeue(*, now: dt.datetime | None = None) -> int:
    """Put back in the queue the tasks left *running* by a worker that died (killed, machine lost).

    A task is orphaned when the worker that claimed it has no heartbeat younger than
    MEUTE_HEARTBEAT_MAX_AGE. Tasks are idempotent, so running one again is safe.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(
            seen_at__gte=now - dt.timedelta(seconds=settings.MEUTE_HEARTBEAT_MAX_AGE)
        ).values_list("worker_id", flat=True)
    )
    orphans = [
        pk
        for pk, workers in DBTaskResult.objects.filter(status="RUNNING").values_list("pk", "worker_ids")
        if not workers or workers[-1] not in alive
    ]
    if not orphans:
        return 0
    return DBTaskResult.objects.filter(pk__in=orphans, status="RUNNING").update(
        status="READY", started_at=None
    )


def worker_needed() -> bool:
    """A worker is needed unless tasks run at once in the request (the embedded default)."""
    return not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
