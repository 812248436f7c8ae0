"""The periodic schedule the worker keeps, replacing cron: which job, how often, queued once per period.

Every few seconds the worker's ticker calls :func:`jobs_queue_due`. A job is
due once per period (a day after its local hour, or a minute); the
:class:`~meute.operations.models.ScheduledRun` row for (job, period) is written
in the same transaction as the task is queued, under a unique constraint, so
several workers queue each job exactly once and a worker that was stopped
catches up the day's jobs when it starts again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from meute.operations import tasks
from meute.operations.models import ScheduledRun

logger = logging.getLogger("meute.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    task: Any
    every: str  # "day" or "minute"
    hour: int = 0  # local hour after which a daily job runs


SCHEDULE: tuple[Job, ...] = (
    Job("event_reminders", tasks.event_reminders, "day", hour=9),
    Job("meeting_requests_expire", tasks.meeting_requests_expire, "day", hour=2),
    Job("seat_offers_expire", tasks.seat_offers_expire, "day", hour=2),
    Job("dues_reminders", tasks.dues_reminders, "day", hour=8),
    Job("members_lapse", tasks.members_lapse, "day", hour=3),
    Job("packs_daily", tasks.packs_daily, "day", hour=8),
    Job("privacy_retention", tasks.privacy_retention, "day", hour=4),
    Job("observatory_uploads_purge", tasks.observatory_uploads_purge, "day", hour=4),
    Job("outbox_retry", tasks.outbox_retry, "minute"),
)


def _period(job: Job, local: dt.datetime) -> str | None:
    if job.every == "minute":
        return local.strftime("%Y-%m-%dT%H:%M")
    if local.hour < job.hour:
        return None
    return local.date().isoformat()


def jobs_queue_due(*, now: dt.datetime | None = None, schedule: tuple[Job, ...] = SCHEDULE) -> list[str]:
    """Queue every job due at `now` and not yet queued for its period; return their names."""
    local = timezone.localtime(now or timezone.now())
    queued = []
    for job in schedule:
        period = _period(job, local)
        if period is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, period=period)
                job.task.enqueue()
        except IntegrityError:
            continue  # another worker (or this one, earlier) queued it for this period
        queued.append(job.name)
    if queued:
        # Minute periods would pile up: a week of history is enough to read what ran.
        ScheduledRun.objects.filter(queued_at__lt=local - dt.timedelta(days=7)).delete()
        logger.info("periodic jobs queued", extra={"jobs": queued})
    return queued
