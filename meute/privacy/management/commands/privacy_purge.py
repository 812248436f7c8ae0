"""`meute privacy_purge`: apply the retention periods of docs/privacy.md (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meute.core.commands import add_now_argument, now_option
from meute.privacy.services import retention_purge


class Command(BaseCommand):
    help = "Purge inactive accounts and expired data, as docs/privacy.md states."

    def add_arguments(self, parser: CommandParser) -> None:
        add_now_argument(parser)
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        done = retention_purge(now=now_option(options["now"]), dry_run=options["dry_run"])
        for what, count in done.items():
            self.stdout.write(f"{what}: {count}")
