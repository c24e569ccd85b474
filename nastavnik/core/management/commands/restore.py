"""`manage.py restore FILE`: replace the database's contents with a backup."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from nastavnik.core.backup import check_backup_file, restore_database


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`, replacing the database's contents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup file written by `manage.py backup`")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of the configured one "
            "(e.g. a scratch database, to check that a backup restores)",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="do not ask: the target database's contents are replaced",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings_dict: Mapping[str, Any]
        if options["database_url"]:
            settings_dict = dj_database_url.parse(options["database_url"])
        else:
            settings_dict = connections["default"].settings_dict
        source = Path(options["file"])
        check_backup_file(settings_dict, source)
        if not options["yes"]:
            answer = input(
                f"Everything in the database {settings_dict['NAME']} is replaced by "
                f"{source.name}. Type 'yes' to go on: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        # The configured database's connection is closed first: SQLite's copy and
        # pg_restore's DROPs must not wait for it.
        connections.close_all()
        restore_database(settings_dict, source)
        self.stdout.write(f"restored {source} into {settings_dict['NAME']}")
