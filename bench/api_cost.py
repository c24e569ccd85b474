"""What each list endpoint of bench-api's mix costs the server, without load (issue 21).

    make bench-api-cost                 # after `make bench-api` built its database
    .venv/bin/python bench/api_cost.py --fetches 200
    .venv/bin/python bench/api_cost.py --profile /people?page_size=50   # cProfile of one

One process, production settings, on the database `make bench-api` built
(BENCH_API_DATABASE_URL; pending migrations are applied, nothing else is written but the
token and its counters). The demo curator's token, every area readable, calls each endpoint of
bench/api.py `--fetches` times after two warm-up calls, through Django's test client and the
whole stack (token, rate limit, ETag); the table gives the median wall time, the CPU time of
this process and of its PostgreSQL server process in ms, and the queries of one call.
Under bench-api's load a call costs its CPU time here plus PostgreSQL's.

The last line, means over the endpoints (each weighs the same, as in bench-api's mix):
endpoints=… cpu_ms=… db_ms=… queries=… worst_ms=… (CPU and database) worst=…
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import CURATOR, DEFAULT_DATABASE_URL, ENDPOINTS, PREFIX  # noqa: E402
from bench.page_cost import fetch, queries_of  # noqa: E402
from bench.web import manage, production_env  # noqa: E402


def setup() -> None:
    database_url = os.environ.get("BENCH_API_DATABASE_URL", DEFAULT_DATABASE_URL)
    static_root = Path(tempfile.gettempdir()) / "nastavnik-api-cost-static"
    env = production_env(database_url, static_root, Path(tempfile.mkdtemp()) / "media")
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    env["DJANGO_API_RATE_PER_MINUTE"] = str(10**9)
    manage(env, "migrate", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE"))})
    import django

    django.setup()


def api_client() -> Any:
    from django.test import Client

    from nastavnik.accounts.models import User
    from nastavnik.api.models import Access, Area
    from nastavnik.api.tokens import token_create
    from nastavnik.orgs.models import Organisation

    organisation = Organisation.objects.get(slug=PREFIX.split("/")[-1])
    secret = token_create(
        organisation,
        User.objects.get(email=CURATOR),
        name="api-cost",
        scopes={area.value: Access.READ for area in Area},
        days=7,
    )[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetches", type=int, default=50)
    parser.add_argument("--profile", help="an endpoint of the mix: cProfile its calls instead")
    parser.add_argument("--lines", type=int, default=50, help="--profile: lines printed")
    parser.add_argument("--queries", help="an endpoint of the mix: print the SQL of one call")
    args = parser.parse_args()
    setup()
    client = api_client()

    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        fetch(client, PREFIX + args.queries)
        with CaptureQueriesContext(connection) as captured:
            fetch(client, PREFIX + args.queries)
        for query in captured:
            print(query["sql"][:240])
        return 0

    if args.profile:
        path = PREFIX + args.profile
        fetch(client, path)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.fetches):
            fetch(client, path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.lines)
        return 0

    print(f"{'endpoint':<32} {'wall_ms':>8} {'cpu_ms':>7} {'db_ms':>6} {'queries':>7}")
    rows = []
    for endpoint in ENDPOINTS:
        path = PREFIX + endpoint
        for _ in range(2):
            fetch(client, path)
        times = [fetch(client, path) for _ in range(args.fetches)]
        wall, cpu, db = (statistics.median(t[i] for t in times) for i in range(3))
        queries = queries_of(client, path)
        rows.append((endpoint, cpu, db, queries))
        print(f"{endpoint:<32} {wall:8.1f} {cpu:7.1f} {db:6.1f} {queries:7d}")
    worst = max(rows, key=lambda r: r[1] + r[2])
    print(
        f"endpoints={len(rows)} cpu_ms={statistics.mean(r[1] for r in rows):.1f} "
        f"db_ms={statistics.mean(r[2] for r in rows):.1f} "
        f"queries={statistics.mean(r[3] for r in rows):.1f} "
        f"worst_ms={worst[1] + worst[2]:.1f} worst={worst[0]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
