"""One people import in a fresh process, for the memory test: prints its peak as JSON.

    .venv/bin/python -m nastavnik.people.tests.memory_probe --rows 50000 [--commit]

The file is a list of students as an e-journal exports it, every row with one stray cell in
column XFD (the last column Excel has), written as XML by hand in a second or two. The import
runs as the pages run it (upload, columns, preview, and the commit with --commit) against a
throwaway SQLite database, with uploaded files on disk as in production. The last line is
JSON: the peak resident set of this process (VmHWM), before and after the import, and the
seconds of each step.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
]
FIRST_NAMES = [
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Виктор",
    "Владимир",
    "Глеб",
    "Григорий",
    "Даниил",
    "Денис",
    "Дмитрий",
    "Егор",
    "Иван",
    "Илья",
    "Кирилл",
    "Константин",
    "Лев",
    "Максим",
    "Марк",
    "Матвей",
    "Михаил",
    "Никита",
    "Николай",
    "Олег",
    "Павел",
    "Роман",
    "Сергей",
    "Степан",
    "Тимофей",
    "Фёдор",
    "Юрий",
    "Ярослав",
]
PATRONYMICS = [
    "Александрович",
    "Алексеевич",
    "Андреевич",
    "Борисович",
    "Викторович",
    "Владимирович",
    "Дмитриевич",
    "Евгеньевич",
    "Иванович",
    "Игоревич",
    "Максимович",
    "Михайлович",
    "Николаевич",
    "Олегович",
    "Павлович",
    "Петрович",
    "Романович",
    "Сергеевич",
    "Юрьевич",
    "Ярославович",
]
EXCEL_EPOCH = date(1899, 12, 30)


def peak_mb() -> float:
    """The peak resident set of this process, in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a probe started by a
    test session of 500 MB would report 500 MB whatever it did; VmHWM starts afresh at exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # Elsewhere the rusage peak (kilobytes on Linux, bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def text_cell(reference: str, value: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_rows(count: int, today: date) -> list[str]:
    """`count` different students of 8 to 16, each row with a stray «.» in column XFD."""
    # 21,000 names, then the same again born in other years: other people all the same.
    names = itertools.cycle(itertools.product(SURNAMES, FIRST_NAMES, PATRONYMICS))
    rows = [
        '<row r="1">'
        + text_cell("A1", "ФИО")
        + text_cell("B1", "Дата рождения")
        + text_cell("C1", "Класс")
        + "</row>"
    ]
    for number, (surname, first, patronymic) in zip(range(2, count + 2), names, strict=False):
        age = 8 + number % 9
        born = today - timedelta(days=365 * age + 40 + number % 200)
        serial = (born - EXCEL_EPOCH).days
        rows.append(
            f'<row r="{number}">'
            + text_cell(f"A{number}", f"{surname} {first} {patronymic}")
            + f'<c r="B{number}" s="1"><v>{serial}</v></c>'
            + text_cell(f"C{number}", f"{age - 6} {'АБВГ'[number % 4]}")
            + text_cell(f"XFD{number}", ".")
            + "</row>"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--commit", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-memory-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "nastavnik.settings_test"
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = str(workdir / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    # Tables made from the models, not by running every migration: seconds, not a minute.
    settings.DATABASES["default"]["TEST"] = {
        **settings.DATABASES["default"].get("TEST", {}),
        "NAME": str(workdir / "memory.sqlite3"),
        "MIGRATE": False,
    }
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from nastavnik.orgs.tests.factories import OrganisationFactory, UserFactory
        from nastavnik.people.tests.importing import xlsx_from_xml
        from nastavnik.people.transfer.services import (
            import_job_confirm,
            import_job_header,
            import_job_set_mapping,
            people_import_commit,
            people_import_preview,
            people_import_upload,
        )
        from nastavnik.people.validators import org_today

        organisation = OrganisationFactory(slug="memory")
        user = UserFactory(email="curator@memory.ru")
        data = xlsx_from_xml(sheet_rows(args.rows, org_today(organisation)))
        baseline = peak_mb()
        figures: dict[str, float | int | str] = {"file_mb": round(len(data) / 2**20, 2)}
        clock = time.perf_counter()

        def step(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            figures[f"{name}_s"] = round(now - clock, 2)
            clock = now

        job = people_import_upload(
            organisation, "student", SimpleUploadedFile("x.xlsx", data), user
        )
        del data
        step("upload")
        figures["upload_peak_mb"] = round(peak_mb())
        _header, columns = import_job_header(job)
        figures["columns"] = len(columns)
        mapping = {int(i): c for i, c in job.mapping.items()}
        job = import_job_set_mapping(job, job.header_row, mapping, user)
        job = people_import_preview(job)
        step("preview")
        figures["status"] = job.status
        figures["create"] = job.preview.get("create", 0)
        figures["invalid"] = job.preview.get("invalid", 0)
        if args.commit:
            job = import_job_confirm(job, skip_invalid=True, by=user)
            job = people_import_commit(job)
            step("commit")
            figures["status"] = job.status
        figures["baseline_mb"] = round(baseline)
        figures["peak_mb"] = round(peak_mb())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
