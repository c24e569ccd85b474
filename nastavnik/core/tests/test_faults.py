"""Faults on PostgreSQL, with real processes: a `manage.py db_worker` killed with SIGKILL in the
middle of an import and of a matching run, and the database cut away from a running server.

They need PostgreSQL: the worker and the server are other processes that must see the test's
committed rows in the same database (an in-memory SQLite test database is private to this
process). The worker is slowed at one point by `NASTAVNIK_FAULT_PAUSE`, read only by
core.jobs.fault_pause, set only in the worker's environment.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override
from django_tasks_db.models import DBTaskResult

from conftest import make_tenant
from nastavnik.core.tasks import send_mail_task
from nastavnik.matching import services as matching_services
from nastavnik.matching.models import MatchingRun, Proposal, RunStatus
from nastavnik.matching.services import RunSettings
from nastavnik.matching.tests.data import world
from nastavnik.orgs.models import Role
from nastavnik.people.models import ImportJob, ImportStatus, Person
from nastavnik.people.tests.data import born
from nastavnik.people.tests.importing import csv_upload, dmy, start
from nastavnik.people.transfer.services import IMPORT_MESSAGES
from nastavnik.programmes.tests.data import builtin_form

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the worker and server processes share the test database",
    ),
    # Committed rows, so the other processes see them; the migrations' rows come back after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BASE_DIR = Path(django_settings.BASE_DIR)
LEASE = 2.0
PROXY_PORT = 55431
SERVER_PORT = 8121


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def child_env(tmp_path: Path, port: int = 5432, **extra: str) -> dict[str, str]:
    """The environment of a worker or server using this test's database and media."""
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_TASKS_BACKEND", "NASTAVNIK_FAULT_PAUSE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="nastavnik.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_JOB_LEASE_SECONDS=str(LEASE),
        DJANGO_DEBUG="1",
        **extra,
    )
    return env


