"""Benchmark of region-scale matching through the application (issue 20, "Speed").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_bench_region \
        make bench-region-matching
    .venv/bin/python bench/region_matching.py --quick      # a small region, to smoke-test it

A generated region: 1,000 organisations in 20 municipalities, 200,000 mentees of the form
«Учитель – ученик» and 80,000 mentors (20 % of them shared with their municipality: the flag and
a valid consent to sharing), every participant with valid consents, requests, subjects and time.
Rows go in with bulk_create in large batches (building is not measured).

Measured, as the application does it (`nastavnik.matching.region`):
* inputs_s: building the run's inputs from the database (bulk queries, profiles);
* run_s: the engine over the whole region (own mentors and the municipalities' shared ones);
* write_s: writing one proposed run per organisation, its proposals and the mentees left alone.
Target: the three together ≤ 60 s and the process's peak memory ≤ 2 GB.

The database is a throwaway one made by Django's test machinery (`test_…` on PostgreSQL, whose
own database is created first if missing), destroyed at the end. The last line is a summary
of name=value figures.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0
TARGET_MB = 2048.0
FORM = "teacher-student"
SHARED_SHARE = 0.2
BATCH = 10000

SUBJECTS = ("Математика", "Физика", "Информатика", "Химия", "Биология", "История", "Литература")
SLOTS = ("пн-день", "пн-вечер", "вт-вечер", "ср-день", "ср-вечер", "чт-вечер", "пт-день", "сб-день")
TOPICS = ("subject", "exams", "career", "project", "digital", "competitions", "communication")
COMPETENCIES = (
    "Подготовка к ОГЭ и ЕГЭ по математике",
    "Проектная деятельность, исследования",
    "Олимпиады по физике и информатике",
    "Профориентация, выбор профессии",
    "Программирование, цифровые навыки",
    "Общение, уверенность, лидерство",
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ensure_postgres_database() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    """The rows into the model's table with their keys set: COPY on PostgreSQL (keys given
    from the table's maximum, the identity moved past them), bulk_create elsewhere. Each
    field's value is what `save()` would write (`pre_save`, then `get_db_prep_save`)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        made: list[Any] = []
        for start in range(0, len(rows), BATCH):
            made += model.objects.bulk_create(rows[start : start + BATCH])
        return made
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")
        first = cursor.fetchone()[0] + 1
    for number, row in enumerate(rows):
        row.pk = first + number
    columns = ", ".join(quote(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + len(rows)]
        )
    return rows


