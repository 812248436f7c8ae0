import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meute.packs.tasks import close_due_purchases, send_reminders


class Command(BaseCommand):
    help = (
        "Queue the packs' daily work (run daily, e.g. at 08:00): reminders to firms whose answer is due"
        " and to packs whose tender closes within three days; closing of pooled purchases past their date."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"--day: expected YYYY-MM-DD, got {options['day']!r}") from exc
        else:
            day = timezone.localdate()
        reminders = send_reminders.enqueue(day.isoformat())
        closing = close_due_purchases.enqueue(day.isoformat())
        self.stdout.write(
            f"Packs for {day.isoformat()}: reminders {reminders.status}, purchases closing {closing.status}."
        )
