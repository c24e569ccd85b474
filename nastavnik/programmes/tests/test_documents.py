"""The programme, the roadmap and the approving order as documents: rendered, read back as
Russian, and once through LibreOffice to PDF."""

import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from nastavnik.documents.render import docx_text, docx_to_pdf, find_soffice
from nastavnik.orders.documents import render_order
from nastavnik.people.tests.data import fio
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes import services
from nastavnik.programmes.documents import join_quoted, render_programme, render_roadmap
from nastavnik.programmes.exports import roadmap_xlsx
from nastavnik.programmes.schedule import format_period
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def programme(tenant_a):
    org = tenant_a.organisation
    org.name = "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 5»"
    org.short_name = "МАОУ СШ № 5"
    org.address = "623100, Свердловская область, г. Первоуральск, ул. Школьная, д. 5"
    org.inn = "6625024711"
    org.save()
    made = data.approved_programme(org)
    services.team_member_add(
        made,
        StaffFactory(
            organisation=org,
            **fio("Шевчук Ирина Олеговна"),
            gender="f",
            position="Педагог-психолог",
        ),
        responsibility="диагностика наставляемых",
        by=None,
    )
    services.partner_create(
        made,
        {
            "name": "АО «Первоуральский новотрубный завод»",
            "contribution": "Экскурсии на производство",
            "contact_person": "Смирнов П. А.",
            "phone": "+7 (3439) 29-60-00",
            "agreement_number": "17/СП",
            "agreement_date": date(2025, 9, 3),
        },
        by=None,
    )
    return made


def test_programme_reads_as_the_programme_of_the_year(programme):
    text = docx_text(render_programme(programme))
    lines = text.splitlines()

    assert lines[0] == (
        "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 5»"
    )
    assert "ИНН 6625024711" in lines
    assert lines[lines.index("УТВЕРЖДЕНА") + 1 : lines.index("УТВЕРЖДЕНА") + 3] == [
        "приказом МАОУ СШ № 5",
        "от 1 сентября 2025 г. № 1-о",
    ]
    assert "ПРОГРАММА НАСТАВНИЧЕСТВА" in lines
    assert "на 2025/2026 учебный год" in lines
    assert "Цель программы: Раскрытие потенциала личности наставляемого." in lines
    assert "1. Улучшение образовательных результатов" in lines
    assert "– Положения о наставничестве МАОУ СШ № 5." in lines
    assert any(line.startswith("– распоряжения Министерства просвещения") for line in lines)
    assert (
        "В 2025/2026 учебном году реализуются формы наставничества "
        "«Ученик – ученик» и «Учитель – учитель»." in lines
    )
    assert "4.1. Форма наставничества «Ученик – ученик»" in lines
    assert "– «Успевающий – неуспевающий» — достижение лучших образовательных результатов." in lines
    assert (
        "Куратор программы наставничества — Петрова Анна Сергеевна, "
        "заместитель директора по воспитательной работе." in lines
    )
    assert "Шевчук Ирина Олеговна" in lines
    assert "педагог-психолог" in lines
    assert "АО «Первоуральский новотрубный завод»" in lines
    assert "Соглашение № 17/СП от 03.09.2025" in lines
    assert "не позднее 30 сентября и 30 марта." in text
    assert "Разбор ошибок" in lines
    assert "{" not in text and "}" not in text


def test_a_draft_programme_is_marked_as_a_draft(tenant_a):
    draft = data.programme(tenant_a.organisation, forms=("teacher-student",))
    lines = docx_text(render_programme(draft)).splitlines()
    assert "ПРОЕКТ" in lines
    assert "УТВЕРЖДЕНА" not in lines
    assert "Социальные партнёры программы не определены." in lines
    assert "В 2025/2026 учебном году реализуются формы наставничества «Учитель – ученик»." in lines


def test_roadmap_is_the_table_of_stages_events_periods_and_responsibles(programme):
    event = programme.events.get(template_code="mentee_base")
    event.responsible_person = programme.curator
    event.save()

    lines = docx_text(render_roadmap(programme)).splitlines()

    assert "Дорожная карта реализации программы наставничества" in lines
    assert "МАОУ СШ № 5 на 2025/2026 учебный год" in lines
    assert lines.count("№ п/п") == 1
    for stage in (
        "Этап 1. Подготовка условий для запуска программы наставничества",
        "Этап 5. Формирование наставнических пар или групп",
        "Этап 7. Завершение наставничества",
    ):
        assert stage in lines
    assert any(line.startswith("Задача: выявление конкретных проблем") for line in lines)
    assert "сентябрь 2025 г." in lines
    assert "до 30 сентября 2025 г." in lines
    assert "до 30 марта 2026 г." in lines
    assert "февраль – май 2026 г." in lines
    assert "октябрь – ноябрь 2025 г." in lines
    assert "Педагог-психолог, социальный педагог, классные руководители" in lines
    assert "Куратор программы (Петрова А. С.)" in lines
    index = lines.index("Регулярные встречи наставника и наставляемого")
    assert lines[index - 1].isdigit()
    assert lines[index + 1 : index + 3] == ["февраль – май 2026 г.", "Наставники"]


