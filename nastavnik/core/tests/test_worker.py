"""A queue nobody empties is visible: the curator's dashboard and the page of a large import
say that the task worker seems not to run when a task has waited longer than the threshold."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nastavnik.core.tasks import send_mail_task
from nastavnik.orgs.models import Role
from nastavnik.people.models import ImportStatus
from nastavnik.people.tests.factories import ImportJobFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WARNING = "обработчик фоновых задач, похоже, не запущен"


def queue_mail_waiting(minutes: int) -> None:
    result = send_mail_task.enqueue("Приглашение", "Ссылка", ["pupil@example.ru"])
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes)
    )


def dashboard(client, tenant, role=Role.CURATOR) -> str:
    client.force_login(tenant.user(role))
    url = reverse("orgs:dashboard", kwargs={"org_slug": tenant.organisation.slug})
    return client.get(url).content.decode()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_curator_is_told_when_mail_waits_longer_than_the_threshold(client, tenant_a):
    queue_mail_waiting(minutes=25)
    queue_mail_waiting(minutes=12)
    queue_mail_waiting(minutes=1)

    page = dashboard(client, tenant_a)

    assert "Фоновые задачи не выполняются" in page
    assert "2 фоновые задачи (письма, большие импорты или подбор пар) ждут больше 10 мин." in page
    assert WARNING in page


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_fresh_queue_or_a_finished_task_is_no_alarm(client, tenant_a):
    queue_mail_waiting(minutes=1)
    queue_mail_waiting(minutes=30)
    DBTaskResult.objects.filter(enqueued_at__lt=timezone.now() - timedelta(minutes=20)).update(
        status="SUCCESSFUL"
    )

    assert WARNING not in dashboard(client, tenant_a)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_only_those_who_run_the_programme_are_told(client, tenant_a):
    queue_mail_waiting(minutes=30)

    assert WARNING not in dashboard(client, tenant_a, Role.MENTOR)
    assert WARNING in dashboard(client, tenant_a, Role.DIRECTOR)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE, TASKS_WAITING_ALERT_MINUTES=60)
def test_the_threshold_is_a_setting(client, tenant_a):
    queue_mail_waiting(minutes=30)

    assert WARNING not in dashboard(client, tenant_a)


def import_job_page(client, tenant, job, **headers) -> str:
    client.force_login(tenant.user(Role.CURATOR))
    url = reverse(
        "people:import_job", kwargs={"org_slug": tenant.organisation.slug, "job_pk": job.pk}
    )
    return client.get(url, headers=headers).content.decode()


IMPORT_WARNING = "Импорт не начат уже больше 10 мин.: обработчик фоновых задач, похоже, не запущен"


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_large_import_nobody_took_up_says_so_on_its_page(client, tenant_a):
    queue_mail_waiting(minutes=15)
    job = ImportJobFactory(
        organisation=tenant_a.organisation,
        status=ImportStatus.PREVIEWING,
        rows_total=5000,
        rows_done=0,
    )

    assert IMPORT_WARNING in import_job_page(client, tenant_a, job)
    # The fragment the page polls says it too.
    assert IMPORT_WARNING in import_job_page(client, tenant_a, job, **{"HX-Request": "true"})


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_an_import_under_way_or_a_fresh_queue_is_no_alarm(client, tenant_a):
    queue_mail_waiting(minutes=15)
    under_way = ImportJobFactory(
        organisation=tenant_a.organisation,
        status=ImportStatus.IMPORTING,
        rows_total=5000,
        rows_done=1200,
    )
    assert IMPORT_WARNING not in import_job_page(client, tenant_a, under_way)

    DBTaskResult.objects.all().delete()
    queue_mail_waiting(minutes=2)
    waiting = ImportJobFactory(
        organisation=tenant_a.organisation, status=ImportStatus.PREVIEWING, rows_total=5000
    )
    assert IMPORT_WARNING not in import_job_page(client, tenant_a, waiting)
