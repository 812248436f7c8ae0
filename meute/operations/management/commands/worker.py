"""`meute worker`: run the queued tasks, keep the periodic schedule and beat the heartbeat.

It wraps django-tasks-db's worker (`db_worker`): each task row is claimed under
`SELECT … FOR UPDATE SKIP LOCKED`, so several workers on one PostgreSQL never
run one task twice. A thread beside the task loop writes the heartbeat that
/sante/ reads, queues the periodic jobs when due (meute.operations.scheduler) and
puts back in the queue the tasks a dead worker left running (no fresh heartbeat).
SIGTERM or Ctrl-C finish the running task, then stop; tasks still queued stay
in the database for the next start.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.tasks import task_backends
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from meute.operations.heartbeat import heartbeat_beat, heartbeat_stop, orphans_requeue
from meute.operations.scheduler import jobs_queue_due

logger = logging.getLogger("meute.worker")


class Ticker(threading.Thread):
    """Heartbeat and schedule, every `interval` seconds, on its own database connection."""

    def __init__(self, *, worker_id: str, interval: float, schedule: bool) -> None:
        super().__init__(name="meute-ticker", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.schedule = schedule
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def tick(self) -> None:
        try:
            heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
            orphans_requeue()
            if self.schedule:
                jobs_queue_due()
        except Exception:  # a database restart: log it, try again at the next tick
            logger.exception("worker tick failed")
            connections.close_all()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.interval)
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = "Run the background tasks (e-mails, plans, placements) and the periodic jobs (replaces cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default", help="queues, comma-separated, '*' for all")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--worker-id", default="", help="unique across workers (default: random)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
        parser.add_argument(
            "--no-schedule", action="store_true", help="do not queue the periodic jobs (another worker does)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "meute worker needs MEUTE_TASKS_BACKEND=django_tasks_db.DatabaseBackend "
                f"(now {settings.TASKS['default']['BACKEND']}: tasks already run in the request)"
            )
        worker_id = options["worker_id"] or get_random_string(32)
        ticker = Ticker(
            worker_id=worker_id,
            interval=float(settings.MEUTE_HEARTBEAT_SECONDS),
            schedule=not options["no_schedule"],
        )
        if options["batch"]:
            ticker.tick()  # queue what is due, then run everything once
        else:
            ticker.start()
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"meute worker {worker_id} started (queues {options['queue_name']})")
        try:
            worker.run()
        finally:
            ticker.stopping.set()
            try:
                heartbeat_stop(worker_id=worker_id)
            except Exception:
                logger.exception("could not remove the heartbeat")
