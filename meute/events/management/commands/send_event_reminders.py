import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meute.events.tasks import send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to everyone registered for tomorrow's events (run daily, e.g. at 09:00)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--day", help="the events' date, YYYY-MM-DD (default: tomorrow)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"--day: expected YYYY-MM-DD, got {options['day']!r}") from exc
        else:
            day = timezone.localdate() + dt.timedelta(days=1)
        result = send_reminders.enqueue(day.isoformat())
        self.stdout.write(f"Reminders for {day.isoformat()} queued ({result.status}).")