def build(organisations: int, mentees: int, mentors: int, seed: int = 20) -> dict[str, Any]:
    """The region, in bulk. Returns the organisations and the form."""
    from nastavnik.catalogue.models import MentoringForm
    from nastavnik.consents.models import Consent, Method, Purpose
    from nastavnik.mentees.models import Mentee, MenteeStatus
    from nastavnik.mentors.models import Mentor, MentorStatus
    from nastavnik.orgs.models import AcademicYear, Municipality, Organisation, Region
    from nastavnik.people.models import Person, PersonKind, person_name_key
    from nastavnik.programmes.models import Programme, ProgrammeStatus

    rng = random.Random(seed)
    today = date.today()
    form = MentoringForm.objects.get(code=FORM, organisation__isnull=True)
    region = Region.objects.create(name="Тестовый регион", code="99")
    towns = _bulk(Municipality, [Municipality(region=region, name=f"Город {n}") for n in range(20)])
    orgs = _bulk(
        Organisation,
        [
            Organisation(
                name=f"Школа № {n}",
                short_name=f"Школа № {n}",
                slug=f"bench-{n}",
                municipality=towns[n % len(towns)],
            )
            for n in range(organisations)
        ],
    )
    year = AcademicYear.containing(today)
    programmes = _bulk(
        Programme,
        [
            Programme(
                organisation=o, academic_year=year, status=ProgrammeStatus.APPROVED, goal="Цель"
            )
            for o in orgs
        ],
    )

    def person(org: Organisation, n: int, pupil: bool) -> Person:
        last, first = f"Фамилия{n}", "Имя"
        return Person(
            organisation=org,
            kind=PersonKind.STUDENT if pupil else PersonKind.STAFF,
            last_name=last,
            first_name=first,
            gender="m",
            birth_date=date(2011, 1, 1) if pupil else date(1980, 1, 1),
            grade=5 + n % 6 if pupil else None,
            subjects="" if pupil else rng.choice(SUBJECTS),
            name_key=person_name_key(last, first),
        )

    which = [rng.randrange(organisations) for _ in range(mentees)]
    pupils = _bulk(Person, [person(orgs[w], n, True) for n, w in enumerate(which)])
    which_m = [rng.randrange(organisations) for _ in range(mentors)]
    staff = _bulk(Person, [person(orgs[w], n, False) for n, w in enumerate(which_m)])

    _bulk(
        Mentee,
        [
            Mentee(
                organisation_id=p.organisation_id,
                programme=programmes[w],
                person=p,
                form=form,
                status=MenteeStatus.IN_BASE,
                topics=rng.sample(TOPICS, 2),
                request_text="Хочу подготовиться к экзаменам и выбрать профессию",
                subjects=", ".join(rng.sample(SUBJECTS, 2)),
                availability=rng.sample(SLOTS, 3),
            )
            for p, w in zip(pupils, which, strict=True)
        ],
    )
    shared_count = int(mentors * SHARED_SHARE)
    made_mentors = _bulk(
        Mentor,
        [
            Mentor(
                organisation_id=p.organisation_id,
                programme=programmes[w],
                person=p,
                category="staff",
                competencies=rng.choice(COMPETENCIES),
                subjects=p.subjects,
                availability=rng.sample(SLOTS, 3),
                experience_years=rng.randrange(1, 30),
                capacity=2,
                share_with_others=n < shared_count,
                status=MentorStatus.REGISTERED,
            )
            for n, (p, w) in enumerate(zip(staff, which_m, strict=True))
        ],
    )
    through = Mentor.forms.through
    _bulk(through, [through(mentor_id=m.pk, mentoringform_id=form.pk) for m in made_mentors])

    def consent(subject: Person, purpose: str) -> Consent:
        return Consent(
            organisation_id=subject.organisation_id,
            subject=subject,
            given_by=subject,
            purpose=purpose,
            document_version="bench",
            operator_details="Школа",
            purpose_text="-",
            data_categories="-",
            actions="-",
            withdrawal_procedure="-",
            given_on=today - timedelta(days=30),
            valid_until=today + timedelta(days=300),
            method=Method.PAPER,
        )

    everyone = pupils + staff
    for purpose in (Purpose.PROCESSING, Purpose.PARTICIPATION):
        _bulk(Consent, [consent(p, purpose) for p in everyone])
    _bulk(Consent, [consent(p, Purpose.SHARING) for p in staff[:shared_count]])
    return {"organisations": orgs, "form": form, "shared": shared_count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--mentees", type=int, default=200_000)
    parser.add_argument("--mentors", type=int, default=80_000)
    parser.add_argument("--quick", action="store_true", help="50 organisations, 2,000 mentees")
    args = parser.parse_args()
    if args.quick:
        args.organisations, args.mentees, args.mentors = 50, 2000, 800

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-region-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    _ensure_postgres_database()
    engine = connection.vendor
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if engine == "sqlite":
        test_settings["NAME"] = str(workdir / "bench.sqlite3")
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from nastavnik.matching.region import build_region_inputs, region_compute, region_write

        started = time.perf_counter()
        made = build(args.organisations, args.mentees, args.mentors)
        if engine == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"built in {time.perf_counter() - started:.1f} s: {args.organisations} organisations, "
            f"{args.mentees} mentees, {args.mentors} mentors ({made['shared']} shared); "
            f"database: {engine}",
            flush=True,
        )
        today = date.today()

        t0 = time.perf_counter()
        inputs = build_region_inputs(made["organisations"], made["form"], today)
        t1 = time.perf_counter()
        result = region_compute(inputs)
        t2 = time.perf_counter()
        written = region_write(inputs, result, weights={})
        t3 = time.perf_counter()
        print(
            f"inputs: {len(inputs.mentees)} mentees, {len(inputs.mentors)} mentors "
            f"({inputs.shared} shared); proposals {written.proposals}, left alone "
            f"{written.unmatched}, runs {len(written.runs)}",
            flush=True,
        )
        figures = {
            "inputs_s": t1 - t0,
            "run_s": t2 - t1,
            "write_s": t3 - t2,
            "total_s": t3 - t0,
            "peak_mb": peak_mb(),
        }
        ok = figures["total_s"] <= TARGET_SECONDS and figures["peak_mb"] <= TARGET_MB
        print(
            f"target: total ≤ {TARGET_SECONDS:.0f} s, peak ≤ {TARGET_MB:.0f} MB: "
            + ("met" if ok else "NOT met")
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        " ".join(f"{k}={v:.2f}" if k != "peak_mb" else f"{k}={v:.0f}" for k, v in figures.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
