"""What `manage.py purge_stale_jobs` (and the worker, which runs the same sweep) does: lost
matching runs, imports left past the retention time, stored files of ended imports, mail tasks
lost with their worker. Running it twice changes nothing the second time."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nastavnik.core.tasks import send_mail_task
from nastavnik.matching import services as matching_services
from nastavnik.matching.models import RunStatus
from nastavnik.matching.tasks import LOST_MESSAGE
from nastavnik.matching.tests.data import world
from nastavnik.people.models import ImportJob, ImportStatus
from nastavnik.people.tests.factories import ImportJobFactory
from nastavnik.people.transfer.services import IMPORT_MESSAGES
from nastavnik.programmes.tests.data import builtin_form

pytestmark = pytest.mark.django_db


def purge() -> str:
    out = io.StringIO()
    call_command("purge_stale_jobs", stdout=out)
    return out.getvalue()


def test_imports_past_the_retention_time_end_and_lose_their_files(tenant_a, settings):
    settings.JOB_RETENTION_HOURS = 24
    org = tenant_a.organisation
    old = ImportJobFactory(organisation=org)
    fresh = ImportJobFactory(organisation=org)
    done = ImportJobFactory(organisation=org, status=ImportStatus.DONE)
    ImportJob.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(hours=25))
    files = {job.pk: (job.file.storage, job.file.name) for job in (old, fresh, done)}

    first = purge()
    second = purge()

    old.refresh_from_db()
    assert old.status == ImportStatus.FAILED and not old.file
    assert old.result["error"] == str(IMPORT_MESSAGES["expired"]) % {"hours": 24}
    assert not files[old.pk][0].exists(files[old.pk][1])
    assert not files[done.pk][0].exists(files[done.pk][1])
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.PREVIEWED and files[fresh.pk][0].exists(fresh.file.name)
    assert "imports_expired: 1" in first and "imports_files: 1" in first
    assert "imports_expired: 0" in second and "imports_files: 0" in second


def test_a_background_run_nobody_computes_is_failed_with_the_reason(
    tenant_a, settings, curator_client, django_capture_on_commit_callbacks
):
    settings.MATCHING_INLINE_MENTEES = 0
    settings.JOB_LEASE_SECONDS = 0.3
    w = world(tenant_a.organisation)
    # Queued, and never taken up: the queue (run at once in the tests) keeps no record of it.
    with django_capture_on_commit_callbacks(execute=False):
        run = matching_services.run_start(
            w.programme, builtin_form("student-student"), matching_services.RunSettings(), by=None
        )
    assert run.status == RunStatus.RUNNING
    time.sleep(0.5)

    page = curator_client.get(run.get_absolute_url())

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == str(LOST_MESSAGE)
    assert not run.proposals.exists()
    assert run.error in page.content.decode()


def test_a_mail_task_lost_with_its_worker_is_marked_and_queued_again(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = send_mail_task.enqueue("Приглашение", "Ссылка", ["a@example.ru"])
    lost = DBTaskResult.objects.get(id=queued.id)
    lost.claim("a-worker-that-was-killed")  # what the worker does as it starts the task
    DBTaskResult.objects.filter(id=lost.id).update(
        started_at=timezone.now() - timedelta(minutes=11)
    )

    first = purge()
    second = purge()

    lost.refresh_from_db()
    assert (lost.status, lost.exception_class_path) == ("FAILED", "nastavnik.core.jobs.WorkerLost")
    again = DBTaskResult.objects.exclude(id=lost.id).get()
    assert again.status == "READY" and again.args_kwargs == lost.args_kwargs
    assert "mail_requeued: 1" in first and "mail_requeued: 0" in second


def test_a_mail_task_running_for_a_short_while_is_left_alone(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = send_mail_task.enqueue("Приглашение", "Ссылка", ["a@example.ru"])
    DBTaskResult.objects.get(id=queued.id).claim("a-busy-worker")

    purge()

    assert DBTaskResult.objects.get().status == "RUNNING"


def test_health_answers_without_a_session(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "sessionid" not in response.cookies


def test_a_lost_background_run_is_queued_again_once_then_failed(
    tenant_a, settings, django_capture_on_commit_callbacks
):
    from django.db.models import F

    from nastavnik.matching.models import MatchingRun

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MATCHING_INLINE_MENTEES = 0
    settings.JOB_LEASE_SECONDS = 0.3
    w = world(tenant_a.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        run = matching_services.run_start(
            w.programme, builtin_form("student-student"), matching_services.RunSettings(), by=None
        )
    run.refresh_from_db()
    time.sleep(0.5)
    purge()
    assert MatchingRun.objects.get(pk=run.pk).task_id == run.task_id  # waiting is not lost

    def taken_up_and_lost(task_id: str) -> None:
        # What a worker does as it starts the task, before it is killed.
        DBTaskResult.objects.get(id=task_id).claim("a-worker-that-was-killed")
        MatchingRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
        time.sleep(0.5)

    taken_up_and_lost(run.task_id)
    assert "runs_resumed: 1" in purge()
    resumed = MatchingRun.objects.get(pk=run.pk)
    assert resumed.status == RunStatus.RUNNING and resumed.task_id != run.task_id
    assert DBTaskResult.objects.get(id=run.task_id).status == "FAILED"
    assert DBTaskResult.objects.get(id=resumed.task_id).status == "READY"

    taken_up_and_lost(resumed.task_id)
    assert "runs_failed: 1" in purge()
    failed = MatchingRun.objects.get(pk=run.pk)
    assert failed.status == RunStatus.FAILED and failed.error == str(LOST_MESSAGE)
    assert not failed.proposals.exists()
    assert "runs_failed: 0" in purge()
