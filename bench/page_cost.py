"""What each page of the web benchmark's mix costs the server, without load (issue 15).

    make bench-pages                                  # after `make bench-web` built its database
    .venv/bin/python bench/page_cost.py --fetches 20
    .venv/bin/python bench/page_cost.py --profile /o/school-5/my/mentor/   # cProfile of one page

One process, production settings (DEBUG off, the cached template loader, persistent database
connections) on the database `make bench-web` built (BENCH_WEB_DATABASE_URL, as it is: nothing is
written but sessions). Every role of bench/web_locustfile.py logs in with Django's test client
and fetches each of its pages `--fetches` times after two warm-up fetches; the table gives the
median wall time, the CPU time of this process and of its PostgreSQL server process (db, read
from /proc) in ms, and the queries of one fetch. Under load a page costs its CPU time here plus
PostgreSQL's: two cores at 50 pages a second leave ~20 ms of both per page on average.

The last line, means weighted by the share of each page in the mix (medians of its fetches):
pages=… wall_ms=… cpu_ms=… db_ms=… queries=… worst_ms=… (CPU and database) worst_page=…
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

from bench.web import DEFAULT_DATABASE_URL, manage, plan_of_pages, production_env  # noqa: E402

# The locust classes' weights (bench/web_locustfile.py): a page's share of the load is its
# role's weight divided by that role's number of pages.
ROLE_WEIGHTS = {"curator": 3, "mentor": 4, "mentee": 2, "parent": 1}


def setup() -> None:
    database_url = os.environ.get("BENCH_WEB_DATABASE_URL", DEFAULT_DATABASE_URL)
    # Static files collected as in production ({% static %} reads their manifest), kept
    # between runs: collectstatic then only checks them.
    static_root = Path(tempfile.gettempdir()) / "nastavnik-page-cost-static"
    env = production_env(database_url, static_root, Path(tempfile.mkdtemp()) / "media")
    # The test client's host.
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE"))})
    import django

    django.setup()


def clients(plan: dict[str, Any]) -> dict[str, list[tuple[Any, list[str]]]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    made: dict[str, list[tuple[Any, list[str]]]] = {}
    for role, accounts in plan["roles"].items():
        for account in accounts:
            client = Client()
            client.force_login(users.get(email=account["email"]))
            made.setdefault(role, []).append((client, account["pages"]))
    return made


def _area(filename: str) -> str:
    """A profiled function's package, two levels deep (django/db, nastavnik/cabinets …)."""
    parts = Path(filename).parts
    for root in ("site-packages", "nastavnik"):
        if root in parts:
            at = parts.index(root) + (1 if root == "site-packages" else 0)
            return "/".join(parts[at : at + 2])
    return "python" if filename.startswith(("/", "<")) and ".py" in filename else filename


