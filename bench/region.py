"""Benchmark of the region (issue 20, "Speed"): matching through the application, the
operator's dashboard and the regional report, on one generated region.

    make bench-region                                   # 1,000 organisations, PostgreSQL
    make bench-region BENCH_REGION_ARGS="--quick"       # a small region, to smoke-test it
    make bench-region BENCH_REGION_ARGS="--reuse"       # keep the database for the next run

The database is DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/
nastavnik_bench_region); its name must contain «bench», for it is dropped and made anew
(with --reuse: kept, and only made when missing or holding another size of region).

A generated region: 1,000 organisations in 20 municipalities, 200,000 mentees of the form
«Учитель – ученик» and 80,000 mentors (20 % of them shared with their municipality: the flag and
a valid consent to sharing), every participant with valid consents, requests, subjects and time;
and the year the operator looks at: 40,000 pairs and groups begun under last year's programme,
roadmap events, satisfaction ratings and half-year snapshots. Rows go in with COPY (building is
not measured).

Measured, as the application does it:
* inputs_s: building the matching run's inputs from the database (`nastavnik.matching.region`);
* run_s: the engine over the whole region (own mentors and the municipalities' shared ones);
* write_s: writing one proposed run per organisation, its proposals and the mentees left alone
  (rolled back afterwards, so a reused database keeps the same base);
* dashboard_s: the operator's dashboard page through the view (test client: the queries, the
  first page of organisations, the template), the best of --runs loads; its CPU seconds (the
  application's and the local database backend's) are printed beside it, since on a loaded
  shared machine the wall time grows with the load;
* report_s: the regional report as the worker builds it (figures, DOCX, XLSX).
Goals: the three matching figures together ≤ 60 s and the process's peak memory ≤ 2 GB, the
dashboard ≤ 1 s, the report ≤ 30 s. The last line is a summary of name=value figures.
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
DASHBOARD_SECONDS = 1.0
REPORT_SECONDS = 30.0
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nastavnik_bench_region"
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
    made = {"organisations": orgs, "form": form, "shared": shared_count}
    made.update(programmes=programmes, pupils=pupils, mentors=made_mentors)
    return made


def build_year(made: dict[str, Any], seed: int = 21) -> None:
    """What the operator's dashboard and the report read: the year's pairs and groups (begun
    under last year's programme and completed or ended in this one, so the base the matching
    run reads stays whole, 10 % still active), ten roadmap events an organisation, a
    satisfaction campaign with a rating from half the pupils in pairs, and two half-year
    snapshots an organisation; then the region's operator."""
    from nastavnik.indicators.deadlines import deadline_on_or_after, previous_deadline
    from nastavnik.indicators.models import HalfYearSnapshot
    from nastavnik.mentees.models import Mentee, MenteeStatus
    from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
    from nastavnik.orgs.models import AcademicYear, Region, RegionalOperator
    from nastavnik.orgs.tests.factories import UserFactory
    from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent
    from nastavnik.questionnaires.models import (
        Answer,
        Campaign,
        Channel,
        Question,
        QuestionnaireKind,
        QuestionType,
        Response,
    )

    rng = random.Random(seed)
    today = date.today()
    year = AcademicYear.containing(today)
    last_year = AcademicYear.objects.get_or_create(start_year=year.start_year - 1)[0]
    orgs, form = made["organisations"], made["form"]
    earlier = _bulk(
        Programme,
        [
            Programme(
                organisation=o, academic_year=last_year, status=ProgrammeStatus.APPROVED, goal="-"
            )
            for o in orgs
        ],
    )
    earlier_of = {p.organisation_id: p for p in earlier}
    # Half the mentors lead something: three in four a pair, the rest a group of three.
    pupils_of: dict[int, list[Any]] = {}
    for p in made["pupils"]:
        pupils_of.setdefault(p.organisation_id, []).append(p)
    role_model = form.role_models.filter(organisation__isnull=True).order_by("pk").first()
    started = year.starts_on - timedelta(days=120)
    mentorships, members = [], []
    for n, mentor in enumerate(made["mentors"][::2]):
        size = 1 if n % 4 else 3
        pupils = pupils_of.get(mentor.organisation_id, [])
        if len(pupils) < size:
            continue
        chosen, pupils_of[mentor.organisation_id] = pupils[:size], pupils[size:]
        active = n % 10 == 0
        status = (
            MentorshipStatus.ACTIVE
            if active
            else rng.choice((MentorshipStatus.COMPLETED,) * 4 + (MentorshipStatus.TERMINATED,))
        )
        mentorships.append(
            Mentorship(
                organisation_id=mentor.organisation_id,
                programme=earlier_of[mentor.organisation_id],
                form=form,
                role_model=role_model,
                mentor=mentor,
                is_group=size > 1,
                started_on=started,
                planned_end=year.starts_on + timedelta(days=60),
                status=status,
                ended_on=None if active else min(today, year.starts_on + timedelta(days=30)),
            )
        )
        members.append((chosen, active))
    _bulk(Mentorship, mentorships)
    mentees = _bulk(
        Mentee,
        [
            Mentee(
                organisation_id=p.organisation_id,
                programme=earlier_of[p.organisation_id],
                person=p,
                form=form,
                status=MenteeStatus.PAIRED,
            )
            for chosen, _active in members
            for p in chosen
        ],
    )
    rows, at = [], 0
    for mentorship, (chosen, active) in zip(mentorships, members, strict=True):
        for _p in chosen:
            rows.append(
                MentorshipMentee(
                    organisation_id=mentorship.organisation_id,
                    mentorship=mentorship,
                    mentee=mentees[at],
                    active=active,
                )
            )
            at += 1
    _bulk(MentorshipMentee, rows)
    programmes = made["programmes"]
    _bulk(
        RoadmapEvent,
        [
            RoadmapEvent(
                organisation_id=p.organisation_id,
                programme=p,
                stage=1 + n % 7,
                title=f"Мероприятие {n}",
                due_on=year.starts_on + timedelta(days=20 * n),
                done_on=year.starts_on if n % 3 == 0 else None,
            )
            for p in programmes
            for n in range(10)
        ],
    )
    question = Question.objects.filter(
        questionnaire__organisation__isnull=True,
        questionnaire__kind=QuestionnaireKind.MENTEE_SATISFACTION,
        type=QuestionType.SCALE,
    ).first()
    if question is not None:
        campaigns = _bulk(
            Campaign,
            [
                Campaign(
                    organisation_id=p.organisation_id,
                    programme=p,
                    questionnaire_id=question.questionnaire_id,
                    title="Удовлетворённость",
                    audience="mentees",
                    anonymous=True,
                    deadline=today,
                )
                for p in programmes
            ],
        )
        campaign_of = {c.organisation_id: c for c in campaigns}
        respondents = [p for chosen, _a in members[::2] for p in chosen]
        responses = _bulk(
            Response,
            [
                Response(
                    organisation_id=p.organisation_id,
                    campaign=campaign_of[p.organisation_id],
                    channel=Channel.ONLINE,
                    submitted_on=today,
                )
                for p in respondents
            ],
        )
        _bulk(
            Answer,
            [
                Answer(
                    organisation_id=r.organisation_id,
                    response=r,
                    question=question,
                    value=(v := rng.randint(5, 10)),
                    number=v,
                )
                for r in responses
            ],
        )
    last = previous_deadline(deadline_on_or_after(today))
    _bulk(
        HalfYearSnapshot,
        [
            HalfYearSnapshot(
                organisation_id=p.organisation_id,
                programme=p,
                taken_on=deadline,
                figures={
                    "coverage": {
                        "students": {"part": 40 + n, "whole": 200},
                        "teachers": {"part": 30, "whole": 80},
                    }
                },
            )
            for p in programmes
            for n, deadline in enumerate((previous_deadline(last), last))
            # One in ten organisations missed the last assessment.
            if n == 0 or p.organisation_id % 10
        ],
    )
    user = UserFactory(email="operator@bench.region")
    RegionalOperator.objects.create(user=user, region=Region.objects.get(code="99"))


