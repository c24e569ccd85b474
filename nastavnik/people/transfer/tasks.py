"""The preview and the import of large files run in the background (`manage.py db_worker`);
small ones run during the request through the same functions.

Both hold a lease while they run (core.jobs). A job whose worker died is marked failed, not
resumed: the preview wrote nothing and the import writes all of its rows in one transaction,
so after a crash the registry is exactly as before and there is nothing to pick up from; and
the crash may well have been caused by the file itself (a lack of memory), so running it again
on its own could bring the next worker down too. The curator reads why and uploads the file
again when ready; its stored rows are deleted at once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

from nastavnik.core.jobs import is_lost, lease_kept, retention, task_mark_lost
from nastavnik.people.models import ImportJob, ImportStatus
from nastavnik.people.transfer.services import (
    IMPORT_MESSAGES,
    import_job_drop_files,
    inline_rows,
    people_import_commit,
    people_import_preview,
)

logger = logging.getLogger(__name__)

PREVIEW = "preview"
COMMIT = "commit"
_RUNNING_STATUS = {PREVIEW: ImportStatus.PREVIEWING, COMMIT: ImportStatus.IMPORTING}
_RUNNING = tuple(_RUNNING_STATUS.values())


def _step(job: ImportJob, step: str) -> ImportJob:
    with lease_kept(ImportJob, job.pk):
        if step == PREVIEW:
            return people_import_preview(job)
        return people_import_commit(job)


@task()
def people_import_task(job_id: int, step: str) -> str:
    job = ImportJob.objects.select_related("organisation").filter(pk=job_id).first()
    # Cancelled, or found lost and failed, while the task waited in the queue.
    if job is None:
        return "gone"
    if job.status != _RUNNING_STATUS[step]:
        return job.status
    # The messages of the report are stored as text, in the language of whoever uploaded.
    with translation.override(job.language or None):
        return _step(job, step).status


def import_job_run(job: ImportJob, step: str) -> ImportJob:
    """Run the preview or the import: now for a small file, in the background for a large one."""
    if job.rows_total > inline_rows():
        queued = people_import_task.enqueue(job.pk, step)
        ImportJob.objects.filter(pk=job.pk, status=_RUNNING_STATUS[step]).update(
            task_id=str(queued.id)
        )
    else:
        _step(job, step)
    job.refresh_from_db()
    return job


def _end(job: ImportJob, message: str, params: dict[str, object] | None = None) -> bool:
    """Mark the job failed with the reason, unless it moved on since it was read."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        reason = str(IMPORT_MESSAGES[message]) % (params or {})
    now = timezone.now()
    # The lease as it was read: a renewal since then means somebody is running the job.
    lease = Q(lease_until=job.lease_until) if job.lease_until else Q(lease_until__isnull=True)
    ended = (
        ImportJob.objects.filter(lease, pk=job.pk, status=job.status)
        .exclude(status__in=(ImportStatus.DONE, ImportStatus.FAILED))
        .update(
            status=ImportStatus.FAILED,
            result={"error": reason, "lost": True},
            finished_at=now,
            lease_until=None,
            updated_at=now,
        )
    )
    if ended:
        import_job_drop_files(job)
        task_mark_lost(job.task_id)
        logger.warning("people import %s (%s) ended: %s", job.pk, job.status, message)
    return bool(ended)


def import_job_settle_if_lost(job: ImportJob) -> ImportJob:
    """A running job nobody runs any more is marked failed with the reason; others are left."""
    if job.is_running and is_lost(
        lease_until=job.lease_until,
        since=job.updated_at,
        task=people_import_task,
        task_id=job.task_id,
    ):
        _end(job, "lost_preview" if job.status == ImportStatus.PREVIEWING else "lost_import")
        job.refresh_from_db()
    return job


def import_jobs_sweep(now: datetime | None = None) -> dict[str, int]:
    """Settle lost jobs, expire those left unfinished past the retention time, and delete the
    files any ended job still holds. Safe to run any time, as often as wanted."""
    now = now or timezone.now()
    counts = {"lost": 0, "expired": 0, "files": 0}
    for job in ImportJob.objects.filter(status__in=_RUNNING).filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    ):
        if import_job_settle_if_lost(job).status == ImportStatus.FAILED:
            counts["lost"] += 1
    hours = round(retention().total_seconds() / 3600)
    for job in (
        ImportJob.objects.exclude(status__in=(ImportStatus.DONE, ImportStatus.FAILED))
        .filter(updated_at__lt=now - retention())
        .filter(Q(lease_until__lt=now) | Q(lease_until__isnull=True))
    ):
        counts["expired"] += _end(job, "expired", {"hours": hours})
    for job in ImportJob.objects.filter(
        status__in=(ImportStatus.DONE, ImportStatus.FAILED)
    ).exclude(file="", plan_file=""):
        import_job_drop_files(job)
        counts["files"] += 1
    return counts
