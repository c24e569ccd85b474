"""Imports that cannot get lost: a job whose worker died is failed with the reason when its page
opens, a job waiting for a worker is not, and the curator may cancel any job not running.

The lease is a few seconds, long enough for the steps before it runs out even on a loaded
machine, and the clock is then moved past it (freezegun, ticking on from there): nothing here
stands in for the code that decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time

from nastavnik.people.models import ImportJob, ImportStatus, Person
from nastavnik.people.tests.importing import csv_upload, last_job, start, url
from nastavnik.people.tests.test_import_views import HEADER, students
from nastavnik.people.transfer.services import IMPORT_MESSAGES, import_job_confirm

pytestmark = pytest.mark.django_db

LEASE = 5


@pytest.fixture
def short_lease(settings):
    settings.JOB_LEASE_SECONDS = LEASE


def past_the_lease():
    """From here on the clock reads a moment after the lease ran out, as for a page opened
    long after the worker stopped."""
    return freeze_time(timezone.now() + timedelta(seconds=LEASE * 1.5), tick=True)


def previewed(client, org):
    start(client, csv_upload([HEADER, *students(org)]))
    job = last_job()
    assert job.status == ImportStatus.PREVIEWED and job.file and job.plan_file
    return job


def stored(job):
    return [(f.storage, f.name) for f in (job.file, job.plan_file)]


def test_an_import_whose_worker_died_fails_with_the_reason_when_its_page_opens(
    curator_client, tenant_a, short_lease
):
    org = tenant_a.organisation
    job = previewed(curator_client, org)
    files = stored(job)
    # Confirmed, and the process that was to write the rows is gone: nobody renews the lease.
    import_job_confirm(job, skip_invalid=False, by=None)
    job_url = url("import_job", job_pk=job.pk)

    running = curator_client.get(job_url)
    refused = curator_client.post(url("import_discard", job_pk=job.pk), follow=True)
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert escape(str(IMPORT_MESSAGES["running"])) in refused.content.decode()
    assert ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).exists()

    with past_the_lease():
        page = curator_client.get(job_url)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.result["error"] == str(IMPORT_MESSAGES["lost_import"])
    assert escape(job.result["error"]) in page.content.decode()
    assert not Person.objects.filter(organisation=org).exists()
    assert not job.file and not job.plan_file
    assert not any(storage.exists(name) for storage, name in files)

    curator_client.post(url("import_discard", job_pk=job.pk))
    assert not ImportJob.objects.filter(pk=job.pk).exists()


def test_the_list_of_recent_imports_shows_a_lost_one_as_failed(
    curator_client, tenant_a, short_lease
):
    job = previewed(curator_client, tenant_a.organisation)
    import_job_confirm(job, skip_invalid=False, by=None)
    with past_the_lease():
        page = curator_client.get(url("import"))

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.file
    assert str(ImportStatus.FAILED.label) in page.content.decode()


def test_the_progress_poll_notices_a_lost_check_too(curator_client, tenant_a, short_lease):
    job = previewed(curator_client, tenant_a.organisation)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PREVIEWING)
    with past_the_lease():
        poll = curator_client.get(url("import_job", job_pk=job.pk), headers={"HX-Request": "true"})

    assert poll["HX-Refresh"] == "true"  # the whole page now shows why
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.result["error"] == str(IMPORT_MESSAGES["lost_preview"])


def test_a_job_waiting_for_a_worker_is_not_lost_and_may_be_cancelled(
    curator_client, tenant_a, settings, short_lease
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PEOPLE_IMPORT_INLINE_ROWS = 2
    start(curator_client, csv_upload([HEADER, *students(tenant_a.organisation)]))
    job = last_job()
    assert job.status == ImportStatus.PREVIEWING and job.task_id  # queued; no worker runs
    with past_the_lease():
        page = curator_client.get(url("import_job", job_pk=job.pk))

        job.refresh_from_db()
        assert job.status == ImportStatus.PREVIEWING
        assert "manage.py db_worker" in page.content.decode()
        storage, name = job.file.storage, job.file.name
        curator_client.post(url("import_discard", job_pk=job.pk))
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not storage.exists(name)


def test_a_failed_import_keeps_no_file(curator_client, tenant_a):
    org = tenant_a.organisation
    job = previewed(curator_client, org)
    files = stored(job)
    # Meanwhile the registry gets a person the file's row now clashes with (see the views' test).
    from nastavnik.people.tests.data import born, fio
    from nastavnik.people.tests.factories import StaffFactory

    StaffFactory(
        organisation=org,
        **fio("Смирнова Алёна Игоревна"),
        gender="f",
        birth_date=born(11, org),
    )

    page = curator_client.post(url("import_confirm", job_pk=job.pk), follow=True)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not any(storage.exists(name) for storage, name in files)
    assert url("import") in page.content.decode()  # "upload the file again"
    assert curator_client.get(url("import_columns", job_pk=job.pk))["Location"] == url(
        "import_job", job_pk=job.pk
    )
