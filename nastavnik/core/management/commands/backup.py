"""`manage.py backup`: a snapshot of the database into the backup folder, the oldest pruned."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from nastavnik.core.backup import backup_database, backup_name, prune_backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump for PostgreSQL, the backup API for SQLite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=os.environ.get("NASTAVNIK_BACKUP_DIR", "backups"),
            help="folder for the backups (NASTAVNIK_BACKUP_DIR, default ./backups)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="keep only this many newest backups in the folder (0: keep all)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        folder = Path(options["output"])
        folder.mkdir(parents=True, exist_ok=True)
        settings_dict = connections[options["database"]].settings_dict
        target = folder / backup_name(settings_dict, timezone.now())
        partial = target.with_name(target.name + ".partial")
        try:
            backup_database(settings_dict, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # Only a finished backup gets its name: a crash never leaves a half file that looks
        # like a good one.
        partial.rename(target)
        self.stdout.write(f"backup written: {target} ({target.stat().st_size} bytes)")
        if options["keep"]:
            for path in prune_backups(folder, options["keep"]):
                self.stdout.write(f"removed old backup: {path}")
