"""The indicators page, the monitoring report (DOCX) and the indicators (XLSX), read back."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from nastavnik.catalogue.models import MentoringForm
from nastavnik.documents.render import docx_text
from nastavnik.documents.russian import format_date
from nastavnik.indicators import services
from nastavnik.indicators.tests import data
from nastavnik.monitoring.models import Quadrant, SwotAnalysis, SwotItem
from nastavnik.monitoring.tests.data import campaign, measure, respond
from nastavnik.orgs.models import AcademicYear, Role
from nastavnik.people.validators import org_today


def _url(name, org, programme):
    return reverse(
        f"indicators:{name}", kwargs={"org_slug": org.slug, "programme_pk": programme.pk}
    )


def _full_year(org, pairs: int = 1):
    """A programme of the running year with pairs, satisfaction, measures and a SWOT."""
    programme = data.programme(org, AcademicYear.start_year_for(org_today(org)))
    s, t = data.students(org, 2 * pairs + 2), data.staff(org, pairs + 1)
    for number in range(pairs):
        data.pair(programme, t[number], [s[number]])
    made = campaign(programme, "mentee-satisfaction")
    respond(made, s[0], {"effectiveness": 9, "comfort": 7})
    for person in s[:2]:
        measure(programme, person, "engagement", 4, 7)
    analysis = SwotAnalysis.objects.create(organisation=org, programme=programme)
    SwotItem.objects.create(
        organisation=org,
        analysis=analysis,
        quadrant=Quadrant.STRENGTHS,
        text="Пары встречаются регулярно",
    )
    SwotItem.objects.create(
        organisation=org,
        analysis=analysis,
        quadrant=Quadrant.THREATS,
        text="Нагрузка на наставников растёт",
    )
    return programme


def test_the_page_shows_figures_and_charts(curator_client, tenant_a):
    programme = _full_year(tenant_a.organisation)
    page = curator_client.get(_url("programme", tenant_a.organisation, programme))
    html = page.content.decode()
    assert page.status_code == 200
    assert gettext("Students in mentoring") in html
    assert html.count("<svg") == 3  # coverage, satisfaction by form, entry and exit
    assert "Вовлечённость" in html


def test_the_charts_carry_no_inline_style_the_content_security_policy_would_refuse(
    curator_client, tenant_a
):
    programme = _full_year(tenant_a.organisation)
    html = curator_client.get(_url("programme", tenant_a.organisation, programme)).content.decode()
    charts = [part.split("</svg>")[0] for part in html.split("<svg")[1:]]

    assert len(charts) == 3
    for chart in charts:
        assert "<style" not in chart and " style=" not in chart
        # The colours are still there, as presentation attributes.
        assert 'fill="#2f6f9f"' in chart or 'fill="#3a8f5c"' in chart or 'fill="#9bb7d0"' in chart
        assert 'stroke-linejoin="round"' in chart


def test_the_index_opens_the_running_year(curator_client, tenant_a):
    programme = _full_year(tenant_a.organisation)
    response = curator_client.get(
        reverse("indicators:index", kwargs={"org_slug": tenant_a.organisation.slug})
    )
    assert response.url == _url("programme", tenant_a.organisation, programme)


def test_without_a_programme_the_index_says_so(curator_client, tenant_a):
    response = curator_client.get(
        reverse("indicators:index", kwargs={"org_slug": tenant_a.organisation.slug})
    )
    assert (
        gettext(
            "There is no mentoring programme yet: the indicators are counted for a programme year."
        )
        in response.content.decode()
    )


def test_the_page_costs_the_same_queries_for_one_pair_and_for_five(
    curator_client, tenant_a, tenant_b
):
    small = _full_year(tenant_a.organisation, pairs=1)
    big = _full_year(tenant_b.organisation, pairs=5)
    curator_client.get(_url("programme", tenant_a.organisation, small))  # warm caches

    with CaptureQueriesContext(connection) as one:
        curator_client.get(_url("programme", tenant_a.organisation, small))
    curator_client.force_login(tenant_b.user(Role.CURATOR))
    with CaptureQueriesContext(connection) as five:
        curator_client.get(_url("programme", tenant_b.organisation, big))
    assert len(one) == len(five)
    assert len(five) <= 40


def test_the_report_has_every_section_with_the_data(curator_client, tenant_a):
    org = tenant_a.organisation
    programme = _full_year(org)
    services.snapshot_take(programme, today=org_today(org), by=None)
    response = curator_client.get(_url("report_docx", org, programme))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = docx_text(response.content)
    assert "ОТЧЁТ" in text
    assert f"за {programme.academic_year.label} учебный год" in text
    assert "Охват обучающихся наставничеством" in text
    assert "не менее 70 %" in text
    assert "Пары встречаются регулярно" in text and "Угрозы" in text
    assert "Вовлечённость" in text
    assert "по видам наставничества" in text and "Традиционное (один на один)" in text
    assert "Нет данных за этот год" not in text
    day = org_today(org)
    assert f"{day:%d.%m.%Y}" in text  # the snapshot's row
    # Russian dates: «Составлен 23 ноября 2026 г.»
    assert f"Составлен {format_date(day)}" in text


def test_an_empty_year_gives_an_honest_empty_report(curator_client, tenant_a):
    programme = data.programme(tenant_a.organisation, 2023)
    response = curator_client.get(_url("report_docx", tenant_a.organisation, programme))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert (
        text.count("Нет данных за этот год") == 5
    )  # indicators, stage 1, SWOT, stage 2, snapshots

    response = curator_client.get(_url("xlsx", tenant_a.organisation, programme))
    book = load_workbook(io.BytesIO(response.content))
    pairs_sheet = book.worksheets[2]
    assert pairs_sheet["A2"].value == gettext("No data for this year")


def test_the_xlsx_holds_the_tables_as_numbers(curator_client, tenant_a):
    org = tenant_a.organisation
    programme = _full_year(org)
    services.snapshot_take(programme, today=org_today(org), by=None)
    response = curator_client.get(_url("xlsx", org, programme))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 8
    summary, coverage, forms, kinds, _completion, satisfaction, impact, snapshots = book.worksheets
    assert summary["A2"].value == gettext("Students in mentoring")
    # 1 of 4 students, 1 of 2 staff.
    assert summary["B2"].value == 25.0
    assert coverage["B2"].value == 4 and coverage["C2"].value == 1 and coverage["E2"].value == 70
    assert forms["C2"].value == 1
    assert kinds["A2"].value == gettext("Traditional (one to one)") and kinds["B2"].value == 1
    assert satisfaction["B2"].value == 8.0
    assert impact["C2"].value == 4 and impact["D2"].value == 7
    assert snapshots["A2"].value.date() == org_today(org)


def test_text_from_the_data_is_never_a_formula_in_the_xlsx(curator_client, tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, 2025)
    form = MentoringForm.objects.filter(organisation__isnull=True).first()
    data.pair(programme, data.staff(org, 1)[0], data.students(org, 1))
    MentoringForm.objects.filter(pk=form.pk).update(name="=1+2")
    book = load_workbook(io.BytesIO(curator_client.get(_url("xlsx", org, programme)).content))
    cell = book.worksheets[2]["A2"]
    assert cell.data_type == "s" and cell.value == "=1+2"


@pytest.mark.parametrize("name", ["report_docx", "xlsx", "programme"])
def test_the_specialist_may_read_and_the_mentor_may_not(client, tenant_a, name):
    programme = data.programme(tenant_a.organisation, 2025)
    client.force_login(tenant_a.user(Role.SPECIALIST))
    assert client.get(_url(name, tenant_a.organisation, programme)).status_code == 200
    client.force_login(tenant_a.user(Role.MENTEE))
    assert client.get(_url(name, tenant_a.organisation, programme)).status_code == 403
