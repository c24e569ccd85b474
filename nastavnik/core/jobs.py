"""Background work that cannot get lost: a lease the running step renews, and the rules that
tell a job that is still running from one whose worker died.

A job with a visible state (an import, a background matching run) holds a *lease*: a moment
until which it counts as alive. The step renews it every third of its length from a thread with
its own database connection, so the renewal shows even while the step sits in one long
transaction. A worker killed by SIGKILL, the OOM killer or a host crash stops renewing; once the
lease has run out, whoever looks next (the job's page, a worker starting or polling,
`manage.py purge_stale_jobs`) settles the job: each kind decides whether it is resumed or marked
failed with a reason.

A job whose task still waits in the queue is not lost: it has not started yet. A job whose task
already ended (it raised, or a worker marked it done) while the job still says "running" is lost
at once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model
from django.utils import timezone
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 60
DEFAULT_RETENTION_HOURS = 24


def lease_seconds() -> float:
    """How long a job counts as alive after its last renewal."""
    return float(getattr(settings, "JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def retention() -> timedelta:
    """How long an unfinished job keeps its stored file (personal data) at the most."""
    return timedelta(hours=float(getattr(settings, "JOB_RETENTION_HOURS", DEFAULT_RETENTION_HOURS)))


def lease_expiry() -> datetime:
    return timezone.now() + timedelta(seconds=lease_seconds())


class _Renewal(threading.Thread):
    """Renews one row's lease until stopped; its own connection, so it commits at once."""

    def __init__(self, model: type[Model], pk: int) -> None:
        super().__init__(name=f"lease {model._meta.label} {pk}", daemon=True)
        self.model, self.pk = model, pk
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(lease_seconds() / 3):
                try:
                    self.model._default_manager.filter(pk=self.pk).update(
                        lease_until=lease_expiry()
                    )
                except DatabaseError:
                    # The database may be away for a moment; the next renewal tries again,
                    # and a lease that runs out meanwhile is exactly what should happen.
                    logger.warning("could not renew the lease of %s %s", self.model, self.pk)
                    connections["default"].close()
        finally:
            connections.close_all()


@contextmanager
def lease_kept(model: type[Model], pk: int) -> Iterator[None]:
    """Hold the row's lease while the block runs.

    The lease is taken first, in autocommit, so the job's page sees it at once.
    """
    model._default_manager.filter(pk=pk).update(lease_until=lease_expiry())
    renewal = _Renewal(model, pk)
    renewal.start()
    try:
        yield
    finally:
        renewal.stopped.set()
        renewal.join()


def task_result(task: Task[Any, Any], task_id: str) -> TaskResult[Any] | None:
    """The queue's record of the job's task; None when the queue does not know it (an inline
    run, a backend that keeps no results, a result already pruned)."""
    if not task_id:
        return None
    try:
        return task.get_result(task_id)
    except TaskResultDoesNotExist:
        return None


def is_lost(
    *, lease_until: datetime | None, since: datetime, task: Task[Any, Any], task_id: str
) -> bool:
    """Whether a job that says it is running has nobody running it any more.

    `since` is when the job entered its running state: the lease's start when none was taken.
    """
    result = task_result(task, task_id)
    if result is not None and result.status == TaskResultStatus.READY:
        return False
    if result is not None and result.is_finished:
        return True
    lease = timedelta(seconds=lease_seconds())
    moments = [since + lease]
    if lease_until is not None:
        moments.append(lease_until)
    if result is not None and result.started_at is not None:
        # A worker that has just claimed the task has not taken the lease yet.
        moments.append(result.started_at + lease)
    return timezone.now() > max(moments)


def fault_pause(point: str) -> None:
    """Stop here for a while when the fault tests ask for it, so they can kill the worker in the
    middle of a step deterministically.

    `NASTAVNIK_FAULT_PAUSE=<point>:<seconds>[:<file>]` is read only here and set only in the
    environment of a worker started by the tests; the file is created when the pause begins.
    """
    wanted = os.environ.get("NASTAVNIK_FAULT_PAUSE", "")
    if not wanted:
        return
    name, seconds, *marker = wanted.split(":", 2)
    if name != point:
        return
    if marker:
        Path(marker[0]).write_text(str(os.getpid()))
    time.sleep(float(seconds))


# --- Tasks lost with their worker ---------------------------------------------------------------

# A mail task that has been "running" this long was lost with its worker: one send is bounded by
# EMAIL_TIMEOUT, and a worker runs one task at a time.
MAIL_LOST_AFTER = timedelta(minutes=10)


def _db_task_results() -> Any:
    """The database queue's results, or None when another backend keeps them (or none)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def task_mark_lost(task_id: str) -> None:
    """Record on the queue's own row that the task's worker died, so it is not shown as running
    for ever; a no-op for a backend without stored results."""
    results = _db_task_results()
    if results is None or not task_id:
        return
    results.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.WorkerLost",
        traceback="WorkerLost: the worker running this task stopped before it finished.\n",
    )


def mail_tasks_sweep(now: datetime | None = None) -> int:
    """Mail tasks lost with their worker are marked failed and queued again.

    Sent at least once rather than at most once: a second copy of an invitation is a smaller
    harm than none (the worker may have died between the send and recording it).
    """
    from nastavnik.core.tasks import send_mail_task

    results = _db_task_results()
    if results is None:
        return 0
    now = now or timezone.now()
    lost = results.filter(
        status=TaskResultStatus.RUNNING,
        task_path=send_mail_task.module_path,
        started_at__lt=now - MAIL_LOST_AFTER,
    )
    count = 0
    for result in lost:
        task_mark_lost(str(result.id))
        send_mail_task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        logger.warning("mail task %s was lost with its worker: queued again", result.id)
        count += 1
    return count


# The apps' own sweeps of the jobs they run (imports, matching runs), by the prefix of their
# counts. Registered from each app's `AppConfig.ready`: core knows no app above it.
_SWEEPS: dict[str, Callable[[], dict[str, int]]] = {}


def register_sweep(prefix: str, sweep: Callable[[], dict[str, int]]) -> None:
    _SWEEPS[prefix] = sweep


def jobs_sweep() -> dict[str, int]:
    """Everything `purge_stale_jobs` and the worker do: settle lost jobs, expire old ones, delete
    stored files of ended ones, queue lost mail again. Idempotent."""
    counts: dict[str, int] = {}
    for prefix, sweep in _SWEEPS.items():
        counts.update({f"{prefix}_{k}": v for k, v in sweep().items()})
    counts["mail_requeued"] = mail_tasks_sweep()
    return counts


class Sweeper(threading.Thread):
    """Runs `jobs_sweep` in a worker process: when it starts, then every half lease."""

    def __init__(self) -> None:
        super().__init__(name="jobs sweeper", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                counts = jobs_sweep()
                if any(counts.values()):
                    logger.warning("stale jobs settled: %s", counts)
            except Exception:
                # The database may be away; the next round tries again on a fresh connection.
                logger.exception("the sweep of stale jobs failed")
            finally:
                connections.close_all()
            if self.stopped.wait(lease_seconds() / 2):
                return
