"""Benchmark of the people import (issue 3): 10,000 students from XLSX and from CSV.

    make bench-import                                          # SQLite, a throwaway file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik make bench-import
    .venv/bin/python bench/import_people.py --rows 1000        # a quick smoke run

The files look like e-journal exports: two title lines above the header, one «ФИО» column,
classes written «7 А», a phone column; the XLSX has date cells, the CSV is Windows-1251 with
semicolons and dd.mm.yyyy dates. Each file is imported into a fresh organisation through the
services the pages use (upload, preview, confirm, commit: every row is read, judged by the
people validators and written in one transaction). Then the XLSX file is imported once more
into its organisation, and nothing may change.

The database is a throwaway one made by Django's test machinery (a file in a temporary
folder for SQLite, `test_…` on PostgreSQL), destroyed at the end.

Targets: under 10 s per file, under 500 MB peak (maximum resident set of this process).
The last line is a summary of name=value figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0
TARGET_PEAK_MB = 500.0


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def students(count: int, seed: int = 3) -> list[list[str | date]]:
    """`count` different students aged 7 to 17: (full name, birth date, class, phone)."""
    from nastavnik.demo.names import (
        CHILD_FEMALE_NAMES,
        CHILD_MALE_NAMES,
        MALE_NAMES,
        SURNAMES,
        patronymic,
        surname_for,
    )

    rng = random.Random(seed)
    fathers = sorted(MALE_NAMES)
    today = date.today()
    seen: set[tuple[str, date]] = set()
    rows: list[list[str | date]] = []
    while len(rows) < count:
        gender = rng.choice("mf")
        first = rng.choice(CHILD_MALE_NAMES if gender == "m" else CHILD_FEMALE_NAMES)
        name = " ".join(
            (
                surname_for(rng.choice(SURNAMES), gender),
                first,
                patronymic(rng.choice(fathers), gender),
            )
        )
        age = rng.randint(7, 17)
        born = today - timedelta(days=365 * age + rng.randint(10, 350))
        if (name, born) in seen:
            continue
        seen.add((name, born))
        grade = min(11, max(1, age - 6))
        phone = f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
        rows.append([name, born, f"{grade} {rng.choice('АБВГ')}", phone])
    return rows


TITLE = [["МАОУ «Средняя школа № 1»"], ["Список обучающихся на 1 сентября"]]
HEADER = ["№", "ФИО", "Дата рождения", "Класс", "Телефон"]


def write_xlsx(rows: list[list[str | date]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Обучающиеся")
    for line in [*TITLE, HEADER]:
        sheet.append(line)
    for number, (name, born, class_name, phone) in enumerate(rows, 1):
        cell = WriteOnlyCell(sheet, value=born)
        cell.number_format = "DD.MM.YYYY"
        sheet.append([number, name, cell, class_name, phone])
    workbook.save(path)


def write_csv(rows: list[list[str | date]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([*TITLE, HEADER])
    for number, (name, born, class_name, phone) in enumerate(rows, 1):
        assert isinstance(born, date)
        writer.writerow([number, name, born.strftime("%d.%m.%Y"), class_name, phone])
    path.write_bytes(buffer.getvalue().encode("cp1251"))


def import_file(path: Path, organisation, user) -> tuple[float, dict]:
    """Upload → preview → confirm → commit, as the pages do; the seconds and the result."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nastavnik.people.models import ImportStatus
    from nastavnik.people.transfer.services import (
        import_job_confirm,
        import_job_set_mapping,
        people_import_commit,
        people_import_preview,
        people_import_upload,
    )

    steps: dict[str, float] = {}
    started = clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = now - clock
        clock = now

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = people_import_upload(organisation, "student", upload, user)
    step("upload")
    mapping = {int(i): c for i, c in job.mapping.items()}
    job = import_job_set_mapping(job, job.header_row, mapping, user)
    job = people_import_preview(job)
    step("preview")
    job = import_job_confirm(job, skip_invalid=False, by=user)
    job = people_import_commit(job)
    step("commit")
    seconds = time.perf_counter() - started
    print("  " + ", ".join(f"{name} {value:.2f} s" for name, value in steps.items()))
    if job.status != ImportStatus.DONE:
        raise SystemExit(f"{path.name}: the import ended as {job.status}: {job.result}")
    return seconds, job.result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    # Uploaded files go to the temporary folder, not the project's media.
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    engine = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["NAME"] = (
        str(workdir / "bench.sqlite3") if connection.vendor == "sqlite" else "test_bench_import"
    )
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from nastavnik.orgs.models import Organisation
        from nastavnik.orgs.tests.factories import OrganisationFactory, UserFactory
        from nastavnik.people.models import Person

        rows = students(args.rows)
        xlsx_path, csv_path = workdir / "обучающиеся.xlsx", workdir / "обучающиеся.csv"
        write_xlsx(rows, xlsx_path)
        write_csv(rows, csv_path)
        print(
            f"{args.rows} students; xlsx {xlsx_path.stat().st_size / 2**20:.1f} MB, "
            f"csv {csv_path.stat().st_size / 2**20:.1f} MB; database: {engine}"
        )
        user = UserFactory(email="curator@bench.ru")
        figures: dict[str, float] = {}
        for label, path in (("xlsx", xlsx_path), ("csv", csv_path)):
            organisation = OrganisationFactory(slug=f"bench-{label}")
            seconds, result = import_file(path, organisation, user)
            created = Person.objects.filter(organisation=organisation).count()
            print(
                f"{label}: {seconds:.2f} s, {result['create']} created, {result['invalid']} "
                f"with errors, {created} in the registry"
            )
            if result["create"] != args.rows or created != args.rows:
                raise SystemExit(f"{label}: expected {args.rows} students")
            figures[f"{label}_s"] = seconds
        # The same file again: everything matched, nothing written.
        seconds, result = import_file(xlsx_path, Organisation.objects.get(slug="bench-xlsx"), user)
        print(
            f"xlsx again: {seconds:.2f} s, {result['create']} created, {result['update']} "
            f"updated, {result['unchanged']} unchanged"
        )
        if result["create"] or result["update"]:
            raise SystemExit("re-importing the same file changed the registry")
        figures["reimport_s"] = seconds
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)

    peak = peak_mb()
    slow = [k for k in ("xlsx_s", "csv_s") if figures[k] >= TARGET_SECONDS]
    verdict = "ok" if not slow and peak < TARGET_PEAK_MB else "over_target"
    print(
        f"xlsx_s={figures['xlsx_s']:.2f} csv_s={figures['csv_s']:.2f} "
        f"reimport_s={figures['reimport_s']:.2f} peak_mb={peak:.0f} rows={args.rows} "
        f"db={engine} result={verdict}"
    )
    return 0 if verdict == "ok" else 1


def organisation_for(slug: str):
    from nastavnik.orgs.models import Organisation

    return Organisation.objects.get(slug=slug)


if __name__ == "__main__":
    sys.exit(main())
