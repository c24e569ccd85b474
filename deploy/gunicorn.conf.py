"""Gunicorn settings for Nastavnik: `gunicorn -c deploy/gunicorn.conf.py nastavnik.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so the systemd unit, the CI
check and the load benchmark share this file. A page spends most of its time in Python, not
waiting for PostgreSQL, so requests are spread over processes rather than threads: two threads
of one process take turns on its one interpreter lock, and each page then takes about twice as
long (`make bench-web`, 100 users: p95 307–346 ms with 2 threads a worker, 181–277 ms with 1).
A few processes per core keep the cores busy while one of them waits for the database. Long work
(imports, matching runs, mail) goes to the task worker, not here.
"""

import os


def _cpus() -> int:
    # The CPUs this process may run on (a container's or a systemd CPUAffinity= limit),
    # not every CPU of the host.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "nastavnik.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = _int("GUNICORN_WORKERS", 2 * _cpus() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread"
# A page that takes longer than this is killed and logged: the worker is freed for others.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to the upstream open; a little longer than its own keepalive.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (with jitter, not all at once): a slow leak in
# a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Uploads (people imports, scans) are read whole by Django; the request line and headers are
# capped by gunicorn's defaults.
limit_request_line = 8190

# Logs go to stdout/stderr: journald (systemd) or the container keeps and rotates them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Address as nginx passed it, the request, status, size and the time taken in microseconds.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus'
# Workers load the application after the fork: each opens its own database connections.
preload_app = False
# Temporary files of the worker heartbeat in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
