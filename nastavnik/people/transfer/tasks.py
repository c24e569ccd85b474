"""The preview and the import of large files run in the background (`manage.py db_worker`);
small ones run during the request through the same functions."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from nastavnik.people.models import ImportJob
from nastavnik.people.transfer.services import (
    inline_rows,
    people_import_commit,
    people_import_preview,
)

PREVIEW = "preview"
COMMIT = "commit"


def _step(job: ImportJob, step: str) -> ImportJob:
    if step == PREVIEW:
        return people_import_preview(job)
    return people_import_commit(job)


@task()
def people_import_task(job_id: int, step: str) -> str:
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    # The messages of the report are stored as text, in the language of whoever uploaded.
    with translation.override(job.language or None):
        return _step(job, step).status


def import_job_run(job: ImportJob, step: str) -> ImportJob:
    """Run the preview or the import: now for a small file, in the background for a large one."""
    if job.rows_total > inline_rows():
        people_import_task.enqueue(job.pk, step)
    else:
        _step(job, step)
    job.refresh_from_db()
    return job
