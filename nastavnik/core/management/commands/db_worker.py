"""django-tasks-db's worker, which also notices jobs lost with a worker that died.

`nastavnik.core` is listed before `django_tasks_db` in INSTALLED_APPS so that this command is
the one `manage.py db_worker` runs. On start, and every half lease while it runs, a thread
settles lost jobs and expires old ones (core.jobs.jobs_sweep); the tasks themselves run exactly
as upstream.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as UpstreamCommand

from nastavnik.core.jobs import Sweeper


class Command(UpstreamCommand):
    help = UpstreamCommand.help + "; settles jobs lost with a worker that died"

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload only the child process runs tasks: the watching parent does not sweep.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            Sweeper().start()
        super().handle(*args, **options)