# The curator is named in the accusative and in the dative with initials; names of every kind.
CURATORS = [
    (("Петрова", "Анна", "Сергеевна", "f"), "Петрову Анну Сергеевну", "Петровой А. С."),
    (("Иванов", "Иван", "Иванович", "m"), "Иванова Ивана Ивановича", "Иванову И. И."),
    (
        ("Римская-Корсакова", "Ольга", "Андреевна", "f"),
        "Римскую-Корсакову Ольгу Андреевну",
        "Римской-Корсаковой О. А.",
    ),
    (
        ("Петров-Водкин", "Кузьма", "Сергеевич", "m"),
        "Петрова-Водкина Кузьму Сергеевича",
        "Петрову-Водкину К. С.",
    ),
    (("Шевчук", "Ирина", "Петровна", "f"), "Шевчук Ирину Петровну", "Шевчук И. П."),
    (("Шевчук", "Олег", "Петрович", "m"), "Шевчука Олега Петровича", "Шевчуку О. П."),
    (("Дурново", "Анна", "Петровна", "f"), "Дурново Анну Петровну", "Дурново А. П."),
    (("Шевченко", "Тарас", "Григорьевич", "m"), "Шевченко Тараса Григорьевича", "Шевченко Т. Г."),
    (("Черных", "Мария", "Ивановна", "f"), "Черных Марию Ивановну", "Черных М. И."),
]


@pytest.mark.parametrize(("name", "accusative", "dative"), CURATORS)
def test_approving_order_names_the_curator_in_the_right_case(tenant_a, name, accusative, dative):
    org = tenant_a.organisation
    last, first, middle, gender = name
    curator = StaffFactory(
        organisation=org,
        last_name=last,
        first_name=first,
        middle_name=middle,
        gender=gender,
        position="Учитель математики",
    )
    programme = data.programme(org)
    services.programme_update(programme, curator=curator, by=None)
    order = services.programme_approval_order_create(
        programme, number="45-о", date=date(2025, 9, 2), signatory=data.director(org), by=None
    )

    lines = docx_text(render_order(order)).splitlines()

    assert (
        "4. Назначить куратором программы наставничества "
        f"{accusative}, учителя математики." in lines
    )
    assert f"5. Куратору программы наставничества {dative}:" in lines
    signs = "ознакомлена" if gender == "f" else "ознакомлен"
    assert f"С приказом {signs}:" in lines


def test_approving_order_reads_as_an_order(programme):
    order = programme.approval_order
    with default_storage.open(order.document.name) as stored:
        text = docx_text(stored.read())
    lines = text.splitlines()

    assert "ПРИКАЗ" in lines
    assert "«01» сентября 2025 г." in lines
    assert "№ 1-о" in lines
    assert "г. Первоуральск" in lines
    assert (
        "Об утверждении программы наставничества и дорожной карты её реализации "
        "на 2025/2026 учебный год" in lines
    )
    assert "ПРИКАЗЫВАЮ:" in lines
    assert (
        "1. Утвердить программу наставничества МАОУ СШ № 5 на 2025/2026 учебный год (приложение 1)."
        in lines
    )
    assert (
        "3. Реализовать в 2025/2026 учебном году формы наставничества "
        "«Ученик – ученик» и «Учитель – учитель»." in lines
    )
    assert (
        "4. Назначить куратором программы наставничества Петрову Анну Сергеевну, "
        "заместителя директора по воспитательной работе." in lines
    )
    assert "6. Контроль за исполнением приказа оставляю за собой." in lines
    assert "И. И. Иванов" in lines
    assert "С приказом ознакомлена:" in lines
    assert "А. С. Петрова" in lines

    # With a team, the team is approved too and everyone signs that they have read it.
    regenerated = docx_text(render_order(order)).splitlines()
    assert "6. Утвердить состав команды программы наставничества:" in regenerated
    assert "– Шевчук Ирина Олеговна, педагог-психолог (диагностика наставляемых)." in regenerated
    assert "7. Контроль за исполнением приказа оставляю за собой." in regenerated
    assert "С приказом ознакомлены:" in regenerated
    assert regenerated.count("«___» ____________ 20___ г.") == 2
    assert "И. О. Шевчук" in regenerated


