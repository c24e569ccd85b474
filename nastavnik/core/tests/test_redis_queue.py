"""The Redis queue option (DJANGO_TASKS_BACKEND=django_tasks_rq.RQBackend): a task enqueued by
the application is run by `manage.py rqworker` and its result is read back.

Runs in its own processes, as in production (the settings pick the apps from the environment);
skipped when no Redis answers at NASTAVNIK_TEST_REDIS_URL (default 127.0.0.1:6379, db 4).
"""

import os
import socket
import subprocess
import sys
import threading
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("NASTAVNIK_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def redis_answers() -> bool:
    address = urllib.parse.urlparse(REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {REDIS_URL}"),
    pytest.mark.slow,
]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(DJANGO_TASKS_BACKEND="django_tasks_rq.RQBackend", DJANGO_RQ_URL=REDIS_URL)
    return env


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def work_the_queue() -> str:
    """What `manage.py rqworker --burst` printed while it worked the queue.

    Once it has said it is quitting, the worker is given a few seconds to exit and is then
    stopped: rq 3.0's Worker.unsubscribe can lose a race with its pub/sub thread, which then
    sits out a 60 s read before the process ends (seen in about half of the full runs, never
    alone).
    """
    command = [sys.executable, "manage.py", "rqworker", "--burst"]
    command += ["--job-class", "django_tasks_rq.Job", "default"]
    printed = []
    # The context closes the pipe and reaps the process however the reading ends.
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as worker:
        watchdog = threading.Timer(120, worker.kill)
        watchdog.start()
        try:
            assert worker.stdout is not None
            for line in worker.stdout:
                printed.append(line)
                if "done, quitting" in line:
                    break
            try:
                worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.kill()
        finally:
            watchdog.cancel()
    output = "".join(printed)
    assert "done, quitting" in output, output
    return output


def test_a_mail_task_goes_through_redis_and_the_rq_worker():
    recipient = f"pupil-{uuid.uuid4().hex[:8]}@example.ru"
    enqueued = run(
        "shell",
        "-c",
        "from nastavnik.core.tasks import send_mail_task; "
        f"r = send_mail_task.enqueue('Приглашение', 'Ссылка', ['{recipient}']); "
        "print('task', r.id, r.status)",
    )
    task_id, status = enqueued.split("task ", 1)[1].split()[:2]
    assert status == "READY"

    worked = work_the_queue()
    # The console mail backend prints the letter in the worker's output.
    assert f"To: {recipient}" in worked

    finished = run(
        "shell",
        "-c",
        "from nastavnik.core.tasks import send_mail_task; "
        f"r = send_mail_task.get_result('{task_id}'); print('result', r.status, r.return_value)",
    )
    assert "result SUCCESSFUL 1" in finished


def test_the_rq_backend_passes_the_system_checks():
    assert "System check identified no issues" in run("check")
