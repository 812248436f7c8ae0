"""`meute restore PATH [--database-url URL]`: replace a database's contents with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meute.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `meute backup` into the current database (or --database-url). "
        "Stop the web processes and workers first; run `meute migrate` after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database-url", help="restore into this database instead (e.g. a fresh one)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"] and not options["database_url"]:
            answer = input("This replaces every row of the current database. Type 'yes' to go on: ")
            if answer.strip() != "yes":
                raise CommandError("restore cancelled")
        try:
            name = backup_restore(path=Path(options["path"]), database_url=options["database_url"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {options['path']} into {name}; now run `meute migrate`")
