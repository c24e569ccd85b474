"""Programmes for tests, built through the services as a curator would build them."""

from __future__ import annotations

from datetime import date

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person
from nastavnik.people.tests.data import fio
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.people.validators import org_today  # noqa: F401 -- for tests
from nastavnik.programmes import services
from nastavnik.programmes.models import PlanSection, Programme

YEAR = 2025
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def year(start_year: int = YEAR) -> AcademicYear:
    return AcademicYear.objects.get_or_create(start_year=start_year)[0]


def curator(org: Organisation) -> Person:
    return StaffFactory(
        organisation=org,
        **fio("Петрова Анна Сергеевна"),
        gender="f",
        position="Заместитель директора по воспитательной работе",
    )


def director(org: Organisation) -> Person:
    return StaffFactory(
        organisation=org,
        **fio("Иванов Иван Иванович"),
        gender="m",
        position="Директор",
    )


def builtin_form(code: str) -> MentoringForm:
    return MentoringForm.objects.get(code=code, organisation__isnull=True)


def programme(
    org: Organisation,
    start_year: int = YEAR,
    *,
    forms: tuple[str, ...] = ("student-student", "teacher-teacher"),
    with_curator: bool = True,
    roadmap: bool = True,
) -> Programme:
    made = services.programme_create(
        org,
        year(start_year),
        by=None,
        curator=curator(org) if with_curator else None,
        goal="Раскрытие потенциала личности наставляемого.",
        tasks="Улучшение образовательных результатов\nАдаптация молодых педагогов",
        expected_results="Рост успеваемости\nЗакрепление молодых специалистов",
        explanatory_note="Программа продолжает работу прошлых лет.",
    )
    for code in forms:
        chosen = services.programme_form_add(made, builtin_form(code), by=None)
        models = list(RoleModel.objects.filter(form=chosen.form, organisation__isnull=True)[:2])
        services.programme_form_update(
            chosen,
            role_models=models,
            goal=chosen.goal,
            tasks="Помощь в адаптации\nРазвитие гибких навыков",
            expected_results="Повышение успеваемости",
            by=None,
        )
        services.typical_plan_save(
            chosen,
            [
                {"section": PlanSection.GOAL, "text": "Повысить успеваемость", "timing": ""},
                {"section": PlanSection.ACTIVITY, "text": "Разбор ошибок", "timing": "октябрь"},
            ],
            by=None,
        )
    if roadmap:
        services.roadmap_generate(made, by=None)
    return made


def approved_programme(org: Organisation, start_year: int = YEAR) -> Programme:
    from django.core.files.base import ContentFile

    made = programme(org, start_year)
    order = services.programme_approval_order_create(
        made, number="1-о", date=date(start_year, 9, 1), signatory=director(org), by=None
    )
    order_sign(order, ContentFile(PDF, name="scan.pdf"), by=None)
    made.refresh_from_db()
    return made
