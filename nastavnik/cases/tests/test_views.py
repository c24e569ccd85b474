"""The library through its pages: search and filters, writing from a pair, publishing, the
XLSX export, who sees drafts."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from nastavnik.cases.models import Case, CaseStatus
from nastavnik.cases.services import MESSAGES
from nastavnik.cases.tests.data import case, consent_all, pair, programme_of
from nastavnik.orgs.models import Role
from nastavnik.programmes.tests.data import builtin_form, programme

pytestmark = pytest.mark.django_db


def url(tenant, name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


@pytest.fixture
def library(tenant_a):
    programme = programme_of(tenant_a.organisation)
    return {
        "adaptation": case(programme, without_names=True, published=True),
        "olympiad": case(
            programme,
            title="Подготовка к олимпиаде по физике",
            situation="Сильный ученик терял интерес к предмету.",
            actions="Разбор олимпиадных задач, выезд в технопарк «Кванториум».",
            results="Призёр муниципального этапа.",
            keywords="олимпиада, физика",
            form=builtin_form("teacher-student"),
            published=True,
            without_names=True,
        ),
        "draft": case(programme, title="Черновик о ёлочной игрушке"),
    }


def test_search_matches_every_word_in_any_case_and_with_yo(curator_client, tenant_a, library):
    assert titles(curator_client.get(url(tenant_a, "list"), {"q": "ОЛИМПИАДЕ физик"})) == [
        "Подготовка к олимпиаде по физике"
    ]
    assert titles(curator_client.get(url(tenant_a, "list"), {"q": "КВАНТОРИУМ"})) == [
        "Подготовка к олимпиаде по физике"
    ]
    # «ё» and «е» are one letter to the search.
    assert titles(curator_client.get(url(tenant_a, "list"), {"q": "елочной"})) == [
        "Черновик о ёлочной игрушке"
    ]
    assert titles(curator_client.get(url(tenant_a, "list"), {"q": "олимпиада адаптация"})) == []


def test_filters_by_form_year_and_status(curator_client, tenant_a, library):
    form = builtin_form("teacher-student")
    assert titles(curator_client.get(url(tenant_a, "list"), {"form": form.pk})) == [
        "Подготовка к олимпиаде по физике"
    ]
    year = library["draft"].programme.academic_year.start_year
    earlier = programme(tenant_a.organisation, year - 1, roadmap=False, with_curator=False)
    case(earlier, title="Кейс прошлого года", without_names=True)
    assert len(titles(curator_client.get(url(tenant_a, "list"), {"year": year}))) == 3
    assert titles(curator_client.get(url(tenant_a, "list"), {"year": year - 1})) == [
        "Кейс прошлого года"
    ]
    drafts = curator_client.get(url(tenant_a, "list"), {"status": CaseStatus.DRAFT})
    assert sorted(titles(drafts)) == ["Кейс прошлого года", "Черновик о ёлочной игрушке"]


def test_a_mentor_reads_the_published_cases_only(client, tenant_a, library):
    client.force_login(tenant_a.user(Role.MENTOR))

    listed = titles(client.get(url(tenant_a, "list")))

    assert "Черновик о ёлочной игрушке" not in listed and len(listed) == 2
    assert client.get(url(tenant_a, "detail", case_pk=library["draft"].pk)).status_code == 404
    assert client.get(url(tenant_a, "create")).status_code == 403


def test_a_case_is_written_from_a_pair_with_its_data_prefilled(curator_client, tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    address = url(tenant_a, "from_mentorship", mentorship_pk=mentorship.pk)

    form = curator_client.get(address).context["form"]
    assert form.initial["form"] == mentorship.form
    assert "Трудности с дробями" in form.initial["situation"]

    response = curator_client.post(
        address,
        {
            "title": "Дроби без страха",
            "form": mentorship.form.pk,
            "actions": "Игры с дробями",
            "results": "«4» за четверть",
        },
    )

    made = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{made.pk}/")
    assert made.mentorship == mentorship and made.author == tenant_a.user(Role.CURATOR)


def test_an_empty_title_shows_the_message_and_saves_nothing(curator_client, tenant_a):
    programme_of(tenant_a.organisation)

    response = curator_client.post(url(tenant_a, "create"), {"title": " ", "form": ""})

    assert response.status_code == 200
    assert gettext(MESSAGES["title_required"]) in response.content.decode()
    assert Case.objects.count() == 0


def test_publishing_without_consent_shows_why_and_the_case_stays_a_draft(curator_client, tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    made = case(mentorship.programme, mentorship)

    response = curator_client.post(
        url(tenant_a, "publish", case_pk=made.pk), {"action": "publish"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    # The whole translated message, up to where the names begin.
    lead = gettext(MESSAGES["no_consent"]).split("%(names)s")[0]
    assert any(m.startswith(lead) for m in messages)
    made.refresh_from_db()
    assert made.status == CaseStatus.DRAFT


def test_publishing_with_consents_and_the_names_on_the_card(curator_client, tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    consent_all(mentorship)
    made = case(mentorship.programme, mentorship)

    curator_client.post(url(tenant_a, "publish", case_pk=made.pk), {"action": "publish"})

    made.refresh_from_db()
    assert made.is_published
    page = curator_client.get(url(tenant_a, "detail", case_pk=made.pk)).content.decode()
    person = mentorship.mentor.person
    assert f"{person.last_name} {person.first_name}" in page


def test_the_export_is_a_workbook_of_the_filtered_library_safe_from_formulas(
    curator_client, tenant_a, library
):
    programme = programme_of(tenant_a.organisation)
    case(programme, title='=HYPERLINK("http://evil")', without_names=True)

    response = curator_client.get(url(tenant_a, "export"), {"q": "hyperlink"})

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "Название", "Учебный год")
    assert len(rows) == 2
    title = sheet.cell(row=2, column=2)
    assert title.value == '=HYPERLINK("http://evil")' and title.data_type == "s"
    assert rows[1][5] == "без имён"


def test_the_export_names_a_pair_only_under_consent(curator_client, tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    case(mentorship.programme, mentorship, title="Без согласия")

    response = curator_client.get(url(tenant_a, "export"))

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    row = list(sheet.iter_rows(values_only=True))[1]
    assert row[1] == "Без согласия" and row[5] == "без имён"
    assert mentorship.mentor.person.last_name not in "".join(str(v) for v in row if v)


def test_the_list_costs_the_same_queries_for_one_and_for_many(
    curator_client, tenant_a, django_assert_max_num_queries
):
    programme = programme_of(tenant_a.organisation)
    mentorship = pair(programme)
    case(programme, mentorship)
    with django_assert_max_num_queries(20) as one:
        curator_client.get(url(tenant_a, "list"))
    for _ in range(4):
        case(programme, pair(programme))

    with django_assert_max_num_queries(len(one.captured_queries)):
        curator_client.get(url(tenant_a, "list"))


def test_on_postgresql_another_form_of_a_word_finds_the_case(curator_client, tenant_a, library):
    if connection.vendor != "postgresql":
        pytest.skip("Russian stemming is PostgreSQL's full-text search")

    found = titles(curator_client.get(url(tenant_a, "list"), {"q": "олимпиадой"}))

    assert found == ["Подготовка к олимпиаде по физике"]
