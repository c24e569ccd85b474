"""The operator's pages and the regional report: figures counted by hand, small cells
suppressed, no personal datum anywhere, and each operator kept to their own area."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from nastavnik.compliance.models import ComplianceTally
from nastavnik.dashboards.models import RegionReport, RegionReportDownload, ReportStatus
from nastavnik.dashboards.region import region_figures
from nastavnik.dashboards.report import summary
from nastavnik.dashboards.suppression import SUPPRESSED, count_cell, mean_cell, percent_cell
from nastavnik.documents.render import docx_text
from nastavnik.indicators.tests import data
from nastavnik.orgs.models import Organisation, RegionalOperator, Role
from nastavnik.orgs.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)
from nastavnik.people.tests.factories import PersonFactory

# Planted in the people of the organisations: none may appear on a page or in an export.
SECRETS = ("Засекреченная", "Тайнова", "secret.child@mail.demo", "+7 999 123-45-67", "Утечкин")


@pytest.fixture
def region_world(db):
    region = RegionFactory(name="Свердловская область", code="66")
    other = RegionFactory(name="Пермский край", code="59")
    town = MunicipalityFactory(region=region, name="Первоуральск")
    village = MunicipalityFactory(region=region, name="Ревда")
    far = MunicipalityFactory(region=other, name="Пермь")
    school5 = OrganisationFactory(municipality=town, short_name="СШ № 5", slug="s5")
    school2 = OrganisationFactory(municipality=village, short_name="СШ № 2", slug="s2")
    perm = OrganisationFactory(municipality=far, short_name="Пермская школа", slug="p1")
    # СШ № 5: 12 students (8 in mentoring), 6 staff (5 mentors).
    pupils = [
        PersonFactory(
            organisation=school5,
            last_name="Тайнова",
            first_name="Засекреченная",
            email="secret.child@mail.demo",
            phone="+7 999 123-45-67",
            birth_date=date(2012, 3, 1),
        )
        for _ in range(12)
    ]
    teachers = data.staff(school5, 6)
    programme = data.programme(school5, data_year())
    for n in range(4):
        data.pair(programme, teachers[n], [pupils[2 * n], pupils[2 * n + 1]])
    data.pair(programme, teachers[4], [pupils[11]], form="teacher-student")
    # СШ № 2: 3 students, one of them a mentee: every cell small.
    small = data.students(school2, 3)
    data.staff(school2, 1)
    data.pair(data.programme(school2, data_year()), small[0], [small[1]])
    PersonFactory.create_batch(4, organisation=perm, last_name="Утечкин")
    return {
        "region": region,
        "town": town,
        "village": village,
        "far": far,
        "orgs": (school5, school2, perm),
    }


def data_year() -> int:
    from django.utils import timezone

    from nastavnik.orgs.models import AcademicYear

    return AcademicYear.start_year_for(timezone.localdate())


def operator(region_world, municipality=None):
    user = UserFactory()
    RegionalOperator.objects.create(
        user=user, region=region_world["region"], municipality=municipality
    )
    return user


def test_small_cells_read_less_than_five_and_so_do_their_shares():
    assert count_cell(4) == SUPPRESSED
    assert count_cell(0) == SUPPRESSED
    assert count_cell(5) == 5
    assert percent_cell(4, 100) == SUPPRESSED
    assert percent_cell(40, 4) == SUPPRESSED
    assert percent_cell(5, 10) == 50.0
    assert percent_cell(0, 0) is None
    assert mean_cell(8.0, 3) == SUPPRESSED
    assert mean_cell(8.25, 6) == 8.25


@pytest.mark.django_db
def test_regional_operator_sees_coverage_of_each_organisation_against_its_target(
    client, region_world
):
    client.force_login(operator(region_world))

    response = client.get(reverse("region:dashboard"))

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {"СШ № 5", "СШ № 2"}
    s5 = rows["СШ № 5"]
    assert (s5["students"], s5["students_covered"], s5["students_percent"]) == (12, 9, 75.0)
    assert (s5["staff"], s5["staff_covered"]) == (6, 5)
    # The default targets of seed 004 (70 % from 2024 on) are the region's own as well.
    assert (s5["students_target"], s5["teachers_target"]) == (70, 70)
    assert s5["pairs"] == SUPPRESSED  # one pair of its own
    s2 = rows["СШ № 2"]
    assert s2["students"] == SUPPRESSED
    assert s2["students_covered"] == SUPPRESSED
    assert s2["students_percent"] == SUPPRESSED
    total = response.context["total"]
    assert (total["students"], total["students_covered"]) == (15, 11)
    assert (total["students_target"], total["teachers_target"]) == (70, 70)


@pytest.mark.django_db
def test_municipal_operator_sees_only_the_municipality(client, region_world):
    client.force_login(operator(region_world, region_world["town"]))

    response = client.get(reverse("region:dashboard"))

    assert [row["name"] for row in response.context["rows"]] == ["СШ № 5"]


@pytest.mark.django_db
def test_a_municipality_outside_the_scope_is_refused_with_a_message(client, region_world):
    client.force_login(operator(region_world, region_world["town"]))

    with translation.override("ru"):
        response = client.get(reverse("region:dashboard"), {"municipality": region_world["far"].pk})

    assert response.status_code == 200
    assert "Выберите муниципалитет из своих." in response.content.decode()
    assert [row["name"] for row in response.context["rows"]] == ["СШ № 5"]


@pytest.mark.django_db
def test_the_filters_narrow_by_municipality_and_kind(client, region_world):
    client.force_login(operator(region_world))

    by_town = client.get(reverse("region:dashboard"), {"municipality": region_world["village"].pk})
    by_kind = client.get(reverse("region:dashboard"), {"kind": "college"})

    assert [row["name"] for row in by_town.context["rows"]] == ["СШ № 2"]
    assert by_kind.context["rows"] == []


@pytest.mark.django_db
def test_the_figures_cost_the_same_queries_for_one_organisation_and_for_many(region_world):
    orgs = region_world["orgs"]

    def queries(organisations):
        with CaptureQueriesContext(connection) as captured:
            region_figures(organisations, date.today())
        return len(captured)

    one = queries(Organisation.objects.filter(pk=orgs[0].pk))
    many = queries(Organisation.objects.filter(pk__in=[o.pk for o in orgs]))

    assert one == many <= 15


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.CURATOR, Role.MENTEE])
def test_school_members_find_none_of_the_operator_pages(client, region_world, tenant_a, role):
    owner = operator(region_world)
    report = RegionReport.objects.create(created_by=owner, status=ReportStatus.DONE)
    client.force_login(tenant_a.user(role))

    for url in (
        reverse("region:dashboard"),
        reverse("region:report", kwargs={"report_pk": report.pk}),
        reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "xlsx"}),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("region:report_new")).status_code == 404
    assert RegionReport.objects.count() == 1


@pytest.mark.django_db
def test_an_operator_cannot_open_another_operators_report(client, region_world):
    owner, other = operator(region_world), operator(region_world)
    client.force_login(owner)
    client.post(reverse("region:report_new"), {})
    report = RegionReport.objects.get(created_by=owner)
    client.force_login(other)

    url = reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "docx"})
    assert client.get(url).status_code == 404
    assert client.get(reverse("region:report", kwargs={"report_pk": report.pk})).status_code == 404
    assert not RegionReportDownload.objects.exists()


@pytest.mark.django_db
def test_a_bad_filter_starts_no_report(client, region_world):
    client.force_login(operator(region_world, region_world["town"]))

    with translation.override("ru"):
        response = client.post(
            reverse("region:report_new"), {"municipality": region_world["far"].pk}
        )

    assert response.status_code == 400
    assert "Выберите муниципалитет из своих." in response.content.decode()
    assert not RegionReport.objects.exists()


@pytest.mark.django_db
def test_the_report_is_made_downloaded_and_recorded_and_holds_no_personal_data(
    client, region_world
):
    user = operator(region_world)
    client.force_login(user)

    with translation.override("ru"):
        started = client.post(reverse("region:report_new"), {})
        report = RegionReport.objects.get(created_by=user)
        page = client.get(started["Location"]).content.decode()
        docx = client.get(
            reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "docx"})
        )
        xlsx = client.get(
            reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "xlsx"})
        )
        dashboard = client.get(reverse("region:dashboard")).content.decode()

    assert report.status == ReportStatus.DONE
    assert report.steps_done == report.steps_total == 3
    assert "Скачать DOCX" in page
    text = docx_text(b"".join(docx.streaming_content))
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "СШ № 5" in text and "СШ № 2" in text and "СШ № 5" in cells
    assert SUPPRESSED in text and SUPPRESSED in cells
    assert "Пермская школа" not in text + cells + dashboard
    for secret in SECRETS:
        assert secret not in text
        assert secret not in cells
        assert secret not in dashboard
        assert secret not in page
    assert list(RegionReportDownload.objects.values_list("user", "format")) == [
        (user.pk, "xlsx"),
        (user.pk, "docx"),
    ]


@pytest.mark.django_db
def test_the_summary_counts_in_correct_russian(region_world):
    orgs = Organisation.objects.filter(pk__in=[o.pk for o in region_world["orgs"][:2]])

    lines = summary(region_figures(orgs, date.today()))

    assert lines[0].startswith("Отчёт охватывает 2 организации из 2 муниципалитетов")


@pytest.mark.django_db
def test_the_page_counts_organisations_in_correct_russian(client, region_world):
    client.force_login(operator(region_world))

    with translation.override("ru"):
        page = client.get(reverse("region:dashboard")).content.decode()

    assert "<strong>2</strong> <span>организации</span>" in page


@pytest.mark.django_db
def test_a_report_waiting_for_the_worker_shows_its_progress_bar(client, region_world):
    user = operator(region_world)
    report = RegionReport.objects.create(
        created_by=user, status=ReportStatus.RUNNING, steps_total=3, steps_done=1
    )
    client.force_login(user)

    with translation.override("ru"):
        page = client.get(reverse("region:report", kwargs={"report_pk": report.pk}))
        polled = client.get(
            reverse("region:report", kwargs={"report_pk": report.pk}), HTTP_HX_REQUEST="true"
        )

    assert '<progress class="progress" max="3" value="1">33%</progress>' in page.content.decode()
    assert "Пишется DOCX… (33%)" in polled.content.decode()
    assert "<html" not in polled.content.decode()
    download = reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "docx"})
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_the_rule_breaches_are_those_counted_in_the_organisations(client, region_world):
    client.force_login(operator(region_world))
    before = client.get(reverse("region:dashboard"))

    call_command("count_compliance", stdout=io.StringIO())
    after = client.get(reverse("region:dashboard"))

    assert {row["compliance"] for row in before.context["rows"]} == {None}
    assert before.context["figures"].compliance_missing == 2
    counted = dict(ComplianceTally.objects.values_list("organisation__short_name", "broken"))
    assert {row["name"]: row["compliance"] for row in after.context["rows"]} == {
        "СШ № 5": counted["СШ № 5"],
        "СШ № 2": counted["СШ № 2"],
    }
    assert after.context["figures"].compliance_missing == 0
