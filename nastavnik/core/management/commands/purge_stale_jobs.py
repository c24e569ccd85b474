"""Settle background jobs whose worker died, end imports left unfinished past the retention time
and delete the stored files (personal data) of every ended import.

The worker (`manage.py db_worker`) does the same when it starts and every half lease; run this
from cron where no worker runs, e.g. hourly. Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.core.jobs import jobs_sweep


class Command(BaseCommand):
    help = "Settle lost background jobs and delete expired import files."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = jobs_sweep()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
