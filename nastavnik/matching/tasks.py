"""Large runs in the background (`manage.py db_worker`); usual runs are made in the request
through the same function (`compute.run_compute`).

A background run holds a lease while it computes (core.jobs). A run whose worker died is
resumed once, not failed at once: its inputs are the bases in the database, not a file, and it
writes its proposals in one transaction, so a new attempt starts from a clean slate; and nothing
happens to anybody until the curator confirms a proposal. A run that brought its worker down
twice (a population too large for the memory, say) is marked failed with the reason instead of
being tried for ever.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from nastavnik.core.jobs import is_lost, lease_kept, task_mark_lost, task_result
from nastavnik.matching.compute import RunEnded, run_compute
from nastavnik.matching.models import MatchingRun, RunStatus

logger = logging.getLogger(__name__)

# Attempts a worker may make at one run before a lost run is failed rather than resumed.
MAX_ATTEMPTS = 2

LOST_MESSAGE = _(
    "The run stopped: the server process computing it ended unexpectedly (a restart or a "
    "lack of memory), and it could not be resumed. Nothing was proposed. Start the run "
    "again; if it fails again, tell the site administrator."
)


@task()
def matching_run_task(run_id: int, locks: list[list[int]]) -> str:
    run = (
        MatchingRun.objects.select_related("programme", "form", "organisation")
        .filter(pk=run_id)
        .first()
    )
    if run is None or run.status != RunStatus.RUNNING:
        return run.status if run else "gone"
    MatchingRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
    # The message of a refusal is stored as text, in the language of whoever started the run.
    with translation.override(run.language or None), lease_kept(MatchingRun, run.pk):
        try:
            with transaction.atomic():
                run_compute(run, [(mentee, mentor) for mentee, mentor in locks])
        except RunEnded:
            run.refresh_from_db()
            return run.status
        except ValidationError as error:
            MatchingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED, error=" ".join(error.messages), lease_until=None
            )
            logger.info("matching run %s failed: %s", run.pk, error.messages)
            return RunStatus.FAILED
    return RunStatus.PROPOSED


def matching_run_queue(run: MatchingRun, locks: list[tuple[int, int]] | list[list[int]]) -> None:
    """Put the run in the queue for a worker, and remember its task to follow it by."""
    queued = matching_run_task.enqueue(run.pk, [list(pair) for pair in locks])
    MatchingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(task_id=str(queued.id))


def matching_run_settle_if_lost(run: MatchingRun) -> MatchingRun:
    """A background run nobody computes any more is queued again, or failed after its last
    attempt; others are left as they are."""
    if not run.is_running or not is_lost(
        lease_until=run.lease_until,
        since=run.created_at,
        task=matching_run_task,
        task_id=run.task_id,
    ):
        return run
    previous = task_result(matching_run_task, run.task_id)
    # The lease and task as they were read: a renewal since, or another look that settled the
    # run first, means there is nothing left to do here.
    lease = Q(lease_until=run.lease_until) if run.lease_until else Q(lease_until__isnull=True)
    with transaction.atomic():
        locked = (
            MatchingRun.objects.select_for_update()
            .filter(lease, pk=run.pk, status=RunStatus.RUNNING, task_id=run.task_id)
            .first()
        )
        if locked is not None:
            task_mark_lost(run.task_id)
            if previous is not None and run.attempts < MAX_ATTEMPTS:
                # Queued in the same transaction: no second look can queue it twice.
                locked.task_id = str(matching_run_task.enqueue(run.pk, previous.args[1]).id)
                locked.lease_until = None
                locked.save(update_fields=["task_id", "lease_until"])
                logger.warning("matching run %s lost by its worker: queued again", run.pk)
            else:
                with translation.override(run.language or settings.LANGUAGE_CODE):
                    locked.error = str(LOST_MESSAGE)
                locked.status, locked.lease_until = RunStatus.FAILED, None
                locked.save(update_fields=["status", "error", "lease_until"])
                logger.warning("matching run %s lost by its worker: failed", run.pk)
    run.refresh_from_db()
    return run


def matching_runs_sweep(now: datetime | None = None) -> dict[str, int]:
    """Settle every background run whose lease ran out; safe to run any time."""
    now = now or timezone.now()
    counts = {"resumed": 0, "failed": 0}
    for run in MatchingRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    ):
        before = run.task_id
        settled = matching_run_settle_if_lost(run)
        if settled.status == RunStatus.FAILED:
            counts["failed"] += 1
        elif settled.task_id != before:
            counts["resumed"] += 1
    return counts
