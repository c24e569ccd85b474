"""REST API load benchmark (issue 21): the list endpoints of /api/v1/ on a large organisation.

    make bench-api                                   # 100 clients for 60 s on PostgreSQL
    .venv/bin/python bench/api.py --clients 200 --seconds 120
    .venv/bin/python bench/api.py --quick            # 10 clients, 10 s, a small school
    .venv/bin/python bench/api.py --reuse            # serve what the previous run built

The database is built as the web benchmark's (bench/web.py `build`: the demo school
«СШ № 5» grown by 3,000 pupils, 300 pairs and a year of meetings), made anew in
BENCH_API_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/nastavnik_bench_api, apart
from the web benchmark's so the two may run side by side; its name must contain «bench»).
Every client gets a personal access token of the demo curator with every area readable, as
a school's script would. gunicorn serves it in production settings.

`--clients` threads each call the list endpoints in turn (people, a search, the mentee and
mentor bases, pairs with members, meetings, plan items, campaigns, orders, coverage) with
keep-alive and a pause of `--think` seconds between calls (1–3: programs, not people reading).
A call whose answer is not 200 is an error. The per-token rate limit is raised for the run: what is
measured is the serving, while every call still counts in the shared cache as in production.

The rate-limit counters live in the shared cache: the database table by default, Redis with
`--cache-url redis://127.0.0.1:6379/1` (BENCH_API_CACHE_URL) as a deployment with several
servers has it.

The last line: p50_ms=… p95_ms=… rps=… errors=…
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web import (  # noqa: E402
    DEMO_SLUG,
    build,
    percentile,
    production_env,
    start_gunicorn,
    stop,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nastavnik_bench_api"
CURATOR = "curator@school5.demo"
PREFIX = f"/api/v1/o/{DEMO_SLUG}"
ENDPOINTS = (
    "/people?page_size=50",
    "/people?q=иван&page_size=50",
    "/people?kind=student&grade=7",
    "/mentees?page_size=50",
    "/mentors?page_size=50",
    "/mentorships?page_size=50",
    "/meetings?page_size=50",
    "/plan-items?page_size=50",
    "/campaigns",
    "/orders",
    "/coverage",
)


def tokens(count: int) -> list[str]:
    """`count` tokens of the demo curator, every area readable (Django is set up by `build`)."""
    from django.db import connection

    from nastavnik.accounts.models import User
    from nastavnik.api.models import Access, Area
    from nastavnik.api.tokens import token_create
    from nastavnik.orgs.models import Organisation

    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    curator = User.objects.get(email=CURATOR)
    scopes = {area.value: Access.READ for area in Area}
    made = [
        token_create(organisation, curator, name=f"bench {n}", scopes=scopes, days=7)[1]
        for n in range(count)
    ]
    connection.close()
    return made


def client(
    port: int, token: str, until: float, think: tuple[float, float], out: list[Any], seed: int
) -> None:
    chooser = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    while time.monotonic() < until:
        path = PREFIX + chooser.choice(ENDPOINTS)
        started = time.perf_counter()
        try:
            connection.request("GET", urllib.parse.quote(path, safe="/?=&"), headers=headers)
            answer = connection.getresponse()
            answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException) as error:
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            out.append((path, (time.perf_counter() - started) * 1000, f"{error!r}"))
        else:
            error_text = "" if status == 200 else f"HTTP {status}"
            out.append((path, (time.perf_counter() - started) * 1000, error_text))
        time.sleep(chooser.uniform(*think))
    connection.close()


def drive(port: int, secrets: list[str], seconds: int, think: tuple[float, float]) -> list[Any]:
    samples: list[Any] = []
    threads = []
    until = time.monotonic() + seconds
    for n, token in enumerate(secrets):
        thread = threading.Thread(
            target=client, args=(port, token, until, think, samples, n), daemon=True
        )
        threads.append(thread)
        thread.start()
        time.sleep(0.01)  # a ramp of a second per hundred clients
    for thread in threads:
        thread.join()
    return samples


def summarise(samples: list[Any], seconds: int) -> str:
    by_endpoint: dict[str, list[float]] = {}
    for path, ms, _error in samples:
        by_endpoint.setdefault(path.removeprefix(PREFIX), []).append(ms)
    print(f"{'endpoint':<34} {'n':>6} {'p50':>7} {'p95':>7}")
    for name, values in sorted(by_endpoint.items()):
        values.sort()
        print(
            f"{name[:34]:<34} {len(values):>6} {percentile(values, 0.5):>7.0f} "
            f"{percentile(values, 0.95):>7.0f}"
        )
    errors = [s for s in samples if s[2]]
    for path, _ms, error in errors[:10]:
        print("error:", path, error)
    times = sorted(s[1] for s in samples)
    return (
        f"p50_ms={percentile(times, 0.5):.0f} p95_ms={percentile(times, 0.95):.0f} "
        f"rps={len(samples) / max(seconds, 1):.1f} errors={len(errors)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    parser.add_argument("--quick", action="store_true", help="10 clients, 10 s, a small school")
    parser.add_argument("--reuse", action="store_true", help="serve the previous run's database")
    parser.add_argument("--workers", help="gunicorn workers (deploy/gunicorn.conf.py's default)")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_API_CACHE_URL", ""),
        help="the shared cache of the rate limits, e.g. redis://127.0.0.1:6379/1 "
        "(default: the database table, as without DJANGO_CACHE_URL)",
    )
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds, args.students, args.pairs = 10, 10, 300, 30
    # Not DATABASE_URL: a development database set there must never be dropped by a benchmark.
    database_url = os.environ.get("BENCH_API_DATABASE_URL", DEFAULT_DATABASE_URL)
    if "bench" not in urllib.parse.urlparse(database_url).path:
        parser.error("the benchmark drops its database; name one with «bench» in it")
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-api-"))
    env = production_env(database_url, workdir / "static", workdir / "media")
    env["DJANGO_API_RATE_PER_MINUTE"] = str(10**9)
    if args.cache_url:
        env["DJANGO_CACHE_URL"] = args.cache_url
    process = None
    try:
        build(env, database_url, args.students, args.pairs, args.reuse)
        secrets = tokens(args.clients)
        overrides = {"GUNICORN_ACCESS_LOG": ""}
        if args.workers:
            overrides["GUNICORN_WORKERS"] = args.workers
        process = start_gunicorn(env, args.port, workdir / "gunicorn.log", **overrides)
        samples = drive(args.port, secrets, args.seconds, tuple(args.think))
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    print(summarise(samples, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
