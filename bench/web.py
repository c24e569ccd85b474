"""Web load benchmark (issue 15): a large organisation served by gunicorn in production settings.

    make bench-web                                   # 100 users for 90 s on PostgreSQL
    .venv/bin/python bench/web.py --reuse --users 200
    .venv/bin/python bench/web.py --reuse --think 1 3   # the stress run: a click every 2 s
    .venv/bin/python bench/web.py --quick            # 10 users, 10 s, a small school
    .venv/bin/python bench/web.py --smoke            # CI: start, log in, fetch a page and CSS

The database (BENCH_WEB_DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/nastavnik_bench_web; its name must contain «bench») is
dropped and made anew (`--reuse` serves what the previous run left): migrate, the demo
(`seed_demo`), and then the demo school «СШ № 5» grown by generated people: `--students`
pupils (3,000), `--pairs` pairs (300) of the running programme with their mentors and mentees,
and a year of meetings for every pair (one a fortnight, held up to today, planned after).
Static files are collected into a temporary folder and served by whitenoise, as in production.

gunicorn runs with deploy/gunicorn.conf.py on 127.0.0.1:`--port`, DEBUG off, persistent
database connections. Locust (headless, bench/web_locustfile.py) drives `--users` concurrent
users with a think time of 5–15 s between pages (`--think MIN MAX`): curators (dashboard, people
search, mentee and mentor bases, roadmap, indicators, monitoring, the matching page and a run),
mentors (cabinet, plan, meetings calendar), mentees and parents (their cabinets). Logins are
made once per user as it starts and are not counted in the figures; every other request is. A
request whose answer is not 200 is an error.

The think time is what a person spends reading a page before the next click: 10 s on average
here, as TPC-W's web benchmark (7 s) and the readers of a list, a plan or a cabinet need.
`--think 1 3` is a stress run, not a school's day: its 100 users ask as many pages (about 46 a
second) as about 450 users reading them.

The last line: users=… rps=… p50_ms=… p95_ms=… p99_ms=… errors=…
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta
from datetime import time as dtime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.people import generated_person  # noqa: E402

PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nastavnik_bench_web"
# Seconds a user reads a page before the next click (see the docstring); --quick's ten users
# click more often, to give figures in ten seconds.
THINK = (5.0, 15.0)
QUICK_THINK = (1.0, 3.0)
DEMO_PASSWORD = "demo12345"
DEMO_SLUG = "school-5"


# --- serving ------------------------------------------------------------------------------


def production_env(database_url: str, static_root: Path, media_root: Path) -> dict[str, str]:
    """Production settings on loopback HTTP: DEBUG off, no HTTPS redirect, cookies allowed
    over HTTP (nothing else differs from a real deployment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="nastavnik.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, log: Path, **overrides: str) -> Any:
    server_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}")
    server_env.update(overrides)
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def stop(process: Any) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- the CI smoke check -------------------------------------------------------------------