def start_worker(tmp_path: Path, pause: str = "") -> subprocess.Popen[bytes]:
    extra = {"NASTAVNIK_FAULT_PAUSE": pause} if pause else {}
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", "-v", "0"],
        cwd=BASE_DIR,
        env=child_env(tmp_path, **extra),
    )


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.fixture
def queue(settings, tmp_path):
    """The database queue and stored files on disk, as in production, shared with the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.JOB_LEASE_SECONDS = LEASE
    return tmp_path


def kill(process: subprocess.Popen[bytes]) -> float:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return time.monotonic()


def stored_files(root: Path) -> list[Path]:
    return [path for path in (root / "media").rglob("*") if path.is_file()]


# --- A worker killed in the middle of an import -------------------------------------------------

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Зайцев"]
FIRST_NAMES = ["Пётр", "Иван", "Олег", "Глеб", "Лев", "Марк", "Илья", "Егор"]


def student_rows(org: Any) -> list[list[str]]:
    rows = [["ФИО", "Дата рождения", "Класс"]]
    for last in SURNAMES:
        for first in FIRST_NAMES:
            rows.append([f"{last} {first} Сергеевич", dmy(born(12, org)), "7 А"])
    return rows


def test_a_worker_killed_while_importing_leaves_the_registry_as_it_was(
    client, settings, queue, workers
):
    settings.PEOPLE_IMPORT_INLINE_ROWS = 2
    tenant = make_tenant("school-a")
    org = tenant.organisation
    client.force_login(tenant.user(Role.CURATOR))
    marker = queue / "paused"
    workers.append(start_worker(queue, pause=f"import_commit:300:{marker}"))
    start(client, csv_upload(student_rows(org)))
    job = ImportJob.objects.get()
    wait_for(lambda: ImportJob.objects.get().status == ImportStatus.PREVIEWED, 60, "the preview")
    before = Person.objects.count()
    assert len(stored_files(queue)) == 2  # the rows and the plan

    client.post(reverse("people:import_confirm", args=["school-a", job.pk]))
    wait_for(marker.exists, 60, "the worker to write the rows")
    # The rows are written but not committed, and the lease is renewed meanwhile.
    first = ImportJob.objects.get().lease_until
    time.sleep(LEASE * 0.75)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING and job.lease_until > first
    assert Person.objects.count() == before

    killed = kill(workers[0])

    # No worker runs any more: the job's page is what notices.
    job_page = reverse("people:import_job", args=["school-a", job.pk])

    def page_after_the_lease() -> Any:
        response = client.get(job_page)
        return ImportJob.objects.get().status == ImportStatus.FAILED and response

    page = wait_for(page_after_the_lease, LEASE * 5, "the page to notice the lost import")
    noticed = time.monotonic() - killed
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    with override("ru"):
        reason = str(IMPORT_MESSAGES["lost_import"])
    assert job.result["error"] == reason
    assert escape(reason) in page.content.decode()
    assert Person.objects.count() == before  # exactly as before: nothing half-written
    lost = DBTaskResult.objects.get(id=job.task_id)
    assert (lost.status, lost.exception_class_path) == ("FAILED", "nastavnik.core.jobs.WorkerLost")
    assert stored_files(queue) == []  # the personal data went with the job
    assert not job.file and not job.plan_file
    print(f"lost import noticed by its page {noticed:.1f} s after the kill (lease {LEASE} s)")

    # The curator may remove it.
    client.post(reverse("people:import_discard", args=["school-a", job.pk]))
    assert not ImportJob.objects.exists()


# --- A worker killed in the middle of a matching run ---------------------------------------------


def test_a_worker_killed_while_matching_is_resumed_by_the_next_worker(settings, queue, workers):
    settings.MATCHING_INLINE_MENTEES = 0
    tenant = make_tenant("school-a")
    w = world(tenant.organisation)
    marker = queue / "paused"
    workers.append(start_worker(queue, pause=f"matching_store:300:{marker}"))

    run = matching_services.run_start(
        w.programme, builtin_form("student-student"), RunSettings(), by=None
    )
    wait_for(marker.exists, 60, "the worker to store the proposals")
    lost_task = MatchingRun.objects.get(pk=run.pk).task_id
    assert lost_task
    assert not Proposal.objects.filter(run=run).exists()  # written, not committed

    killed = kill(workers[0])
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
    workers.append(start_worker(queue))

    wait_for(
        lambda: MatchingRun.objects.get(pk=run.pk).status != RunStatus.RUNNING,
        LEASE * 10 + 30,
        "the new worker to resume the run",
    )
    resumed = time.monotonic() - killed
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.error
    assert run.attempts == 2 and run.task_id != lost_task
    assert run.proposals.count() == 2 and run.unmatched.count() == 1  # once, not twice
    lost = DBTaskResult.objects.get(id=lost_task)
    assert (lost.status, lost.exception_class_path) == ("FAILED", "nastavnik.core.jobs.WorkerLost")
    print(f"lost matching run resumed and proposed {resumed:.1f} s after the kill")


# --- The database cut away from a running server -------------------------------------------------


class Proxy:
    """A TCP forwarder to PostgreSQL that can be cut (connections dropped, new ones closed at
    once) and restored, without touching the shared server."""

    def __init__(self, port: int, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.cut_off = threading.Event()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.listener.settimeout(0.2)
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _address = self.listener.accept()
            except OSError:
                continue
            if self.cut_off.is_set():
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.cut_off.set()
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.cut()
        self.closed = True
        self.listener.close()


def fetch(path: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{SERVER_PORT}{path}",
        headers={"Cookie": cookie, "Accept-Language": "ru"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def proxied_server(tmp_path):
    db = connection.settings_dict
    proxy = Proxy(PROXY_PORT, (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    # Connections kept between requests: the harder case, a dead one must be noticed and
    # replaced by itself.
    env = child_env(tmp_path, port=PROXY_PORT, DJANGO_CONN_MAX_AGE="60")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{SERVER_PORT}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers("/healthz"), 60, "the server to start")
        yield proxy
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.close()


def _answers(path: str) -> bool:
    try:
        return fetch(path)[0] == 200
    except OSError:
        return False


def test_a_lost_database_gives_a_clear_page_and_the_site_recovers_by_itself(client, proxied_server):
    tenant = make_tenant("school-a")
    client.force_login(tenant.user(Role.CURATOR))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    dashboard = reverse("orgs:dashboard", args=["school-a"])
    assert fetch(dashboard, cookie)[0] == 200

    proxied_server.cut()
    started = time.monotonic()
    status, body = fetch(dashboard, cookie)
    assert status == 503
    assert "Сервис временно недоступен" in body and "подключиться к базе данных" in body
    assert fetch("/healthz") == (503, '{"status": "database unavailable"}')
    outage = time.monotonic() - started

    proxied_server.restore()
    assert fetch("/healthz") == (200, '{"status": "ok"}')
    status, body = fetch(dashboard, cookie)
    assert status == 200 and tenant.organisation.name in body
    print(f"503 page and health check answered within {outage:.2f} s of the cut")


@pytest.fixture
def through_proxy(settings):
    """This process's own connection to the test database, through a proxy that can be cut."""
    db = connection.settings_dict
    port = db["PORT"]
    proxy = Proxy(PROXY_PORT, (db["HOST"] or "127.0.0.1", int(port or 5432)))
    # The settings are shared with every thread's connection (the lease renewal's too).
    db["PORT"] = PROXY_PORT
    connection.close()
    try:
        yield proxy
    finally:
        proxy.close()
        db["PORT"] = port
        connection.close()


