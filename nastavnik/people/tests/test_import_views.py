"""The people import through the pages a curator uses: upload, columns, preview, confirm."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst

from nastavnik.audit.models import AuditAction, AuditEntry, AuditObject
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.orgs.models import Role
from nastavnik.people.models import GuardianLink, ImportJob, ImportStatus, Person, PersonKind
from nastavnik.people.tests.data import born, fio
from nastavnik.people.tests.factories import (
    ImportJobFactory,
    ParentFactory,
    PersonFactory,
    StaffFactory,
)
from nastavnik.people.tests.importing import (
    columns_data,
    csv_upload,
    dmy,
    last_job,
    start,
    upload,
    url,
    xlsx_upload,
)
from nastavnik.people.transfer.columns import FIELD_LABELS, VALUE_MESSAGES, Field
from nastavnik.people.transfer.plan import PLAN_MESSAGES
from nastavnik.people.transfer.services import IMPORT_MESSAGES
from nastavnik.people.transfer.tables import CONTENT_NAMES, TABLE_MESSAGES
from nastavnik.people.validators import GUARDIAN_MESSAGES, MESSAGES

pytestmark = pytest.mark.django_db

HEADER = ["ФИО", "Дата рождения", "Класс", "Телефон"]


def students(org, count=3):
    names = ["Иванов Пётр Сергеевич", "Смирнова Алёна Игоревна", "Кузнецов Илья Ильич"]
    names += [f"Петров {first} Иванович" for first in ("Иван", "Олег", "Глеб", "Лев", "Марк")]
    return [[names[i], dmy(born(10 + i % 6, org)), f"{5 + i % 6} А", ""] for i in range(count)]


def people(org) -> QuerySet:
    return Person.objects.filter(organisation=org)


def snapshot(org):
    return list(people(org).order_by("pk").values_list())


def confirm(client, job, **data):
    return client.post(url("import_confirm", job_pk=job.pk), data, follow=True)


def problem(label, text):
    return f"{label}: {text}"


def label(field):
    return str(capfirst(Person._meta.get_field(field).verbose_name))


def page(response):
    return response.content.decode()


# The whole way


def test_curator_imports_students_from_an_e_journal_csv(curator_client, org):
    rows = [
        ["МАОУ «Средняя школа № 1»"],
        ["Список обучающихся 7 А класса"],
        [],
        ["№", "ФИО", "Дата рождения", "Класс", "Телефон"],
        [1, "Иванов Пётр Сергеевич", dmy(born(12, org)), "7 А", "+7 916 123-45-67"],
        [2, "Смирнова Алёна Игоревна", born(13, org).strftime("%-d.%-m.%Y"), "7-а", ""],
        [3, "Мамедов Али Рза оглы", born(12, org).isoformat(), "7А", ""],
    ]

    response = upload(curator_client, csv_upload(rows, encoding="cp1251"))
    job = last_job()
    assert response["Location"] == url("import_columns", job_pk=job.pk)
    columns = curator_client.get(response["Location"])
    form = columns.context["form"]
    assert form["header_row"].value() == 4
    assert [form[f"col_{i}"].value() for i in range(5)] == [
        None,
        "full_name",
        "birth_date",
        "class_name",
        "phone",
    ]
    assert not people(org).exists()

    preview = curator_client.post(columns.request["PATH_INFO"], columns_data(columns), follow=True)

    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert preview.context["summary"]["create"] == 3
    assert not people(org).exists()

    done = confirm(curator_client, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert done.context["summary"]["create"] == 3
    assert not job.file and not job.plan_file
    ivanov = people(org).get(last_name="Иванов")
    assert (ivanov.grade, ivanov.class_letter, ivanov.gender) == (7, "А", "m")
    assert ivanov.phone == "+7 916 123-45-67"
    assert ivanov.name_key == "иванов петр сергеевич"
    alyona = people(org).get(first_name="Алёна")
    assert (alyona.gender, alyona.birth_date, alyona.class_letter) == ("f", born(13, org), "А")
    assert people(org).get(last_name="Мамедов").middle_name == "Рза оглы"
    assert (
        AuditEntry.objects.filter(
            organisation=org, action=AuditAction.CREATE, object_type=AuditObject.PERSON
        ).count()
        == 3
    )


def test_staff_from_xlsx_with_separate_name_columns_date_cells_and_excel_day_numbers(
    curator_client, org
):
    day_number = (born(41, org) - date(1899, 12, 30)).days
    rows = [
        ["Фамилия", "Имя", "Отчество", "Пол", "Дата рождения", "Должность", "Предметы", "Стаж"],
        ["Орлова", "Вера", "Павловна", "ж", born(45, org), "Учитель", "Химия, биология", "20 лет"],
        ["Зайцев", "Олег", "", "м", day_number, "Учитель физики", "Физика", 12],
    ]

    start(curator_client, xlsx_upload(rows), kind=PersonKind.STAFF)
    confirm(curator_client, last_job())

    orlova = people(org).get(last_name="Орлова")
    assert (orlova.kind, orlova.birth_date, orlova.experience_years) == ("staff", born(45, org), 20)
    assert orlova.subjects == "Химия, биология"
    zaitsev = people(org).get(last_name="Зайцев")
    assert (zaitsev.gender, zaitsev.birth_date) == ("m", born(41, org))


def test_the_curator_corrects_the_columns_and_the_header_row(curator_client, org):
    rows = [
        ["Выгрузка"],
        ["Ученик", "Д.Р.", "Группа"],
        ["Иванов Пётр Сергеевич", dmy(born(12, org)), "7А"],
    ]
    response = upload(curator_client, csv_upload(rows))
    columns = curator_client.get(response["Location"])
    # «Группа» is not a known name: the class column has to be chosen by hand.
    assert columns.context["form"]["col_2"].value() is None

    preview = curator_client.post(
        columns.request["PATH_INFO"], columns_data(columns, col_2="class_name"), follow=True
    )

    assert preview.context["summary"]["create"] == 1
    reread = curator_client.post(
        url("import_columns", job_pk=last_job().pk),
        columns_data(columns, header_row=1),
    )
    # Another header row is read again before anything is checked.
    assert reread.status_code == 200
    assert reread.context["form"]["header_row"].value() == 1
    assert not reread.context["recognised"]


# Bad files: a clear message, and nothing written


def assert_refused(response, text):
    assert response.status_code == 200
    assert escape(str(text)) in page(response)
    assert not ImportJob.objects.exists()
    assert not Person.objects.filter(kind=PersonKind.STUDENT).exists()


def test_an_empty_file(curator_client):
    response = upload(curator_client, SimpleUploadedFile("список.csv", b""))

    # Django's own check of an empty upload says it first.
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_a_file_of_only_empty_lines(curator_client):
    response = upload(curator_client, SimpleUploadedFile("список.csv", b";;\r\n;;\r\n"))

    assert_refused(response, TABLE_MESSAGES["no_rows"])


def test_a_header_without_rows(curator_client):
    response = upload(curator_client, csv_upload([HEADER]))

    assert_refused(response, TABLE_MESSAGES["no_rows"])


def test_a_picture_renamed_xlsx(curator_client):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

    response = upload(curator_client, SimpleUploadedFile("список.xlsx", png))

    assert_refused(
        response,
        str(TABLE_MESSAGES["mismatch"])
        % {
            "name": "список.xlsx",
            "claimed": CONTENT_NAMES["xlsx"],
            "actual": CONTENT_NAMES["image"],
        },
    )


def test_a_csv_renamed_xlsx(curator_client, org):
    file = csv_upload([HEADER, *students(org)], name="список.xlsx")

    response = upload(curator_client, file)

    assert_refused(
        response,
        str(TABLE_MESSAGES["mismatch"])
        % {
            "name": "список.xlsx",
            "claimed": CONTENT_NAMES["xlsx"],
            "actual": CONTENT_NAMES["text"],
        },
    )


def test_a_file_of_50_mb_is_stopped_while_it_arrives(curator_client):
    # The file's bytes are in memory only; the upload handler refuses it before any is stored.
    big = SimpleUploadedFile("список.csv", b"x" * (50 * 1024 * 1024))

    response = upload(curator_client, big)

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.message == TABLE_MESSAGES["too_large"]
    assert error.params["limit"] == filesizeformat(20 * 1024 * 1024)
    assert escape(str(error.message) % error.params) in page(response)
    assert not ImportJob.objects.exists()


def test_a_file_just_over_the_limit_is_refused_by_the_service_too(curator_client, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 100

    response = upload(curator_client, SimpleUploadedFile("список.csv", b"x" * 101))

    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_mixed_encodings(curator_client, org):
    rows = students(org)
    data = (
        ";".join(HEADER).encode("utf-8")
        + b"\r\n"
        + ";".join(rows[0]).encode("utf-8")
        + b"\r\n"
        + ";".join(rows[1]).encode("cp1251")
        + b"\r\n"
    )

    response = upload(curator_client, SimpleUploadedFile("список.csv", data))

    assert_refused(response, str(TABLE_MESSAGES["mixed_encoding"]) % {"lines": "3"})


def test_missing_required_columns(curator_client, org):
    rows = [["ФИО", "Класс"], ["Иванов Пётр Сергеевич", "7А"]]

    response = start(curator_client, csv_upload(rows))

    assert response.status_code == 200
    required = str(IMPORT_MESSAGES["required"]) % {"fields": FIELD_LABELS[Field.BIRTH_DATE]}
    assert response.context["form"].non_field_errors() == [required]
    assert last_job().status == ImportStatus.MAPPING
    assert not people(org).exists()


def test_missing_name_columns(curator_client, org):
    rows = [["Дата рождения", "Класс"], [dmy(born(12, org)), "7А"]]

    response = start(curator_client, csv_upload(rows))

    assert str(IMPORT_MESSAGES["names"]) in response.context["form"].non_field_errors()


def test_one_field_for_two_columns(curator_client, org):
    response = start(curator_client, csv_upload([HEADER, *students(org)]), col_3="birth_date")

    twice = str(IMPORT_MESSAGES["twice"]) % {"field": FIELD_LABELS[Field.BIRTH_DATE]}
    assert twice in response.context["form"].non_field_errors()


# Bad rows: every one with its line and the rule it breaks, nothing written


def test_bad_rows_are_listed_with_their_lines_and_block_the_import(curator_client, org):
    good = students(org, 2)
    rows = [
        HEADER,
        *good,
        ["Лебедев Иван Петрович", "31.02.2012", "7А", ""],
        ["Лебедева Анна Петровна", dmy(born(3, org)), "1А", ""],
        ["Лебедев Олег Петрович", dmy(born(40, org)), "7А", ""],
        ["Лебедев Глеб Петрович", dmy(born(12, org)), "12Я", ""],
        ["Лебедев Лев Петрович", dmy(born(12, org)), "седьмой", ""],
        ["Лебедев Марк", dmy(born(12, org)), "7А", ""],
    ]

    preview = start(curator_client, csv_upload(rows))

    summary = preview.context["summary"]
    assert (summary["create"], summary["invalid"]) == (2, 6)
    found = {p["line"]: p["messages"] for p in summary["problems"]}
    student_age = str(MESSAGES["student_age"]) % {"min": 6, "max": 20}
    assert found == {
        4: [problem("Дата рождения", str(VALUE_MESSAGES["date"]) % {"value": "31.02.2012"})],
        5: [problem("Дата рождения", student_age)],
        6: [problem("Дата рождения", student_age)],
        7: [problem("Класс", str(MESSAGES["grade"]) % {"min": 1, "max": 11})],
        8: [problem("Класс", str(VALUE_MESSAGES["class"]) % {"value": "седьмой"})],
        9: [problem(label("gender"), str(VALUE_MESSAGES["gender_unknown"]))],
    }
    for messages in found.values():
        assert escape(messages[0]) in page(preview)

    refused = confirm(curator_client, last_job())

    assert str(IMPORT_MESSAGES["problems"]) % {"count": 6} in page(refused)
    assert last_job().status == ImportStatus.PREVIEWED
    assert not people(org).exists()


def test_the_curator_may_import_the_good_rows_without_the_bad_ones(curator_client, org):
    rows = [HEADER, *students(org, 2), ["Лебедев Иван Петрович", "31.02.2012", "7А", ""]]
    start(curator_client, csv_upload(rows))

    done = confirm(curator_client, last_job(), skip_invalid="on")

    assert done.context["summary"]["create"] == 2
    assert people(org).count() == 2


# All or nothing


def test_a_bad_last_row_of_a_large_file_leaves_nothing_written(curator_client, org, settings):
    settings.PEOPLE_IMPORT_INLINE_ROWS = 10  # the large-file path, through the task
    rows = [
        [f"Иванов Пётр{suffix} Сергеевич", dmy(born(12, org) + date.resolution * i), "7А", ""]
        for i, suffix in enumerate([""] * 29)
    ]
    rows.append(["Иванов Иван Иванович", dmy(born(40, org)), "7А", ""])

    start(curator_client, csv_upload([HEADER, *rows]))
    job = last_job()
    assert job.preview["invalid"] == 1
    assert job.preview["problems"][0]["line"] == 31
    confirm(curator_client, job)

    assert not people(org).exists()


def test_a_failure_while_writing_rolls_everything_back(curator_client, org, monkeypatch):
    rows = [["ФИО", "Дата рождения", "Класс", "Мать"]]
    rows += [[name, date_, cls, "Иванова Ольга Петровна"] for name, date_, cls, _ in students(org)]
    start(curator_client, csv_upload(rows))
    job = last_job()
    assert (job.preview["create"], job.preview["links"]) == (3, 3)
    before = snapshot(org)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The people are written first; the links, written last, fail.
    monkeypatch.setattr(GuardianLink.objects, "bulk_create", broken)
    result = confirm(curator_client, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert escape(str(IMPORT_MESSAGES["failed"])) in page(result)
    assert snapshot(org) == before == []
    assert not AuditEntry.objects.filter(organisation=org).exists()


def test_a_registry_changed_after_the_preview_is_judged_again(curator_client, org):
    rows = [HEADER, *students(org)]
    start(curator_client, csv_upload(rows))
    job = last_job()
    assert job.preview["invalid"] == 0
    # Meanwhile someone records the second pupil as a member of staff.
    StaffFactory(
        organisation=org,
        **fio("Смирнова Алёна Игоревна"),
        gender="f",
        birth_date=born(11, org),
    )

    result = confirm(curator_client, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert result.context["summary"]["problems"][0]["line"] == 3
    assert people(org).count() == 1


# The same file twice, people already there, repeats in the file


def test_the_same_file_twice_changes_nothing_the_second_time(curator_client, org):
    file = [["ФИО", "Дата рождения", "Класс", "Телефон", "Мать"]]
    file += [
        [*row[:3], "+7 900 000-00-0" + str(i), "Иванова Ольга Петровна"]
        for i, row in enumerate(students(org))
    ]
    start(curator_client, csv_upload(file))
    confirm(curator_client, last_job())
    before = snapshot(org)
    links = list(GuardianLink.objects.order_by("pk").values_list())
    audit = AuditEntry.objects.count()

    again = start(curator_client, csv_upload(file))

    summary = again.context["summary"]
    assert (summary["create"], summary["update"], summary["unchanged"]) == (0, 0, 3)
    assert (summary["links"], summary["guardians_create"]) == (0, 0)
    done = confirm(curator_client, last_job())
    assert (done.context["summary"]["create"], done.context["summary"]["update"]) == (0, 0)
    assert snapshot(org) == before
    assert list(GuardianLink.objects.order_by("pk").values_list()) == links
    assert AuditEntry.objects.count() == audit


def test_people_in_the_registry_are_updated_not_doubled(curator_client, org):
    existing = PersonFactory(
        organisation=org,
        **fio("Ёлкин Пётр Сергеевич"),
        birth_date=born(12, org),
        grade=6,
        class_letter="Б",
        phone="",
        email="old@example.ru",
    )
    # Case, 'ё' and spaces do not matter; empty cells erase nothing.
    rows = [
        ["ФИО", "Дата рождения", "Класс", "Телефон", "Email"],
        ["ЕЛКИН  петр сергеевич", dmy(born(12, org)), "7Б", "+7 916 000-00-00", ""],
    ]

    preview = start(curator_client, csv_upload(rows))

    summary = preview.context["summary"]
    assert (summary["create"], summary["update"]) == (0, 1)
    assert summary["changes"][0]["fields"] == [label("phone"), label("grade")]
    confirm(curator_client, last_job())
    existing.refresh_from_db()
    assert people(org).count() == 1
    assert (existing.last_name, existing.first_name) == ("Ёлкин", "Пётр")
    assert (existing.grade, existing.phone, existing.email) == (
        7,
        "+7 916 000-00-00",
        "old@example.ru",
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=existing.pk)
    assert entry.changes["grade"] == [6, 7]


def test_a_person_of_another_category_is_not_changed(curator_client, org):
    StaffFactory(organisation=org, **fio("Иванов Пётр Сергеевич"), birth_date=born(10, org))

    preview = start(curator_client, csv_upload([HEADER, *students(org, 1)]))

    messages = preview.context["summary"]["problems"][0]["messages"]
    expected = str(PLAN_MESSAGES["other_kind"]) % {
        "name": "Иванов Пётр Сергеевич",
        "kind": PersonKind.STAFF.label,
    }
    assert messages == [expected]


def test_repeated_rows_in_one_file(curator_client, org):
    first, second = students(org, 2)
    other_class = [first[0], first[1], "8А", ""]
    rows = [HEADER, first, second, first, other_class]

    preview = start(curator_client, csv_upload(rows))

    summary = preview.context["summary"]
    assert (summary["create"], summary["skipped"], summary["invalid"]) == (2, 1, 1)
    assert summary["notes"][0]["line"] == 4
    assert summary["notes"][0]["messages"] == [str(PLAN_MESSAGES["repeat_same"]) % {"line": 2}]
    assert summary["problems"][0]["line"] == 5
    assert summary["problems"][0]["messages"] == [
        str(PLAN_MESSAGES["repeat"]) % {"line": 2, "name": "Иванов Пётр Сергеевич"}
    ]


# Guardians


def test_parents_named_in_a_list_of_students_are_added_once_and_linked(curator_client, org):
    rows = [
        ["ФИО", "Дата рождения", "Класс", "Мать", "Отец"],
        [
            "Иванов Пётр Сергеевич",
            dmy(born(12, org)),
            "7А",
            "Иванова Ольга Петровна",
            "Иванов Сергей Ильич",
        ],
        ["Иванова Мария Сергеевна", dmy(born(9, org)), "3Б", "Иванова Ольга Петровна", ""],
    ]

    preview = start(curator_client, csv_upload(rows))
    summary = preview.context["summary"]
    assert (summary["create"], summary["guardians_create"], summary["links"]) == (2, 2, 3)
    confirm(curator_client, last_job())

    mother = people(org).get(first_name="Ольга")
    assert (mother.kind, mother.gender) == (PersonKind.PARENT, "f")
    assert set(mother.children_links.values_list("child__first_name", "relation")) == {
        ("Пётр", "mother"),
        ("Мария", "mother"),
    }
    assert people(org).get(first_name="Сергей").children_links.get().relation == "father"


def test_a_list_of_parents_links_them_to_students_in_the_registry(curator_client, org):
    child = PersonFactory(
        organisation=org, last_name="Смирнов", first_name="Олег", middle_name="Петрович", grade=7
    )
    PersonFactory(
        organisation=org, last_name="Смирнов", first_name="Олег", middle_name="Петрович", grade=9
    )
    teacher = StaffFactory(organisation=org, **fio("Смирнова Анна Ивановна"), gender="f")
    rows = [
        ["ФИО родителя", "Дата рождения", "Телефон", "ФИО ребёнка", "Класс", "Кем приходится"],
        [
            "Смирнова Анна Ивановна",
            dmy(teacher.birth_date),
            "+7 900 111-22-33",
            "Смирнов Олег Петрович",
            "7А",
            "мать",
        ],
        ["Смирнов Пётр Олегович", "", "", "Смирнов Олег Петрович", "", ""],
        ["Кузнецова Ирина Павловна", "", "", "Кузнецов Иван Иванович", "", ""],
    ]

    preview = start(curator_client, csv_upload(rows), kind=PersonKind.PARENT)

    summary = preview.context["summary"]
    problems = {p["line"]: p["messages"] for p in summary["problems"]}
    several = str(PLAN_MESSAGES["several_children"]) % {"name": "Смирнов Олег Петрович"}
    absent = str(PLAN_MESSAGES["no_child"]) % {"name": "Кузнецов Иван Иванович"}
    assert problems == {3: [problem("ФИО ребёнка", several)], 4: [problem("ФИО ребёнка", absent)]}
    confirm(curator_client, last_job(), skip_invalid="on")
    teacher.refresh_from_db()
    # A teacher in a list of parents stays a teacher, and becomes the child's guardian.
    assert teacher.kind == PersonKind.STAFF
    assert teacher.phone == "+7 900 111-22-33"
    assert list(teacher.children_links.values_list("child", "relation")) == [(child.pk, "mother")]


def test_a_guardian_link_that_breaks_a_rule_is_a_bad_row(curator_client, org):
    ParentFactory(
        organisation=org, last_name="Лебедев", first_name="Иван", middle_name="Петрович", gender="m"
    )
    rows = [
        ["ФИО", "Дата рождения", "Класс", "Мать"],
        ["Лебедев Пётр Иванович", dmy(born(12, org)), "7А", "Лебедев Иван Петрович"],
    ]

    preview = start(curator_client, csv_upload(rows))

    assert preview.context["summary"]["problems"][0]["messages"] == [
        problem("Мать", str(GUARDIAN_MESSAGES["mother_gender"]))
    ]


# Large files: the background job with its progress


def test_a_large_file_runs_as_a_task_and_the_page_polls_its_progress(curator_client, org, settings):
    settings.PEOPLE_IMPORT_INLINE_ROWS = 2
    start(curator_client, csv_upload([HEADER, *students(org, 5)]))
    job = last_job()
    assert job.status == ImportStatus.PREVIEWED  # the task ran (at once, in the tests)

    done = confirm(curator_client, job)

    assert done.context["summary"]["create"] == 5
    assert people(org).count() == 5


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(curator_client, org):
    job = ImportJobFactory(
        organisation=org, status=ImportStatus.IMPORTING, rows_total=4000, rows_done=1000
    )
    job_url = url("import_job", job_pk=job.pk)

    fragment = curator_client.get(job_url, headers={"HX-Request": "true"})
    whole = curator_client.get(job_url)

    assert 'hx-trigger="every 1s"' in page(fragment)
    assert 'value="1000"' in page(fragment) and "<html" not in page(fragment)
    assert f'href="{job_url}"' in page(whole)  # a plain link for a browser without JavaScript
    job.status = ImportStatus.DONE
    job.save()
    assert curator_client.get(job_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_a_discarded_import_is_gone_with_its_file(curator_client, org):
    start(curator_client, csv_upload([HEADER, *students(org)]))
    job = last_job()
    storage, name = job.file.storage, job.file.name

    curator_client.post(url("import_discard", job_pk=job.pk))

    assert not ImportJob.objects.exists()
    assert not storage.exists(name)


def test_a_confirmed_import_cannot_run_twice(curator_client, org):
    start(curator_client, csv_upload([HEADER, *students(org)]))
    job = last_job()
    confirm(curator_client, job)

    again = confirm(curator_client, job)

    state = str(IMPORT_MESSAGES["state"]) % {"status": ImportStatus.DONE.label}
    assert escape(state) in page(again)
    assert people(org).count() == 3


# Who may import


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CURATOR, 200),
        (Role.DIRECTOR, 200),
        (Role.SPECIALIST, 403),
        (Role.MENTOR, 403),
        (Role.GUARDIAN, 403),
    ],
)
def test_only_those_answerable_for_the_bases_may_import(client, tenant_a, role, status):
    client.force_login(tenant_a.user(role))

    assert client.get(url("import")).status_code == status
    job = ImportJobFactory(organisation=tenant_a.organisation)
    assert client.post(url("import_confirm", job_pk=job.pk)).status_code in {status, 302}
    if status == 403:
        assert not Person.objects.exists()


def test_an_outsider_cannot_see_or_run_an_import_of_another_organisation(
    client, tenant_a, tenant_b
):
    job = ImportJobFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_b.user(Role.CURATOR))

    assert client.get(url("import_job", org="school-b", job_pk=job.pk)).status_code == 404
    assert client.post(url("import_confirm", org="school-b", job_pk=job.pk)).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert not Person.objects.exists()


def test_the_registry_list_offers_import_and_export_to_the_curator_only(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    curator_page = page(client.get(reverse_list()))
    client.force_login(tenant_a.user(Role.SPECIALIST))
    specialist_page = page(client.get(reverse_list()))

    assert url("import") in curator_page and url("export") in curator_page
    assert url("import") not in specialist_page and url("export") not in specialist_page


def reverse_list():
    return url("list")


def test_a_person_who_withdrew_consent_is_neither_changed_nor_added_again(curator_client, org):
    hidden = StaffFactory(
        organisation=org, last_name="Орлова", first_name="Вера", middle_name="Павловна", phone=""
    )
    ConsentFactory(subject=hidden, withdrawn_at=timezone.now(), withdrawal_reason="—")
    rows = [
        ["ФИО", "Дата рождения", "Должность", "Телефон"],
        [hidden.full_name, dmy(hidden.birth_date), "Учитель", "+7 900 000-00-00"],
    ]

    preview = start(curator_client, csv_upload(rows), kind=PersonKind.STAFF)

    summary = preview.context["summary"]
    assert (summary["create"], summary["update"], summary["skipped"]) == (0, 0, 1)
    assert summary["notes"][0]["messages"] == [
        str(PLAN_MESSAGES["hidden"]) % {"name": hidden.full_name}
    ]
    hidden.refresh_from_db()
    assert hidden.phone == ""
    assert people(org).count() == 1


def test_the_upload_checks_the_csrf_token_before_it_stops_a_large_file(tenant_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant_a.user(Role.CURATOR))
    form_page = client.get(url("import"))
    token = form_page.context["csrf_token"]
    big = SimpleUploadedFile("список.csv", b"x" * (21 * 1024 * 1024))

    without = client.post(url("import"), {"kind": "student", "file": csv_upload([HEADER])})
    refused = client.post(
        url("import"), {"csrfmiddlewaretoken": str(token), "kind": "student", "file": big}
    )

    assert without.status_code == 403
    assert refused.status_code == 200
    assert refused.context["form"].errors.as_data()["file"][0].code == "too_large"
    assert not ImportJob.objects.exists()
