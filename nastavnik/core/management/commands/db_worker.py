"""django-tasks-db's worker, which also notices jobs lost with a worker that died and outlives a
database outage.

`nastavnik.core` is listed before `django_tasks_db` in INSTALLED_APPS so that this command is
the one `manage.py db_worker` runs. On start, and every half lease while it runs, a thread
settles lost jobs and expires old ones (core.jobs.jobs_sweep); the tasks themselves run exactly
as upstream. Upstream's loop stops the process when the database cannot be reached; here the
worker waits and starts its loop again, so it works on by itself once the database is back (a
task cut off by the outage is settled by its lease like any other).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as UpstreamCommand

from nastavnik.core.jobs import Sweeper

logger = logging.getLogger(__name__)

# Seconds between attempts to reach the database again.
RECONNECT_SECONDS = 2.0


class Command(UpstreamCommand):
    help = UpstreamCommand.help + "; settles jobs lost with a worker that died"

    def handle(self, *args: Any, **options: Any) -> None:
        sweeper = Sweeper()
        # With --reload only the child process runs tasks: the watching parent does not sweep.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            sweeper.start()
        try:
            self._work(*args, **options)
        finally:
            # A worker that ends (--batch, or called in-process) leaves no sweeper behind to
            # reach a database that may be gone by then.
            sweeper.stopped.set()
            if sweeper.is_alive():
                sweeper.join(timeout=RECONNECT_SECONDS)

    def _work(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning("database unreachable, the worker waits: %s", error)
                connections.close_all()
                time.sleep(RECONNECT_SECONDS)
