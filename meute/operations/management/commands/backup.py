"""`meute backup [PATH]`: a consistent copy of the database (pg_dump, or SQLite's online backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from meute.operations.backup import BackupError, backup_make, default_backup_path


class Command(BaseCommand):
    help = "Back up the database while Meute runs (default file: var/backups/meute-<date>.dump|.sqlite3)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]) if options["path"] else default_backup_path(connection.vendor)
        try:
            backup_make(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {path} ({path.stat().st_size} bytes)")