def _database_cpu() -> tuple[int, float]:
    """The PostgreSQL server process of this connection and the CPU time it has used (s), from
    /proc (the database runs on this machine); (0, 0.0) where that cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        # The first field: nanoseconds on a CPU.
        return pid, int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0, 0.0


def fetch(client: Any, path: str) -> tuple[float, float, float]:
    """The page's wall time, this process's CPU time and PostgreSQL's CPU time, in ms. On a
    busy machine the wall time waits for the CPU as well; the CPU times do not."""
    pid, database = _database_cpu()
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.get(path)
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    if answer.status_code != 200:
        raise SystemExit(f"{path}: HTTP {answer.status_code}")
    after_pid, after = _database_cpu()
    # The query reading the counter is in `after`; a few µs.
    database_used = after - database if pid and after_pid == pid else float("nan")
    return elapsed * 1000, used * 1000, database_used * 1000


def queries_of(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetches", type=int, default=10)
    parser.add_argument("--profile", help="a page's path, or mix: cProfile its fetches instead")
    parser.add_argument("--role", help="only this role's pages")
    parser.add_argument(
        "--queries", help="a page's path: print its queries with PostgreSQL's CPU for each"
    )
    parser.add_argument("--sort", default="cumulative", help="--profile: pstats sort key")
    parser.add_argument("--lines", type=int, default=60, help="--profile: lines printed")
    parser.add_argument("--callees", help="--profile: also what this function (a name) calls")
    args = parser.parse_args()
    setup()
    from django.db.models import Q

    from nastavnik.orgs.models import AcademicYear
    from nastavnik.people.validators import org_today
    from nastavnik.programmes.models import Programme

    programme = Programme.objects.filter(
        Q(organisation__slug="school-5"),
    ).select_related("organisation")
    first = programme.first()
    if first is None:
        raise SystemExit("no bench database: run `make bench-web` (or bench/web.py) first")
    today = org_today(first.organisation)
    programme = programme.get(academic_year=AcademicYear.containing(today))
    plan = plan_of_pages(programme.pk)
    by_role = clients(plan)

    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = next(
            c for accounts in by_role.values() for c, pages in accounts if args.queries in pages
        )
        fetch(client, args.queries)
        with CaptureQueriesContext(connection) as captured:
            fetch(client, args.queries)
        # Each query again, five times, with the CPU its server process spends on it.
        with connection.cursor() as cursor:
            for query in captured:
                _pid, before = _database_cpu()
                for _ in range(5):
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                _pid, after = _database_cpu()
                print(f"{(after - before) * 200:6.2f} db_ms  {query['sql'][:300]}")
        return 0

    if args.profile:
        # One page, or ("mix") every page as often as the load asks for it.
        fetches = [
            (client, path, round(args.fetches * ROLE_WEIGHTS[role] / len(pages)) or 1)
            for role, accounts in by_role.items()
            for client, pages in accounts
            for path in pages
            if args.profile in (path, "mix")
        ]
        for client, path, _times in fetches:
            fetch(client, path)
        # CPU time, not wall time: on a shared machine waiting for the database or for a core
        # would otherwise look like work.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for client, path, times in fetches:
            for _ in range(times):
                fetch(client, path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(args.lines)
        if args.callees:
            stats.print_callees(args.callees)
        # Where the time went, by the code that spent it (own time, not counting callees).
        spent: dict[str, float] = {}
        for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
            spent[_area(filename)] = spent.get(_area(filename), 0.0) + row[2]
        total = sum(spent.values()) or 1.0
        for area, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"{area:<40} {100 * seconds / total:5.1f} %")
        return 0

    rows: list[tuple[str, str, float, float, float, int, float]] = []
    for role, accounts in by_role.items():
        if args.role and role != args.role:
            continue
        seen: set[str] = set()
        for client, pages in accounts:
            for path in pages:
                # Pages the role's accounts share are measured once (with the first account).
                if path in seen:
                    continue
                seen.add(path)
                for _ in range(2):
                    fetch(client, path)
                measured = [fetch(client, path) for _ in range(args.fetches)]
                share = ROLE_WEIGHTS[role] / len(pages)
                rows.append(
                    (
                        role,
                        path,
                        statistics.median(m[0] for m in measured),
                        statistics.median(m[1] for m in measured),
                        statistics.median(m[2] for m in measured),
                        queries_of(client, path),
                        share,
                    )
                )
    print(f"{'role':<8} {'page':<46} {'wall_ms':>7} {'cpu_ms':>7} {'db_ms':>6} {'queries':>7}")
    for role, path, wall, cpu, database, queries, _share in rows:
        print(f"{role:<8} {path[:46]:<46} {wall:>7.1f} {cpu:>7.1f} {database:>6.1f} {queries:>7}")
    total_share = sum(r[6] for r in rows)

    def mean(column: int) -> float:
        return sum(r[column] * r[6] for r in rows) / total_share

    worst = max(rows, key=lambda r: r[3] + r[4])
    print(
        f"pages={len(rows)} wall_ms={mean(2):.1f} cpu_ms={mean(3):.1f} db_ms={mean(4):.1f} "
        f"queries={mean(5):.1f} worst_ms={worst[3] + worst[4]:.1f} worst_page={worst[1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
