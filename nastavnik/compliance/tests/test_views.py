"""The compliance page, its XLSX and the dashboards' count, through the client."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.translation import ngettext
from openpyxl import load_workbook

from nastavnik.compliance.tests.data import pair
from nastavnik.matching.tests.data import mentor
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today

pytestmark = pytest.mark.django_db


def url(org, name="index"):
    return reverse(f"compliance:{name}", kwargs={"org_slug": org.slug})


def over_capacity(programme, name="Перегрузов"):
    full = mentor(programme, capacity=1)
    full.person.last_name = name
    full.person.save(update_fields=["last_name"])
    pair(programme, the_mentor=full)
    pair(programme, the_mentor=full)
    return full


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_those_who_run_the_programme_see_the_rows_and_their_links(
    client, tenant_a, programme, role
):
    org = tenant_a.organisation
    full = over_capacity(programme)
    client.force_login(tenant_a.user(role))

    page = client.get(url(org))

    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="check-mentor_capacity"' in body
    assert f'href="/o/{org.slug}/mentors/{full.pk}/"' in body
    assert full.person.full_name in body
    assert "Положение, п. 2.6" in body


@pytest.mark.parametrize(
    "role", [Role.MENTOR, Role.MENTEE, Role.GUARDIAN, Role.SPECIALIST, Role.COMMISSION_MEMBER]
)
def test_others_of_the_organisation_are_refused(client, tenant_a, programme, role):
    over_capacity(programme)
    client.force_login(tenant_a.user(role))
    assert client.get(url(tenant_a.organisation)).status_code == 403
    assert client.get(url(tenant_a.organisation, "export")).status_code == 403


def test_an_outsider_gets_404_and_sees_nothing(client, tenant_a, tenant_b, programme):
    over_capacity(programme)
    client.force_login(tenant_b.user(Role.DIRECTOR))
    assert client.get(url(tenant_a.organisation)).status_code == 404
    own = client.get(url(tenant_b.organisation)).content.decode()
    assert "Перегрузов" not in own


@pytest.mark.parametrize("rows", [1, 3])
def test_queries_do_not_grow_with_the_rows(
    client, tenant_a, programme, rows, django_assert_num_queries
):
    today = org_today(tenant_a.organisation)
    for number in range(rows):
        over_capacity(programme, f"Перегрузов{number}")
        pair(programme, started_on=today - timedelta(days=400))
    client.force_login(tenant_a.user(Role.CURATOR))
    client.get(url(tenant_a.organisation))  # the roadmap is brought in line once
    # 42 for the checks, and one that keeps the count for the operators' pages.
    with django_assert_num_queries(44):
        page = client.get(url(tenant_a.organisation))
    found = {result.check.code: len(result.rows) for result in page.context["broken"]}
    assert found["mentor_capacity"] == rows
    assert found["pair_over_year"] == rows


def test_the_xlsx_lists_every_row_with_a_link_and_runs_no_formula(client, tenant_a, programme):
    org = tenant_a.organisation
    full = over_capacity(programme, '=HYPERLINK("http://evil")')
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = client.get(url(org, "export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Код", "Правило", "Основание", "Нарушение", "Подробности", "Где исправить")
    capacity = [row for row in rows if row[0] == "mentor_capacity"]
    assert len(capacity) == 1
    assert capacity[0][2] == "Положение, п. 2.6"
    assert capacity[0][5] == f"http://testserver/o/{org.slug}/mentors/{full.pk}/"
    cell = next(c for c in sheet["D"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_the_dashboard_counts_the_violations_and_links_to_the_page(client, tenant_a, programme):
    org = tenant_a.organisation
    client.force_login(tenant_a.user(Role.CURATOR))
    before = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))
    count_before = before.context["compliance_broken"]
    over_capacity(programme)

    after = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))

    # The two pairs break more than the capacity: no order, no plan yet, an untrained mentor.
    assert after.context["compliance_broken"] > count_before
    # Counted without labelling the rows, it is the number the compliance page lists.
    page = client.get(reverse("compliance:index", kwargs={"org_slug": org.slug}))
    assert after.context["compliance_broken"] == page.context["total"]
    n = after.context["compliance_broken"]
    shown = ngettext(
        "%(n)s violation of the regulation", "%(n)s violations of the regulation", n
    ) % {"n": n}
    assert shown in after.content.decode()
    assert f'href="{url(org)}"' in after.content.decode()


def test_the_dashboard_of_a_mentor_shows_no_count(client, tenant_a, programme):
    client.force_login(tenant_a.user(Role.MENTOR))
    page = client.get(reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug}))
    assert "compliance_broken" not in page.context
    assert url(tenant_a.organisation) not in page.content.decode()
