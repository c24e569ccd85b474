"""Benchmark of the regional operator's dashboard and the regional report (issue 20).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_bench_region make bench-region
    .venv/bin/python bench/region_dashboard.py --quick                  # a smoke run (SQLite)

A generated region: 1,000 organisations in 20 municipalities, 200,000 students (the mentees) and
80,000 staff (the mentors), each mentor with a pair of two mentees of its own organisation, a
programme and ten roadmap events per organisation. Rows go in with bulk_create.

Measured: the dashboard of the whole region as the operator opens it (the test client, the
page rendered; best of `--runs`, the first included), and the regional report built as the
worker builds it (the compliance count of every organisation, the figures, the DOCX and the
XLSX). Goals: dashboard ≤ 1 s, report ≤ 30 s. The database is a throwaway test database,
destroyed at the end. Last line: orgs=… dashboard_s=… report_s=… peak_mb=…
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.indicators import _ensure_postgres_database  # noqa: E402
from bench.people import generated_person  # noqa: E402

DASHBOARD_GOAL = 1.0
REPORT_GOAL = 30.0


def build(orgs: int, mentees: int, mentors: int) -> Any:
    """The region and its operator; returns the operator's account."""
    from django.utils import timezone

    from nastavnik.catalogue.models import MentoringForm
    from nastavnik.catalogue.profile import MentorCategory
    from nastavnik.mentees.models import Mentee, MenteeStatus
    from nastavnik.mentors.models import Mentor, MentorStatus
    from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
    from nastavnik.orgs.models import (
        AcademicYear,
        Municipality,
        Organisation,
        Region,
        RegionalOperator,
    )
    from nastavnik.orgs.tests.factories import UserFactory
    from nastavnik.people.models import Person, PersonKind
    from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent

    today = timezone.localdate()
    year = AcademicYear.containing(today)
    region = Region.objects.create(name="Регион бенчмарка", code="99")
    towns = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Муниципалитет {n:02d}") for n in range(20)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Школа № {n}",
            short_name=f"Школа № {n}",
            slug=f"bench-{n}",
            municipality=towns[n % len(towns)],
        )
        for n in range(orgs)
    )
    programmes = Programme.objects.bulk_create(
        Programme(organisation=o, academic_year=year, status=ProgrammeStatus.APPROVED)
        for o in organisations
    )
    form = MentoringForm.objects.get(organisation__isnull=True, code="teacher-student")
    role_model = form.role_models.filter(organisation__isnull=True).order_by("pk").first()
    start = max(year.starts_on + timedelta(days=30), today - timedelta(days=200))
    per_org_mentees, per_org_mentors = mentees // orgs, mentors // orgs
    for organisation, programme in zip(organisations, programmes, strict=True):
        name = ("Фамилия", "Имя", "Отчество")
        pupils = Person.objects.bulk_create(
            generated_person(organisation, PersonKind.STUDENT, n, name, "А")
            for n in range(per_org_mentees)
        )
        staff = Person.objects.bulk_create(
            generated_person(organisation, PersonKind.STAFF, n, name, "")
            for n in range(per_org_mentors)
        )
        mentor_rows = Mentor.objects.bulk_create(
            Mentor(
                organisation=organisation,
                programme=programme,
                person=p,
                category=MentorCategory.STAFF,
                status=MentorStatus.REGISTERED,
            )
            for p in staff
        )
        mentee_rows = Mentee.objects.bulk_create(
            Mentee(
                organisation=organisation,
                programme=programme,
                person=p,
                form=form,
                status=MenteeStatus.PAIRED,
            )
            for p in pupils
        )
        # Two mentees a mentor while they last; the rest wait in the base.
        pairs = Mentorship.objects.bulk_create(
            Mentorship(
                organisation=organisation,
                programme=programme,
                form=form,
                role_model=role_model,
                mentor=mentor,
                is_group=True,
                started_on=start,
                planned_end=start + timedelta(days=240),
                status=MentorshipStatus.ACTIVE if n % 10 else MentorshipStatus.COMPLETED,
                ended_on=None if n % 10 else start + timedelta(days=150),
            )
            for n, mentor in enumerate(mentor_rows)
        )
        MentorshipMentee.objects.bulk_create(
            MentorshipMentee(organisation=organisation, mentorship=pairs[n // 2], mentee=mentee)
            for n, mentee in enumerate(mentee_rows[: 2 * len(pairs)])
        )
        RoadmapEvent.objects.bulk_create(
            RoadmapEvent(
                organisation=organisation,
                programme=programme,
                stage=1 + n % 7,
                title=f"Мероприятие {n}",
                due_on=year.starts_on + timedelta(days=20 * n),
            )
            for n in range(10)
        )
    user = UserFactory(email="operator@bench.region")
    RegionalOperator.objects.create(user=user, region=region)
    return user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--mentees", type=int, default=200_000)
    parser.add_argument("--mentors", type=int, default=80_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 organisations, 4,000 mentees")
    parser.add_argument("--profile", action="store_true", help="where the report spends its time")
    args = parser.parse_args()
    if args.quick:
        args.orgs, args.mentees, args.mentors = 20, 4000, 1600

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-region-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    _ensure_postgres_database()
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(workdir / "bench.sqlite3")
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        user = build(args.orgs, args.mentees, args.mentors)
        print(f"built {args.orgs} organisations in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(user)
        url = reverse("region:dashboard")
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        dashboard_s = min(times)
        print(f"dashboard: first {times[0]:.3f} s, best {dashboard_s:.3f} s")

        from nastavnik.dashboards.models import RegionReport, ReportStatus
        from nastavnik.dashboards.tasks import report_build

        report = RegionReport.objects.create(created_by=user, language="ru")
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            report = profiler.runcall(report_build, report)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
        else:
            report = report_build(report)
        report_s = time.perf_counter() - started
        assert report.status == ReportStatus.DONE, report.error
        print(f"report: {report_s:.2f} s, {report.docx.size} B DOCX, {report.xlsx.size} B XLSX")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ok = dashboard_s <= DASHBOARD_GOAL and report_s <= REPORT_GOAL
        print("goals met" if ok else "GOALS MISSED (dashboard ≤ 1 s, report ≤ 30 s)")
        print(
            f"orgs={args.orgs} dashboard_s={dashboard_s:.3f} report_s={report_s:.2f} "
            f"peak_mb={peak_mb:.0f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
