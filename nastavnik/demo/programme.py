"""The demo school's programme of the current year: approved by a signed order, with its
roadmap generated from the template, the past events done and two of them overdue.

Built through the same services a curator's clicks go through. The texts follow the
technopark's programme (seed 000).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.core.files.base import ContentFile

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes import services
from nastavnik.programmes.fulfilment import fulfilment_codes
from nastavnik.programmes.models import PlanSection, Programme

# How many of the events already due are left undone, so the dashboards have something to show.
OVERDUE = 2
APPROVAL_NUMBER = "45-о"

NOTE = "\n".join(
    (
        "Программа наставничества в школьном детском технопарке «Кванториум» на базе "
        "МАОУ СШ № 5 направлена на развитие творческого потенциала и профессиональных навыков "
        "обучающихся в области высоких технологий: робототехники, программирования, "
        "VR/AR-технологий и промышленного дизайна.",
        "Под руководством опытных наставников дети учатся в стимулирующей и поддерживающей "
        "среде, осваивают командную работу и креативное мышление; молодые педагоги получают "
        "поддержку опытных коллег.",
    )
)
GOAL = (
    "Развитие творческого и интеллектуального потенциала обучающихся, поддержка их интереса "
    "к области высоких технологий и профессиональное становление молодых педагогов."
)
TASKS = "\n".join(
    (
        "Обеспечение доступа обучающихся к современным технологиям и оборудованию технопарка.",
        "Поддержка интереса обучающихся к науке, технологиям, инженерии и математике.",
        "Индивидуальная работа с обучающимися под руководством опытных наставников.",
        "Формирование навыков командной работы, креативного мышления и решения проблем.",
        "Поддержка молодых специалистов в первые годы работы в школе.",
    )
)
RESULTS = "\n".join(
    (
        "Развитие профессиональных навыков обучающихся в области STEM-образования",
        "Рост числа обучающихся — участников конкурсов, олимпиад и проектной деятельности",
        "Закрепление молодых специалистов в профессии и в коллективе школы",
        "Создание позитивной образовательной среды в школе и технопарке",
    )
)


@dataclass(frozen=True)
class FormSpec:
    code: str
    role_models: tuple[str, ...]
    tasks: tuple[str, ...]
    results: tuple[str, ...]
    plan: tuple[tuple[str, str, str], ...]  # (section, text, timing)


def _read_forms() -> tuple[FormSpec, ...]:
    """The forms' texts, one table of named fields in programme.toml."""
    table = tomllib.loads((Path(__file__).parent / "programme.toml").read_text("utf-8"))
    return tuple(
        FormSpec(
            form["code"],
            tuple(form["role_models"]),
            tuple(form["tasks"]),
            tuple(form["results"]),
            tuple((PlanSection(section), text, timing) for section, text, timing in form["plan"]),
        )
        for form in table["form"]
    )


FORMS = _read_forms()

TEAM = (
    ("Педагог-психолог", "диагностика наставляемых, собеседования с наставниками"),
    ("Социальный педагог", "сбор информации о запросах наставляемых от третьих лиц"),
    (
        "Заместитель директора по учебно-воспитательной работе",
        "методическое сопровождение формы «Учитель – учитель»",
    ),
    ("Педагог-организатор", "групповые и итоговые мероприятия программы"),
)

PARTNERS = (
    {
        "name": "АО «Первоуральский новотрубный завод»",
        "contribution": "Наставники из числа инженеров, экскурсии на производство, кейсы для "
        "проектов обучающихся.",
        "contact_person": "Бюро по работе с молодёжью",
        "phone": "+7 (3439) 29-60-00",
        "agreement_number": "17/СП",
    },
    {
        "name": "УрФУ имени первого Президента России Б. Н. Ельцина",
        "contribution": "Студенты-наставники для формы «Студент – ученик», олимпиадная подготовка.",
        "contact_person": "Институт радиоэлектроники и информационных технологий",
        "agreement_number": "2-НС",
    },
    {
        "name": "Центральная городская библиотека г. Первоуральска",
        "contribution": "Площадка для итоговой конференции наставников и наставляемых.",
        "phone": "+7 (3439) 64-20-20",
    },
)