@pytest.mark.parametrize(
    ("starts", "due", "expected"),
    [
        (date(2025, 9, 1), date(2025, 9, 30), "сентябрь 2025 г."),
        (date(2026, 2, 1), date(2026, 5, 31), "февраль – май 2026 г."),
        (date(2025, 11, 1), date(2026, 1, 31), "ноябрь 2025 г. – январь 2026 г."),
        (date(2024, 2, 1), date(2024, 2, 29), "февраль 2024 г."),
        (None, date(2025, 9, 30), "до 30 сентября 2025 г."),
        (date(2025, 10, 5), date(2025, 10, 20), "5 октября 2025 г. – 20 октября 2025 г."),
        (date(2025, 10, 5), date(2025, 10, 5), "5 октября 2025 г."),
    ],
)
def test_periods_read_as_in_russian_roadmaps(starts, due, expected):
    assert format_period(starts, due) == expected


def test_forms_are_listed_with_quotes_and_and():
    assert join_quoted([]) == ""
    assert join_quoted(["А"]) == "«А»"
    assert join_quoted(["А", "Б", "В"]) == "«А», «Б» и «В»"


def test_roadmap_spreadsheet_has_every_event_and_never_a_formula(tenant_a):
    programme = data.programme(tenant_a.organisation)
    services.event_create(
        programme,
        {"stage": 1, "title": '=HYPERLINK("http://evil","x")', "due_on": date(2025, 9, 15)},
        by=None,
    )
    done = programme.events.get(template_code="inform_teachers")
    services.event_complete(done, done_on=date(2025, 9, 12), note="+7 протокол", by=None)

    sheet = load_workbook(BytesIO(roadmap_xlsx(programme, date(2025, 10, 1)))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))

    assert len(rows) == programme.events.count()
    hostile = next(row for row in rows if str(row[2]).startswith("=HYPERLINK"))
    cell = next(c for c in sheet["C"] if c.value == hostile[2])
    assert cell.data_type == "s"
    informed = next(row for row in rows if row[2].startswith("Информирование педагогического"))
    assert informed[1] == "1. Подготовка условий для запуска программы наставничества"
    assert informed[3] == "сентябрь 2025 г."
    assert informed[7] == "выполнено"
    assert informed[8].date() == date(2025, 9, 12)
    assert informed[9] == "+7 протокол"
    statuses = {row[7] for row in rows}
    assert statuses == {"выполнено", "просрочено", "запланировано"}


def pdf_text(docx):
    pdf = docx_to_pdf(docx)
    assert pdf.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return flat(out.stdout.decode())


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_programme_roadmap_and_order_open_in_libreoffice_and_read_as_russian(programme):
    programme_pdf = pdf_text(render_programme(programme))
    assert "ПРОГРАММА НАСТАВНИЧЕСТВА" in programme_pdf
    assert "Куратор программы наставничества — Петрова Анна Сергеевна" in programme_pdf
    assert "«Ученик – ученик» и «Учитель – учитель»" in programme_pdf

    roadmap_pdf = pdf_text(render_roadmap(programme))
    assert "Этап 1. Подготовка условий для запуска программы наставничества" in roadmap_pdf
    # Cells wrap their text over lines; these fit on one.
    assert "до 30 сентября" in roadmap_pdf
    assert "февраль – май" in roadmap_pdf
    assert "Регулярные встречи" in roadmap_pdf

    with default_storage.open(programme.approval_order.document.name) as stored:
        order_pdf = pdf_text(stored.read())
    assert "ПРИКАЗ" in order_pdf
    assert "«01» сентября 2025 г." in order_pdf
    assert "Назначить куратором программы наставничества Петрову Анну Сергеевну" in order_pdf
    assert "Куратору программы наставничества Петровой А. С.:" in order_pdf
    assert "Контроль за исполнением приказа оставляю за собой." in order_pdf


def test_approving_order_carries_the_programme_and_roadmap_as_its_appendices(programme):
    order = programme.approval_order

    content = render_order(order)

    text = flat(docx_text(content))
    first = "Приложение № 1 к приказу от 1 сентября 2025 г. № 1-о"
    second = "Приложение № 2 к приказу от 1 сентября 2025 г. № 1-о"
    # The order itself, then the programme under appendix 1, then the roadmap under appendix 2.
    order_at = text.index("ПРИКАЗЫВАЮ:")
    assert order_at < text.index(first) < text.index(second)
    assert flat(docx_text(render_programme(programme)))[:200] in text[text.index(first) :]
    assert flat(docx_text(render_roadmap(programme)))[:200] in text[text.index(second) :]
    # Each appendix starts on a page of its own, and «№ 1» never breaks across lines.
    xml = _document_xml(content)
    assert xml.count('w:type="page"') >= 2
    assert "Приложение №\u00a01 к приказу" in xml


def _document_xml(content):
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()
