"""Benchmark of the indicators of a programme year and the monitoring behind them (issue 8).

    make bench-indicators                                               # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_bench_ind make bench-indicators
    .venv/bin/python bench/indicators.py --students 300 --pairs 30      # a quick smoke run

One organisation the size of a large school: 3,000 students and 200 staff, 300 pairs and
groups of the running year (mentors half teachers, half senior students; active, completed,
completed early and terminated), 40 roadmap events, and about 10,000 answers: every mentor and
mentee rates the nine 1–10 items of the satisfaction questionnaire (5,400 answers) and every
mentee has entry and exit measures of eight parameters (4,800). Rows go in with bulk_create.

Measured, best of `--runs` (the pages call them once per request, so the first, cold run is
reported too): `indicators_for` (coverage, pairs by form, completion, mean satisfaction,
overdue events, missing consents), the monitoring's `impact_results` (stage 2, with its paired
tests) and `quality_results` (stage 1, grouped by form, role model and pair), and drawing the
three charts of the page. Queries are counted once each (CaptureQueriesContext).

The database is a throwaway one made by Django's test machinery (a file in a temporary folder
for SQLite, `test_…` on PostgreSQL, whose own database is created first if missing), destroyed
at the end. Target: under 1 s for the three together, with a number of queries that does not
grow with the data. The last line is a summary of name=value figures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import ensure_postgres_database  # noqa: E402
from bench.people import generated_person  # noqa: E402

TARGET_SECONDS = 1.0
PARAMETERS = 8


def build(students: int, pairs: int, seed: int = 8) -> tuple[Any, dict[str, int]]:
    """The school, its year and its answers; returns the programme and what was made."""
    from nastavnik.assessments.models import Measure, MeasureSource, Parameter, Phase
    from nastavnik.catalogue.models import MentoringForm
    from nastavnik.catalogue.profile import MentorCategory
    from nastavnik.mentees.models import Mentee, MenteeStatus
    from nastavnik.mentors.models import Mentor, MentorStatus
    from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
    from nastavnik.orgs.models import AcademicYear
    from nastavnik.orgs.tests.factories import OrganisationFactory
    from nastavnik.people.models import Person, PersonKind
    from nastavnik.people.validators import org_today
    from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent
    from nastavnik.questionnaires.models import (
        Answer,
        Campaign,
        Channel,
        Invitation,
        Question,
        Questionnaire,
        QuestionType,
        Response,
    )

    rng = random.Random(seed)
    organisation = OrganisationFactory(slug="bench-indicators")
    today = org_today(organisation)
    year = AcademicYear.containing(today)
    programme = Programme.objects.create(
        organisation=organisation, academic_year=year, status=ProgrammeStatus.APPROVED
    )

    def person(kind: str, number: int) -> Person:
        name = (f"Фамилия{number}", f"Имя{number}", "Иванович")
        return generated_person(organisation, kind, number, name, "А")

    pupils = Person.objects.bulk_create(
        [person(PersonKind.STUDENT, n) for n in range(students)], batch_size=1000
    )
    teachers = Person.objects.bulk_create(
        [person(PersonKind.STAFF, students + n) for n in range(200)], batch_size=1000
    )
    student_form = MentoringForm.objects.get(organisation__isnull=True, code="student-student")
    teacher_form = MentoringForm.objects.get(organisation__isnull=True, code="teacher-student")
    role_models = {
        form.pk: list(form.role_models.filter(organisation__isnull=True).order_by("pk")[:2])
        for form in (student_form, teacher_form)
    }
    mentor_people = teachers[: pairs // 2] + pupils[-(pairs - pairs // 2) :]
    mentors = Mentor.objects.bulk_create(
        [
            Mentor(
                organisation=organisation,
                programme=programme,
                person=p,
                category=MentorCategory.STAFF
                if p.kind == PersonKind.STAFF
                else MentorCategory.STUDENT,
                status=MentorStatus.REGISTERED,
            )
            for p in mentor_people
        ]
    )
    mentee_people = pupils[:pairs]
    mentees = Mentee.objects.bulk_create(
        [
            Mentee(
                organisation=organisation,
                programme=programme,
                person=p,
                form=teacher_form if number < pairs // 2 else student_form,
                status=MenteeStatus.PAIRED,
            )
            for number, p in enumerate(mentee_people)
        ]
    )
    start = max(year.starts_on + timedelta(days=30), today - timedelta(days=200))
    statuses = (
        [MentorshipStatus.ACTIVE] * 20
        + [MentorshipStatus.COMPLETED] * 7
        + [MentorshipStatus.COMPLETED_EARLY] * 2
        + [MentorshipStatus.TERMINATED]
    )
    made = []
    for number, mentor in enumerate(mentors):
        form = teacher_form if number < pairs // 2 else student_form
        status = statuses[number % len(statuses)]
        models_of_form = role_models[form.pk]
        made.append(
            Mentorship(
                organisation=organisation,
                programme=programme,
                form=form,
                role_model=models_of_form[number % len(models_of_form)] if models_of_form else None,
                mentor=mentor,
                started_on=start,
                planned_end=start + timedelta(days=200),
                ended_on=None if status == MentorshipStatus.ACTIVE else start + timedelta(days=150),
                status=status,
            )
        )
    mentorships = Mentorship.objects.bulk_create(made)
    MentorshipMentee.objects.bulk_create(
        MentorshipMentee(
            organisation=organisation,
            mentorship=mentorship,
            mentee=mentee,
            active=mentorship.status == MentorshipStatus.ACTIVE,
        )
        for mentorship, mentee in zip(mentorships, mentees, strict=True)
    )
    RoadmapEvent.objects.bulk_create(
        RoadmapEvent(
            organisation=organisation,
            programme=programme,
            stage=1 + n % 7,
            title=f"Мероприятие {n}",
            due_on=year.starts_on + timedelta(days=9 * n),
            done_on=year.starts_on + timedelta(days=9 * n) if n % 3 else None,
        )
        for n in range(40)
    )

    # Satisfaction: every mentor and mentee rates the nine 1-10 items.
    answers = 0
    for code, respondents in (
        ("mentee-satisfaction", mentee_people),
        ("mentor-satisfaction", mentor_people),
    ):
        questionnaire = Questionnaire.objects.get(organisation__isnull=True, code=code)
        campaign = Campaign.objects.create(
            organisation=organisation,
            programme=programme,
            questionnaire=questionnaire,
            title=questionnaire.title,
            audience="bench",
            deadline=today,
        )
        scales = list(Question.objects.filter(questionnaire=questionnaire, type=QuestionType.SCALE))
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organisation=organisation,
                campaign=campaign,
                person=p,
                token_hash=f"{code}-{p.pk:010d}".ljust(64, "0"),
                answered=True,
            )
            for p in respondents
        )
        responses = Response.objects.bulk_create(
            Response(
                organisation=organisation,
                campaign=campaign,
                invitation=invitation,
                person=invitation.person,
                channel=Channel.LINK,
                submitted_on=today,
            )
            for invitation in invitations
        )
        rows = []
        for response in responses:
            for question in scales:
                value = rng.randint(4, 10)
                rows.append(
                    Answer(
                        organisation=organisation,
                        response=response,
                        question=question,
                        value=value,
                        number=Decimal(value),
                    )
                )
        Answer.objects.bulk_create(rows, batch_size=2000)
        answers += len(rows)

    # Entry and exit measures of eight parameters for every mentee.
    parameters = list(Parameter.objects.filter(organisation__isnull=True).order_by("order", "pk"))
    measures = []
    for p in mentee_people:
        for parameter in parameters[:PARAMETERS]:
            low, high = int(parameter.scale_min), int(parameter.scale_max)
            entry = rng.randint(low, (low + high) // 2 + 1)
            for phase, value, day in (
                (Phase.ENTRY, entry, year.starts_on + timedelta(days=20)),
                (Phase.EXIT, min(high, entry + rng.randint(-1, 3)), today),
            ):
                measures.append(
                    Measure(
                        organisation=organisation,
                        programme=programme,
                        person=p,
                        parameter=parameter,
                        phase=phase,
                        value=Decimal(value),
                        measured_on=day,
                        source=MeasureSource.MANUAL,
                    )
                )
    Measure.objects.bulk_create(measures, batch_size=2000)
    programme = Programme.objects.select_related("organisation", "academic_year").get(
        pk=programme.pk
    )
    return programme, {
        "students": len(pupils),
        "staff": len(teachers),
        "pairs": len(mentorships),
        "answers": answers,
        "measures": len(measures),
    }


def measure(name: str, call: Callable[[], Any], runs: int) -> tuple[float, float, int, Any]:
    """(cold seconds, best seconds, queries of one run, the result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = call()
        cold = time.perf_counter() - started
    best = cold
    for _ in range(runs - 1):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    print(f"{name}: cold {cold:.3f} s, best {best:.3f} s, {len(captured)} queries")
    return cold, best, len(captured), result


def _profile(programme: Any) -> None:
    import cProfile
    import pstats

    from nastavnik.indicators.compute import indicators_for
    from nastavnik.monitoring.impact import impact_results
    from nastavnik.monitoring.quality import quality_results

    for name, call in (
        ("indicators_for", indicators_for),
        ("impact_results", impact_results),
        ("quality_results", quality_results),
    ):
        profiler = cProfile.Profile()
        profiler.runcall(call, programme)
        print(f"--- {name}")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--profile", action="store_true", help="print where each of the three spends its time"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-indicators-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    ensure_postgres_database()
    engine = connection.vendor
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(workdir / "bench.sqlite3")
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from nastavnik.indicators.compute import indicators_for
        from nastavnik.indicators.year import year_data
        from nastavnik.monitoring.impact import impact_results
        from nastavnik.monitoring.quality import quality_results

        started = time.perf_counter()
        programme, made = build(args.students, args.pairs)
        print(
            f"built in {time.perf_counter() - started:.1f} s: {made['students']} students, "
            f"{made['staff']} staff, {made['pairs']} pairs, {made['answers']} answers, "
            f"{made['measures']} measures; database: {engine}"
        )
        figures: dict[str, float] = {}
        queries = 0
        for name, call in (
            ("indicators", lambda: indicators_for(programme)),
            ("impact", lambda: impact_results(programme)),
            ("quality", lambda: quality_results(programme)),
        ):
            _cold, best, count, _result = measure(name, call, args.runs)
            figures[f"{name}_s"] = best
            queries += count
        found = indicators_for(programme)
        print(
            f"students {found.coverage.students.percent} %, teachers "
            f"{found.coverage.teachers.percent} %, completed {found.completion.percent} %, "
            f"satisfaction {found.mean_satisfaction}, overdue {found.overdue_events}, "
            f"without consents {found.consents_missing}"
        )
        if args.profile:
            _profile(programme)
        data = year_data(programme)
        # A web worker imports matplotlib as it starts (nastavnik/wsgi.py), so a page's first
        # chart does not pay for the import: neither does the figure.
        import matplotlib.figure  # noqa: F401

        # Drawn once for their data and cached: the first drawing is the cost.
        figures["charts_s"], _best, _count, _svg = measure(
            "charts", lambda: [chart.svg() for chart in data.charts().values()], 1
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)

    total = figures["indicators_s"] + figures["impact_s"] + figures["quality_s"]
    verdict = "ok" if total < TARGET_SECONDS else "over_target"
    print(
        f"indicators_s={figures['indicators_s']:.3f} impact_s={figures['impact_s']:.3f} "
        f"quality_s={figures['quality_s']:.3f} total_s={total:.3f} queries={queries} "
        f"charts_s={figures['charts_s']:.3f} db={engine} result={verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
