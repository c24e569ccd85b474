"""deploy/gunicorn.conf.py: sizes follow the CPUs the process may use, the environment
overrides every value, and the access log goes to stdout."""

import os
import runpy
import subprocess
import sys
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
    # One thread a process: threads of a process share its interpreter lock (see the file).
    assert conf["threads"] == 1
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


def test_a_worker_loads_every_url_and_view_before_its_first_request():
    """The WSGI module imports the URLconf (the views, the API and its schemas) and the
    libraries pages import when they first draw as it loads, so a worker gunicorn starts
    answers its first request as fast as the next ones."""
    loaded = ("nastavnik.urls", "nastavnik.api.endpoints", "matplotlib.figure", "scipy.stats")
    code = f"import sys, nastavnik.wsgi; print(all(m in sys.modules for m in {loaded!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_a_command_that_loads_the_urls_leaves_the_drawing_libraries_unloaded():
    """Management commands and the task worker load every URL (checks, reverse()), but need
    matplotlib and scipy.stats only when they draw a chart or test an impact."""
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "print(sorted(m for m in ('matplotlib', 'scipy.stats') if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nastavnik.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"
