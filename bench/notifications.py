"""Benchmark of the notification centre (issue 19): a curator with 10,000 notifications opens
the list.

    make bench-notifications                                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_bench_notify make bench-notifications
    .venv/bin/python bench/notifications.py --notifications 1000      # a quick smoke run

One organisation; its curator has `--notifications` notifications of every kind, a third of
them unread, and ten other members have as many between them (rows that the list must skip).
Measured through the test client, as a browser asks, best of `--runs`: the first page of the
list, a page in the middle, and the unread ones of one kind — each with the bell in the header.
Queries are counted on the first page (CaptureQueriesContext).

The database is a throwaway one made by Django's test machinery, destroyed at the end. Target:
every page under 200 ms. The last line is a summary of name=value figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import ensure_postgres_database  # noqa: E402

TARGET_MS = 200.0


def build(count: int) -> tuple[Any, Any]:
    """The organisation and its curator."""
    from django.utils import timezone

    from nastavnik.accounts.models import User
    from nastavnik.notifications.models import Channel, Notification
    from nastavnik.notifications.registry import KINDS
    from nastavnik.orgs.models import Membership, Role
    from nastavnik.orgs.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(slug="s1")
    curator = User.objects.create_user(email="curator@example.ru", password="bench-password")
    Membership.objects.create(user=curator, organisation=organisation, role=Role.CURATOR)
    others = []
    for index in range(10):
        other = User.objects.create_user(email=f"m{index}@example.ru", password="x")
        Membership.objects.create(user=other, organisation=organisation, role=Role.MENTOR)
        others.append(other)
    kinds = list(KINDS)
    now = timezone.now()
    rows = []
    for index in range(count * 2):
        recipient = curator if index % 2 == 0 else others[index % 10]
        rows.append(
            Notification(
                organisation=organisation,
                recipient=recipient,
                kind=kinds[index % len(kinds)],
                title=f"Встреча {index} отменена",
                body="Иванова А. С. отменила встречу 10 декабря 2026 г. 15:00.\nПричина: болезнь",
                url="/o/s1/meetings/1/",
                channel=Channel.IN_APP,
                read_at=None if index % 3 == 0 else now,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)
    # Their times spread over a year, as a real list's are.
    for offset, pk in enumerate(
        Notification.objects.filter(recipient=curator).values_list("pk", flat=True)
    ):
        if offset % 100 == 0:
            Notification.objects.filter(pk__gte=pk, pk__lt=pk + 200).update(
                created_at=now - timedelta(hours=offset)
            )
    return organisation, curator


def measure(client, url: str, runs: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of this process (SQLite runs inside it) in ms:
    on a shared, loaded machine the second says what the page costs, the first what it took."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - started_cpu) * 1000
        assert response.status_code == 200, (url, response.status_code)
        best, best_cpu = min(best, elapsed), min(best_cpu, cpu)
    return best, best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-notifications-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.urls import reverse

    ensure_postgres_database()
    engine = connection.vendor
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if engine == "sqlite":
        test_settings["NAME"] = str(workdir / "bench.sqlite3")
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        organisation, curator = build(args.notifications)
        print(
            f"built in {time.perf_counter() - started:.1f} s: {args.notifications} notifications "
            f"of the curator, as many of others; database: {engine}"
        )
        client = Client()
        client.force_login(curator)
        url = reverse("notifications:list", kwargs={"org_slug": organisation.slug})
        pages = {
            "first": url,
            "middle": f"{url}?page={args.notifications // 60}",
            "unread_of_kind": f"{url}?state=unread&kind=meeting.cancelled",
        }
        figures, cpu = {}, {}
        for name, address in pages.items():
            figures[name], cpu[name] = measure(client, address, args.runs)
            print(f"{name}: {figures[name]:.1f} ms (CPU {cpu[name]:.1f} ms)")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)

    worst = max(figures.values())
    verdict = "ok" if worst < TARGET_MS else "over_target"
    print(
        f"notifications={args.notifications} list_ms={figures['first']:.1f} "
        f"middle_ms={figures['middle']:.1f} filtered_ms={figures['unread_of_kind']:.1f} "
        f"list_cpu_ms={cpu['first']:.1f} queries={len(queries)} db={engine} result={verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
