"""Backup and restore of Meute's database, whichever it is.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`
(the client tools must be installed; they are with the server packages).
SQLite: the online backup API, which copies a consistent snapshot while the
web processes and the worker keep writing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connection

__all__ = ["backup_make", "backup_restore", "default_backup_path"]


class BackupError(Exception):
    """A backup or restore that could not be done, with a message for the operator."""


def default_backup_path(vendor: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    return Path(settings.VAR_DIR) / "backups" / f"meute-{stamp}.{suffix}"


def _pg_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools (postgresql-client)")
    return path


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()}")


def backup_make(*, path: Path) -> Path:
    """Write a consistent copy of the current database to `path`; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "--file",
                str(path),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        # A connection of its own: the backup copies what is committed, while others keep writing.
        name = str(db["NAME"])
        source = sqlite3.connect(name, uri=name.startswith("file:"))
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"backup of {connection.vendor} is not supported")
    return path


def backup_restore(*, path: Path, database_url: str | None = None) -> str:
    """Restore the backup at `path` into `database_url` (default: the current database); return its name.

    The target's tables are replaced by the backup's; run `meute migrate` afterwards
    (a no-op when the backup is of the same version).
    """
    if not path.exists():
        raise BackupError(f"no backup at {path}")
    db: dict[str, Any] = (
        dict(dj_database_url.parse(database_url)) if database_url else connection.settings_dict
    )
    engine = str(db["ENGINE"])
    if engine.endswith("postgresql"):
        args, env = _pg_args(db)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                *args,
                str(path),
            ],
            env,
        )
    elif engine.endswith("sqlite3"):
        source = sqlite3.connect(path)
        try:
            if not database_url:
                connection.close()  # nothing of Django's holds the file while it is replaced
            name = str(db["NAME"])
            target = sqlite3.connect(name, uri=name.startswith("file:"))
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    else:
        raise BackupError(f"restore into {engine} is not supported")
    return str(db["NAME"])