class Browser:
    """urllib with cookies, enough to log in through the real login form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=30) as answer:
            return answer.status, answer.geturl(), answer.read().decode()

    def login(self, email: str, password: str) -> str:
        _status, _url, page = self.get("/accounts/login/")
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": email, "password": password}
        ).encode()
        with self.opener.open(self.base + "/accounts/login/", data=data, timeout=30) as answer:
            return answer.geturl()


def smoke(port: int, database_url: str | None) -> int:
    """Serve under gunicorn in production settings and fetch the login page, a page behind
    the login and a static file. With a database of the demo (CI copies the one its demo check
    loaded) the demo curator opens the dashboard; without, a SQLite file is migrated and an
    administrator opens /admin/."""
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-smoke-"))
    started = time.monotonic()
    env = production_env(
        database_url or f"sqlite:///{workdir / 'site.sqlite3'}",
        workdir / "static",
        workdir / "media",
    )
    process = None
    try:
        if database_url:
            email, password, page_path = "curator@school5.demo", DEMO_PASSWORD, "/"
        else:
            manage(env, "migrate", "--noinput", "-v", "0")
            email, password, page_path = (
                "admin@smoke.example.ru",
                secrets.token_urlsafe(16),
                "/admin/",
            )
            manage(
                dict(env, DJANGO_SUPERUSER_PASSWORD=password),
                "createsuperuser",
                "--noinput",
                "--email",
                email,
            )
        manage(env, "collectstatic", "--noinput", "-v", "0")
        process = start_gunicorn(env, port, workdir / "gunicorn.log", GUNICORN_WORKERS="2")
        browser = Browser(f"http://127.0.0.1:{port}")
        status, _url, page = browser.get("/accounts/login/")
        assert status == 200 and 'name="password"' in page, "the login page"
        landed = browser.login(email, password)
        assert "/accounts/login/" not in landed, f"the login did not pass: {landed}"
        status, landed, page = browser.get(page_path)
        assert status == 200 and "/accounts/login/" not in landed, "a page behind the login"
        assert 'href="/accounts/logout/"' in page or "logout" in page, "a logged-in page"
        stylesheet = page.split('href="/static/', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(f"{browser.base}/static/{stylesheet}", timeout=10) as css:
            assert css.status == 200, "a static file"
            assert "max-age" in css.headers.get("Cache-Control", ""), "whitenoise's caching"
        print(f"fetched /accounts/login/, {landed} and /static/{stylesheet}")
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"gunicorn smoke check passed in {time.monotonic() - started:.1f} s")
    return 0


# --- the data -----------------------------------------------------------------------------


def recreate_database(database_url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(database_url)
    name = parsed.path.lstrip("/")
    maintenance = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def grow(students: int, pairs: int) -> dict[str, int]:
    """Add generated pupils, staff, pairs of the running programme and a year of meetings to
    the demo school (bulk_create: minutes for the demo's own code paths would be hours)."""
    from django.utils import timezone

    from nastavnik.catalogue.models import MentoringForm
    from nastavnik.catalogue.profile import MentorCategory
    from nastavnik.meetings.models import Meeting, MeetingFormat, MeetingKind, MeetingStatus
    from nastavnik.mentees.models import Mentee, MenteeStatus
    from nastavnik.mentors.models import Mentor, MentorStatus
    from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
    from nastavnik.orgs.models import AcademicYear, Organisation
    from nastavnik.people.models import Person, PersonKind
    from nastavnik.people.validators import org_today
    from nastavnik.programmes.models import Programme

    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    today = org_today(organisation)
    programme = Programme.objects.get(
        organisation=organisation, academic_year=AcademicYear.containing(today)
    )
    lasts = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов"]
    firsts = ["Алексей", "Дмитрий", "Максим", "Артём", "Иван", "Кирилл", "Никита"]

    def person(kind: str, number: int) -> Person:
        name = (lasts[number % 7] + f"-{number}", firsts[number % 7], "Петрович")
        return generated_person(organisation, kind, number, name, "Б")

    pupils = Person.objects.bulk_create(
        [person(PersonKind.STUDENT, n) for n in range(students)], batch_size=1000
    )
    staff = Person.objects.bulk_create(
        [person(PersonKind.STAFF, students + n) for n in range(max(pairs // 2, 1))]
    )
    form = MentoringForm.objects.get(organisation__isnull=True, code="teacher-student")
    mentors = Mentor.objects.bulk_create(
        Mentor(
            organisation=organisation,
            programme=programme,
            person=staff[n % len(staff)] if n < len(staff) else pupils[-1 - n],
            category=MentorCategory.STAFF if n < len(staff) else MentorCategory.STUDENT,
            status=MentorStatus.REGISTERED,
        )
        for n in range(pairs)
    )
    mentees = Mentee.objects.bulk_create(
        Mentee(
            organisation=organisation,
            programme=programme,
            person=pupils[n],
            form=form,
            status=MenteeStatus.PAIRED,
        )
        for n in range(pairs)
    )
    start = programme.academic_year.starts_on + timedelta(days=14)
    mentorships = Mentorship.objects.bulk_create(
        Mentorship(
            organisation=organisation,
            programme=programme,
            form=form,
            mentor=mentor,
            started_on=start,
            planned_end=programme.academic_year.starts_on + timedelta(days=360),
            status=MentorshipStatus.ACTIVE,
        )
        for mentor in mentors
    )
    MentorshipMentee.objects.bulk_create(
        MentorshipMentee(organisation=organisation, mentorship=pair, mentee=mentee, active=True)
        for pair, mentee in zip(mentorships, mentees, strict=True)
    )
    zone = timezone.get_current_timezone()
    meetings = []
    for number, pair in enumerate(mentorships):
        for week in range(0, 50, 2):
            day = start + timedelta(days=7 * week + number % 5)
            held = day < today
            meetings.append(
                Meeting(
                    organisation=organisation,
                    mentorship=pair,
                    mentor_id=pair.mentor_id,
                    kind=MeetingKind.FIRST if week == 0 else MeetingKind.REGULAR,
                    starts_at=datetime.combine(day, dtime(15, 0), tzinfo=zone),
                    format=MeetingFormat.IN_PERSON,
                    place="каб. 21",
                    status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                    notes="Разобрали задачи недели." if held else "",
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    return {
        "students": len(pupils),
        "pairs": len(mentorships),
        "meetings": len(meetings),
        "programme": programme.pk,
    }


def plan_of_pages(programme_pk: int) -> dict[str, Any]:
    """The URLs each kind of user visits, found in the built data."""
    from django.urls import reverse

    from nastavnik.matching.models import MatchingRun
    from nastavnik.mentorships.models import Mentorship
    from nastavnik.orgs.models import Organisation

    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    org = {"org_slug": DEMO_SLUG}
    year = {**org, "programme_pk": programme_pk}
    run = MatchingRun.objects.filter(organisation=organisation).order_by("-pk").first()
    curator = [
        reverse("orgs:dashboard", kwargs=org),
        reverse("people:list", kwargs=org) + "?q=" + urllib.parse.quote("Иванов"),
        reverse("people:list", kwargs=org) + "?q=" + urllib.parse.quote("Смирнов-1"),
        reverse("mentees:programme", kwargs=year),
        reverse("mentors:list", kwargs=org),
        reverse("programmes:roadmap", kwargs=year),
        reverse("indicators:programme", kwargs=year),
        reverse("monitoring:quality", kwargs=year),
        reverse("monitoring:impact", kwargs=year),
        reverse("matching:index", kwargs=org),
    ]
    if run is not None:
        curator.append(reverse("matching:run", kwargs={**org, "matching_run_pk": run.pk}))

    def mentor_pages(email: str) -> list[str]:
        pages = [
            reverse("orgs:dashboard", kwargs=org),
            reverse("cabinets:mentor", kwargs=org),
            reverse("meetings:calendar", kwargs=org),
        ]
        pair = (
            Mentorship.objects.filter(organisation=organisation, mentor__person__user__email=email)
            .order_by("-started_on")
            .first()
        )
        if pair is not None:
            pages.append(reverse("plans:plan", kwargs={**org, "mentorship_pk": pair.pk}))
        return pages

    return {
        "password": DEMO_PASSWORD,
        "roles": {
            "curator": [
                {"email": email, "pages": curator}
                for email in ("curator@school5.demo", "director@school5.demo")
            ],
            "mentor": [
                {"email": email, "pages": mentor_pages(email)}
                for email in ("mentor@school5.demo", "teacher@school5.demo")
            ],
            "mentee": [
                {"email": "mentee@school5.demo", "pages": [reverse("cabinets:mentee", kwargs=org)]}
            ],
            "parent": [
                {
                    "email": "parent@school5.demo",
                    "pages": [reverse("cabinets:guardian", kwargs=org)],
                }
            ],
        },
    }


def build(
    env: dict[str, str], database_url: str, students: int, pairs: int, reuse: bool
) -> dict[str, Any]:
    """Make the database anew (or, with `reuse`, take the one a previous run left) and
    collect the static files; returns the plan of pages."""
    started = time.monotonic()
    if not reuse:
        if database_url.startswith("postgres"):
            recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE"))})
    import django

    django.setup()
    from django.db import connection

    from nastavnik.orgs.models import AcademicYear
    from nastavnik.programmes.models import Programme

    if reuse:
        programme = Programme.objects.get(
            organisation__slug=DEMO_SLUG, academic_year=AcademicYear.containing(date.today())
        )
        print(f"reused the database in {time.monotonic() - started:.0f} s")
        plan = plan_of_pages(programme.pk)
        connection.close()
        return plan
    made = grow(students, pairs)
    plan = plan_of_pages(made["programme"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()
    print(
        f"built in {time.monotonic() - started:.0f} s: the demo and {made['students']} more "
        f"pupils, {made['pairs']} pairs, {made['meetings']} meetings; db={connection.vendor}"
    )
    return plan


# --- the load -----------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def drive(
    base: str,
    plan_file: Path,
    users: int,
    seconds: int,
    workdir: Path,
    think: tuple[float, float],
) -> dict[str, Any]:
    samples = workdir / "samples.json"
    env = dict(
        os.environ,
        BENCH_WEB_PLAN=str(plan_file),
        BENCH_WEB_SAMPLES=str(samples),
        BENCH_WEB_SECONDS=str(seconds),
        BENCH_WEB_THINK=f"{think[0]},{think[1]}",
    )
    # Ramp up at 10 users a second: the logins' password hashing is not what is measured.
    command = [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "web_locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(min(users, 10)),
        "--run-time",
        # A bound only: the locustfile stops the run `seconds` after the last login.
        f"{seconds + 120 + users}s",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    return json.loads(samples.read_text())


def summarise(users: int, result: dict[str, Any]) -> str:
    times = sorted(s[1] for s in result["samples"])
    errors = sum(1 for s in result["samples"] if s[2])
    by_page: dict[str, list[float]] = {}
    for name, ms, _error in result["samples"]:
        by_page.setdefault(name, []).append(ms)
    print(f"{'page':<44} {'n':>6} {'p50':>7} {'p95':>7}")
    for name, values in sorted(by_page.items()):
        values.sort()
        print(
            f"{name[:44]:<44} {len(values):>6} {percentile(values, 0.5):>7.0f} "
            f"{percentile(values, 0.95):>7.0f}"
        )
    for error in result["errors"][:10]:
        print("error:", error)
    rps = len(times) / max(result["seconds"], 0.001)
    return (
        f"users={users} rps={rps:.1f} p50_ms={percentile(times, 0.5):.0f} "
        f"p95_ms={percentile(times, 0.95):.0f} p99_ms={percentile(times, 0.99):.0f} "
        f"errors={errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    # Long enough for a few hundred samples of the rarer pages at 10 pages a second.
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--quick", action="store_true", help="10 users, 10 s, a small school")
    parser.add_argument(
        "--reuse", action="store_true", help="serve the database a previous run built, as it is"
    )
    parser.add_argument("--smoke", action="store_true", help="the CI check of gunicorn")
    parser.add_argument("--database-url", help="--smoke: a database with the demo loaded")
    parser.add_argument("--workers", help="gunicorn workers (deploy/gunicorn.conf.py's default)")
    parser.add_argument("--threads", help="gunicorn threads per worker")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=None,
        metavar=("MIN", "MAX"),
        help="seconds a user reads a page before the next (5 15; --quick: 1 3)",
    )
    args = parser.parse_args()
    if args.smoke:
        return smoke(args.port, args.database_url)
    if args.quick:
        args.users, args.seconds, args.students, args.pairs = 10, 10, 300, 30
    think = args.think or (QUICK_THINK if args.quick else THINK)
    # Not DATABASE_URL: a development database set there must never be dropped by a benchmark.
    database_url = os.environ.get("BENCH_WEB_DATABASE_URL", DEFAULT_DATABASE_URL)
    if "bench" not in urllib.parse.urlparse(database_url).path:
        parser.error(
            f"the benchmark drops its database; name one with «bench» in it: {database_url}"
        )
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-web-"))
    env = production_env(database_url, workdir / "static", workdir / "media")
    process = None
    try:
        plan = build(env, database_url, args.students, args.pairs, args.reuse)
        plan_file = workdir / "plan.json"
        plan_file.write_text(json.dumps(plan))
        overrides = {}
        if args.workers:
            overrides["GUNICORN_WORKERS"] = args.workers
        if args.threads:
            overrides["GUNICORN_THREADS"] = args.threads
        # The access log of every request would cost the server as much as a small page.
        overrides["GUNICORN_ACCESS_LOG"] = ""
        process = start_gunicorn(env, args.port, workdir / "gunicorn.log", **overrides)
        result = drive(
            f"http://127.0.0.1:{args.port}",
            plan_file,
            args.users,
            args.seconds,
            workdir,
            tuple(think),
        )
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    print(summarise(args.users, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
