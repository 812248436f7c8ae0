from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meute.dues.services import lapsed_memberships, members_lapse


class Command(BaseCommand):
    help = (
        "Mark as left the members whose last membership period ended more than --grace-days ago "
        "and who have no newer period (recorded in the audit trail)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-days", type=int, default=60, help="days of grace after the end (default 60)"
        )
        parser.add_argument("--dry-run", action="store_true", help="list who would lapse, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        grace = options["grace_days"]
        if grace < 0:
            raise CommandError("--grace-days must be zero or more")
        if options["dry_run"]:
            for m in lapsed_memberships(grace_days=grace):
                self.stdout.write(f"would lapse: {m.person} ({m.network})")
            return
        lapsed = members_lapse(grace_days=grace)
        for m in lapsed:
            self.stdout.write(f"lapsed: {m.person} ({m.network})")
        self.stdout.write(f"{len(lapsed)} member(s) lapsed")