NOTES = {
    "approve_programme": "Приказ от {date} № " + APPROVAL_NUMBER + ".",
    "inform_teachers": "Педагогический совет, протокол № 1.",
    "inform_parents": "Общешкольное родительское собрание, информация на сайте школы.",
    "inform_students": "Классные часы в 5–11 классах, презентация квантумов технопарка.",
    "mentee_survey": "Анкеты собраны в 5–11 классах; согласия законных представителей — "
    "в папке куратора.",
}


def _staff(people: list[Person], position: str) -> Person | None:
    return next((p for p in people if p.kind == PersonKind.STAFF and p.position == position), None)


def build_programme(
    organisation: Organisation,
    people: list[Person],
    curator: Person,
    director: Person,
    today: date,
) -> Programme:
    year = AcademicYear.containing(today)
    programme = services.programme_create(
        organisation,
        year,
        by=None,
        curator=curator,
        explanatory_note=NOTE,
        goal=GOAL,
        tasks=TASKS,
        expected_results=RESULTS,
    )
    for spec in FORMS:
        form = MentoringForm.objects.get(code=spec.code, organisation__isnull=True)
        chosen = services.programme_form_add(programme, form, by=None)
        services.programme_form_update(
            chosen,
            role_models=RoleModel.objects.filter(
                form=form, organisation__isnull=True, name__in=spec.role_models
            ),
            goal=form.goal,
            tasks="\n".join(spec.tasks),
            expected_results="\n".join(spec.results),
            by=None,
        )
        services.typical_plan_save(
            chosen,
            [{"section": s, "text": t, "timing": w} for s, t, w in spec.plan],
            by=None,
        )
    for position, responsibility in TEAM:
        member = _staff(people, position)
        if member is not None:
            services.team_member_add(programme, member, responsibility=responsibility, by=None)
    for number, partner in enumerate(PARTNERS):
        signed = year.starts_on + timedelta(days=3 + number)
        services.partner_create(
            programme,
            {
                **partner,
                "agreement_date": signed if partner.get("agreement_number") else None,
                "agreement_until": year.ends_on if partner.get("agreement_number") else None,
            },
            by=None,
        )
    events = services.roadmap_generate(programme, by=None)

    approved_on = min(year.starts_on + timedelta(days=1), today)
    order = services.programme_approval_order_create(
        programme, number=APPROVAL_NUMBER, date=approved_on, signatory=director, by=None
    )
    order_sign(order, ContentFile(_scan(), name="scan.pdf"), by=None)

    due = sorted((e for e in events if e.due_on < today), key=lambda e: (e.due_on, e.position))
    # Left undone are events nothing in the data fulfils: one the data fulfil (the first
    # meetings held, the registry order signed) closes itself once the later stages are built.
    manual = [e for e in due if e.template_code not in fulfilment_codes()]
    left_undone = {e.pk for e in manual[-OVERDUE:]} if len(manual) > OVERDUE else set()
    for event in due:
        if event.pk in left_undone:
            continue
        if event.template_code == "approve_programme":
            done_on = approved_on
        else:
            done_on = max(event.window_start, min(event.due_on - timedelta(days=4), today))
        note = NOTES.get(event.template_code, "").format(date=approved_on.strftime("%d.%m.%Y"))
        services.event_complete(event, done_on=done_on, note=note, by=None)
    programme.refresh_from_db()
    return programme


def delete_stored_files(organisations: list[Organisation]) -> None:
    """The demo's documents and scans in storage, so a reset leaves no orphans behind."""
    from django.core.files.storage import default_storage

    from nastavnik.orders.models import Order
    from nastavnik.programmes.models import RoadmapEvent

    names = [
        name
        for document, scan in Order.objects.filter(organisation__in=organisations).values_list(
            "document", "scan"
        )
        for name in (document, scan)
        if name
    ]
    names += [
        name
        for name in RoadmapEvent.objects.filter(organisation__in=organisations).values_list(
            "done_file", flat=True
        )
        if name
    ]
    for name in names:
        default_storage.delete(name)


def _scan() -> bytes:
    """A one-page PDF standing in for the scan of the signed order."""
    text = b"BT /F1 18 Tf 72 760 Td (Signed order scan - demo) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
