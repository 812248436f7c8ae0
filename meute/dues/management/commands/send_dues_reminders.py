from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meute.dues.services import dues_reminders_send


class Command(BaseCommand):
    help = "E-mail members whose membership period ends within N days and who have not renewed (once per period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=30, help="days before the end of the period (default 30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days must be zero or more")
        sent = dues_reminders_send(within_days=options["days"])
        self.stdout.write(f"{sent} reminder(s) sent")