def test_an_import_written_in_the_request_when_the_database_goes_is_failed_with_the_reason(
    client, settings, monkeypatch, tmp_path, through_proxy
):
    settings.JOB_LEASE_SECONDS = LEASE
    tenant = make_tenant("school-a")
    org = tenant.organisation
    client.force_login(tenant.user(Role.CURATOR))
    start(client, csv_upload(student_rows(org)))  # small enough to run in the request
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED
    before = Person.objects.count()
    marker = tmp_path / "paused"
    monkeypatch.setenv("NASTAVNIK_FAULT_PAUSE", f"import_commit:1:{marker}")

    def cut_while_writing() -> None:
        wait_for(marker.exists, 60, "the rows to be written")
        through_proxy.cut()

    cutter = threading.Thread(target=cut_while_writing)
    cutter.start()
    response = client.post(reverse("people:import_confirm", args=["school-a", job.pk]))
    cutter.join()

    assert response.status_code == 503
    assert "Сервис временно недоступен" in response.content.decode()
    through_proxy.restore()
    connection.close()  # what the end of a real request does (the test client does not)
    assert ImportJob.objects.get().status == ImportStatus.IMPORTING
    assert Person.objects.count() == before

    time.sleep(LEASE)
    page = client.get(reverse("people:import_job", args=["school-a", job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert escape(job.result["error"]) in page.content.decode()
    assert Person.objects.count() == before


def test_the_worker_outlives_a_database_outage(tmp_path):
    db = connection.settings_dict
    proxy = Proxy(PROXY_PORT, (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=BASE_DIR,
        env=child_env(tmp_path, port=PROXY_PORT),
    )
    try:
        wait_for(lambda: proxy.sockets, 60, "the worker to poll the queue through the proxy")
        proxy.cut()
        time.sleep(4)  # four polls of the queue, each unable to connect
        assert worker.poll() is None  # still there, waiting
        proxy.restore()
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            queued = send_mail_task.enqueue("Проверка", "Текст", ["a@example.ru"])
        wait_for(
            lambda: DBTaskResult.objects.get(id=queued.id).status == "SUCCESSFUL",
            30,
            "the worker to send the mail after the outage",
        )
    finally:
        worker.kill()
        worker.wait(timeout=10)
        proxy.close()
