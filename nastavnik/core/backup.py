"""Backups of the database: `pg_dump` in its custom format for PostgreSQL, SQLite's online
backup API for a SQLite file. Both copy a consistent snapshot while the site keeps running.

Restoring replaces everything in the target database with the backup's contents. The
uploaded files (MEDIA_ROOT) are plain files: back them up with the file system (README).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

PG_SUFFIX = ".pgdump"
SQLITE_SUFFIX = ".sqlite3"


def backup_name(settings_dict: Mapping[str, Any], now: datetime) -> str:
    suffix = PG_SUFFIX if is_postgresql(settings_dict) else SQLITE_SUFFIX
    return f"nastavnik-{now:%Y%m%d-%H%M%S}{suffix}"


def is_postgresql(settings_dict: Mapping[str, Any]) -> bool:
    return "postgresql" in settings_dict["ENGINE"]


def is_sqlite(settings_dict: Mapping[str, Any]) -> bool:
    return "sqlite3" in settings_dict["ENGINE"]


def _libpq_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore through libpq's variables: the password
    never appears on a command line that `ps` shows."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise CommandError(
            f"{command[0]} is not installed: install the PostgreSQL client "
            "(apt-get install postgresql-client) of the server's major version."
        ) from error
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


def _unsupported(settings_dict: Mapping[str, Any]) -> CommandError:
    return CommandError(
        f"Backups support PostgreSQL and SQLite; this database is {settings_dict['ENGINE']}."
    )


def backup_database(settings_dict: Mapping[str, Any], target: Path) -> None:
    """Write a snapshot of the database to `target` (a new file)."""
    if is_postgresql(settings_dict):
        # --no-owner/--no-acl: a backup restores into a database owned by another role.
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target}"],
            _libpq_env(settings_dict),
        )
    elif is_sqlite(settings_dict):
        source = sqlite3.connect(settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise _unsupported(settings_dict)


def check_backup_file(settings_dict: Mapping[str, Any], source: Path) -> None:
    """Refuse, before anything is touched, a file that is missing or of another database."""
    if not source.is_file():
        raise CommandError(f"No backup file at {source}.")
    if is_postgresql(settings_dict) and source.suffix != PG_SUFFIX:
        raise CommandError(f"{source.name} is not a PostgreSQL backup (*{PG_SUFFIX}).")
    if is_sqlite(settings_dict) and source.suffix != SQLITE_SUFFIX:
        raise CommandError(f"{source.name} is not a SQLite backup (*{SQLITE_SUFFIX}).")


def restore_database(settings_dict: Mapping[str, Any], source: Path) -> None:
    """Replace the database's contents with the backup in `source`."""
    check_backup_file(settings_dict, source)
    if is_postgresql(settings_dict):
        # One transaction: a failed restore leaves the database as it was.
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(source),
            ],
            _libpq_env(settings_dict),
        )
    elif is_sqlite(settings_dict):
        backup = sqlite3.connect(source)
        target = sqlite3.connect(settings_dict["NAME"])
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
    else:
        raise _unsupported(settings_dict)


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `folder`; returns what was deleted."""
    backups = sorted(
        (p for p in folder.glob("nastavnik-*") if p.suffix in {PG_SUFFIX, SQLITE_SUFFIX}),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = backups[keep:]
    for path in removed:
        path.unlink()
    return removed