def _database(reuse: bool) -> bool:
    """Make the bench database (dropped first unless `reuse`); True when it is new."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        if not reuse:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is not None:
            return False
        cursor.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_database() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _backend_cpu() -> float | None:
    """CPU seconds the database backend of this connection has used, when PostgreSQL runs on
    this machine (read from /proc); None otherwise."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _dashboard_cpu(client: Any, url: str, runs: int) -> str:
    """The dashboard's CPU seconds, of the application and of its database backend, the best
    of `runs` loads: what a loaded shared machine does not inflate as it does the wall time.
    Measured with parallel query off, so that the backend does all the database's work."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    best: tuple[float, float] | None = None
    try:
        for _ in range(runs):
            before_db, before_app = _backend_cpu(), time.process_time()
            client.get(url)
            app, after_db = time.process_time() - before_app, _backend_cpu()
            if before_db is None or after_db is None:
                return f"CPU {app:.3f} s in the application (the database's not readable here)"
            db = after_db - before_db
            if best is None or app + db < sum(best):
                best = (app, db)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
    assert best is not None
    app, db = best
    return f"CPU {app + db:.3f} s (application {app:.3f} s, database {db:.3f} s, serial plans)"


def _timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--mentees", type=int, default=200_000)
    parser.add_argument("--mentors", type=int, default=80_000)
    parser.add_argument("--runs", type=int, default=3, help="dashboard loads; the best counts")
    parser.add_argument("--quick", action="store_true", help="50 organisations, 2,000 mentees")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the generated database and use it next time"
    )
    parser.add_argument(
        "--no-matching", action="store_true", help="the dashboard and the report only"
    )
    # Given by the command itself to the process that measures the region it has just built.
    parser.add_argument("--built", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.organisations, args.mentees, args.mentors = 50, 2000, 800

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-region-"))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    name = connection.settings_dict["NAME"]
    # The database is dropped and made anew: never one that is not a benchmark's own.
    if connection.vendor != "postgresql" or "bench" not in name:
        print(f"needs a PostgreSQL database whose name contains «bench», not {name!r}")
        return 2
    size = f"{args.organisations}/{args.mentees}/{args.mentors}"
    fresh = _database(args.reuse or args.built)
    call_command("migrate", verbosity=0)
    from nastavnik.orgs.models import Region, RegionalOperator

    if not fresh and not Region.objects.filter(code="99", name=f"Тестовый регион {size}").exists():
        print(f"{name} holds another region: made anew")
        connection.close()
        _database(reuse=False)
        call_command("migrate", verbosity=0)
        fresh = True
    if fresh:
        built_s, made = _timed(lambda: build(args.organisations, args.mentees, args.mentors))
        Region.objects.filter(code="99").update(name=f"Тестовый регион {size}")
        year_s, _none = _timed(lambda: build_year(made))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"built in {built_s + year_s:.1f} s (the year's pairs and answers {year_s:.1f} s)")
        # The figures come from a new process, as with --reuse: the peak memory is the
        # process's, and building the region must not count in it.
        connection.close()
        sys.stdout.flush()
        shutil.rmtree(workdir, ignore_errors=True)
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:], "--built"])
    else:
        print(f"reused {name}: {size}")
    setup_test_environment(debug=False)
    try:
        from nastavnik.catalogue.models import MentoringForm
        from nastavnik.dashboards.models import RegionReport, ReportStatus
        from nastavnik.dashboards.tasks import report_build
        from nastavnik.matching.region import build_region_inputs, region_compute, region_write
        from nastavnik.orgs.models import Organisation

        organisations = list(Organisation.objects.filter(municipality__region__code="99"))
        form = MentoringForm.objects.get(code=FORM, organisation__isnull=True)
        today = date.today()
        figures: dict[str, float] = dict.fromkeys(("inputs_s", "run_s", "write_s", "total_s"), 0.0)
        # The operator's page as the browser asks for it: the view, its queries and template.
        operator = RegionalOperator.objects.get(region__code="99").user
        client = Client()
        client.force_login(operator)
        url = reverse("region:dashboard")
        times = []
        for _ in range(args.runs):
            seconds, response = _timed(lambda: client.get(url))
            assert response.status_code == 200, response.status_code
            times.append(seconds)
        figures["dashboard_s"] = min(times)
        print(f"dashboard: first {times[0]:.3f} s, best {min(times):.3f} s", flush=True)
        print(f"dashboard: {_dashboard_cpu(client, url, args.runs)}", flush=True)

        # The report as the worker builds it (figures, DOCX, XLSX), rolled back like the run.
        with transaction.atomic():
            report = RegionReport.objects.create(created_by=operator, language="ru")
            figures["report_s"], report = _timed(lambda: report_build(report))
            assert report.status == ReportStatus.DONE, report.error
            print(f"report: {report.docx.size} B DOCX, {report.xlsx.size} B XLSX")
            transaction.set_rollback(True)
        if args.no_matching:
            print("matching: not measured (--no-matching)")
        else:
            # The proposals are rolled back so the next run (--reuse) finds the same base.
            with transaction.atomic():
                figures["inputs_s"], inputs = _timed(
                    lambda: build_region_inputs(organisations, form, today)
                )
                figures["run_s"], result = _timed(lambda: region_compute(inputs))
                figures["write_s"], written = _timed(
                    lambda: region_write(inputs, result, weights={})
                )
                transaction.set_rollback(True)
            figures["total_s"] = figures["inputs_s"] + figures["run_s"] + figures["write_s"]
            print(
                f"matching: {len(inputs.mentees)} mentees, {len(inputs.mentors)} mentors "
                f"({inputs.shared} shared); proposals {written.proposals}, left alone "
                f"{written.unmatched}, runs {len(written.runs)}",
                flush=True,
            )
            del inputs, result, written

        figures["peak_mb"] = peak_mb()
        ok = (
            figures["total_s"] <= TARGET_SECONDS
            and not args.no_matching
            and figures["peak_mb"] <= TARGET_MB
            and figures["dashboard_s"] <= DASHBOARD_SECONDS
            and figures["report_s"] <= REPORT_SECONDS
        )
        print(
            f"goals: matching ≤ {TARGET_SECONDS:.0f} s, peak ≤ {TARGET_MB:.0f} MB, dashboard ≤ "
            f"{DASHBOARD_SECONDS:.0f} s, report ≤ {REPORT_SECONDS:.0f} s: "
            + ("met" if ok else "NOT met")
        )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.reuse:
            _drop_database()
    print(
        " ".join(f"{k}={v:.0f}" if k == "peak_mb" else f"{k}={v:.2f}" for k, v in figures.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
