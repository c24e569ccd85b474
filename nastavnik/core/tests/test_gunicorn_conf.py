"""deploy/gunicorn.conf.py: sizes follow the CPUs the process may use, the environment
overrides every value, and the access log goes to stdout."""

import os
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"


def load(monkeypatch, **env: str) -> dict:
    for key in [k for k in os.environ if k.startswith("GUNICORN_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(CONF))


def test_workers_follow_the_cpus_and_the_log_goes_to_stdout(monkeypatch):
    conf = load(monkeypatch)

    assert conf["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert conf["worker_class"] == "gthread"
    assert conf["accesslog"] == "-"
    assert conf["wsgi_app"] == "nastavnik.wsgi:application"
    assert conf["bind"] == "127.0.0.1:8001"


def test_the_environment_overrides_the_sizes(monkeypatch):
    conf = load(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_BIND="127.0.0.1:9000",
        GUNICORN_TIMEOUT="120",
        GUNICORN_ACCESS_LOG="",
    )

    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 4, 120)
    assert conf["bind"] == "127.0.0.1:9000"
    # An empty value turns the access log off (the load benchmark does).
    assert conf["accesslog"] is None
