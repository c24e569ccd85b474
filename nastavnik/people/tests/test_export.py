"""Export of the registry list to XLSX: filters, tenancy, permissions, formula injection."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.orgs.models import Role
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import GuardianLinkFactory, PersonFactory, StaffFactory
from nastavnik.people.tests.importing import last_job, start, url

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()], workbook


def export(client, **params):
    response = client.get(url("export"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def test_the_export_takes_the_filters_of_the_list(curator_client, tenant_a):
    org = tenant_a.organisation
    seventh = PersonFactory(
        organisation=org,
        last_name="Иванов",
        first_name="Пётр",
        grade=7,
        birth_date=date(2012, 9, 5),
    )
    PersonFactory(organisation=org, last_name="Петров", grade=9)
    StaffFactory(organisation=org, last_name="Сидорова", gender="f")

    rows, _book = sheet_rows(export(curator_client, kind="student", grade="7"))

    assert rows[0][:6] == ["Фамилия", "Имя", "Отчество", "Пол", "Дата рождения", "Класс"]
    assert len(rows) == 2
    assert rows[1][:6] == ["Иванов", "Пётр", seventh.middle_name, "м", rows[1][4], "7А"]
    assert rows[1][4].date() == date(2012, 9, 5)


def test_the_export_of_students_lists_their_guardians(curator_client, tenant_a):
    link = GuardianLinkFactory(guardian__organisation=tenant_a.organisation)

    rows, _book = sheet_rows(export(curator_client, kind="student"))

    assert rows[0][-1] == "Родитель"
    assert rows[1][-1] == link.guardian.full_name


def test_another_organisations_people_never_appear(curator_client, tenant_a, tenant_b):
    PersonFactory(organisation=tenant_a.organisation, last_name="Свой")
    PersonFactory(organisation=tenant_b.organisation, last_name="Чужой")

    rows, _book = sheet_rows(export(curator_client))

    names = [row[1] for row in rows[1:]]
    assert names == ["Свой"]
    assert rows[0][0] == "Категория"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CURATOR, 200), (Role.DIRECTOR, 200), (Role.SPECIALIST, 403), (Role.MENTOR, 403)],
)
def test_who_may_export(client, tenant_a, role, status):
    PersonFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(role))

    assert client.get(url("export")).status_code == status


def test_an_outsider_gets_404(client, tenant_a, tenant_b):
    PersonFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_b.user(Role.CURATOR))

    assert client.get(url("export")).status_code == 404


DANGEROUS = {
    "position": '=HYPERLINK("http://evil.example","Открыть")',
    "subjects": "+cmd|' /C calc'!A0",
    "middle_name": "-2+3",
    "notes": "@SUM(1+1)*cmd|' /C calc'!A0",
    "email": "\t=1+1",
    "phone": "+7 916 123-45-67",
}


def test_text_that_looks_like_a_formula_is_written_as_text(curator_client, tenant_a):
    # Written around the validators, as a careless import or an old record might have it.
    StaffFactory(organisation=tenant_a.organisation, last_name="Иванов", **DANGEROUS)

    _rows, workbook = sheet_rows(export(curator_client, kind="staff"))

    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for value in DANGEROUS.values():
        found = [c for c in cells if c.value == value]
        assert len(found) == 1, (value, [c.value for c in cells])
        [cell] = found
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_an_exported_list_imports_back_without_changes(curator_client, tenant_a):
    org = tenant_a.organisation
    child = PersonFactory(organisation=org, last_name="Орлов", first_name="Глеб", phone="+7 900 1")
    child.phone = ""
    child.save()
    GuardianLinkFactory(guardian__organisation=org, child=child)
    before = list(Person.objects.order_by("pk").values_list())

    exported = export(curator_client, kind="student")
    preview = start(
        curator_client, SimpleUploadedFile("выгрузка.xlsx", exported.content), kind="student"
    )

    summary = preview.context["summary"]
    assert (summary["create"], summary["update"], summary["invalid"]) == (0, 0, 0)
    assert (summary["unchanged"], summary["links"]) == (1, 0)
    assert last_job().mapping
    assert list(Person.objects.order_by("pk").values_list()) == before


def test_people_who_withdrew_consent_are_not_exported(curator_client, tenant_a):
    hidden = StaffFactory(organisation=tenant_a.organisation, last_name="Скрытая")
    StaffFactory(organisation=tenant_a.organisation, last_name="Видимая")
    ConsentFactory(subject=hidden, withdrawn_at=timezone.now(), withdrawal_reason="—")

    rows, _book = sheet_rows(export(curator_client, kind="staff"))

    assert [row[0] for row in rows[1:]] == ["Видимая"]
