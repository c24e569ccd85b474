"""A regional operator's door to the API: a token made on the regional page, aggregate figures
of the organisations they cover, small counts withheld, nothing of a school's rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.api.models import ApiToken
from nastavnik.api.tokens import token_create
from nastavnik.dashboards.suppression import MIN_CELL as SMALL_CELL
from nastavnik.mentees.tests.factories import MenteeFactory
from nastavnik.orgs.models import RegionalOperator, Role
from nastavnik.orgs.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory
from nastavnik.people.tests.factories import PersonFactory
from tests.test_api_isolation import ALL_WRITE

pytestmark = pytest.mark.django_db

PAGE = reverse("region:api_tokens")
ORGANISATIONS = "/api/v1/region/organisations"


@pytest.fixture
def operator(tenant_a):
    """An operator of school A's municipality; school B of another region stays out of it."""
    user = UserFactory(email="operator@region.ru")
    RegionalOperator.objects.create(
        user=user,
        region=tenant_a.organisation.municipality.region,
        municipality=tenant_a.organisation.municipality,
    )
    return user


def made_token(client, operator) -> str:
    client.force_login(operator)
    response = client.post(PAGE, {"name": "Портал региона", "days": 30})
    assert response.status_code == 200
    client.logout()
    return response.context["secret"]


def get(client, secret, url=ORGANISATIONS):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_operator_pulls_counts_of_their_organisations_with_small_cells_withheld(
    client, operator, tenant_a, tenant_b
):
    neighbour = OrganisationFactory(municipality=tenant_a.organisation.municipality)
    for _ in range(SMALL_CELL):
        PersonFactory(organisation=tenant_a.organisation)
    MenteeFactory(person__organisation=tenant_a.organisation)
    PersonFactory(organisation=neighbour)
    secret = made_token(client, operator)

    body = get(client, secret).json()

    assert body["count"] == 2
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {tenant_a.organisation.pk, neighbour.pk}
    school = rows[tenant_a.organisation.pk]
    # Six pupils are shown; one mentee is a small cell: null, and named.
    assert school["students"] == SMALL_CELL + 1
    assert school["mentees"] is None and "mentees" in school["suppressed"]
    # Zero is a small cell too («nobody of the 3» says as much as «all 3»).
    assert school["mentors"] is None and "mentors" in school["suppressed"]
    assert rows[neighbour.pk]["students"] is None
    # Counts and names of organisations only: nothing that names a person.
    assert set(school) == {
        "id", "short_name", "municipality_id", "municipality", "students", "staff",
        "mentees", "mentors", "active_pairs", "suppressed", "small_cell",
    }  # fmt: skip


def test_regional_token_opens_no_school_and_a_school_token_no_region(client, operator, tenant_a):
    regional = made_token(client, operator)
    school = ApiToken.objects.get(organisation=None)
    assert school.scopes == {"region": "read"}
    school_secret = token_create(
        tenant_a.organisation, tenant_a.user(Role.DIRECTOR), name="t", scopes=ALL_WRITE, days=7
    )[1]

    assert get(client, regional, "/api/v1/o/school-a/people").status_code == 404
    assert get(client, school_secret).status_code == 404
    assert get(client, "nst_unknown").status_code == 401


def test_page_is_not_found_for_someone_who_is_no_operator(client, tenant_a):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"name": "x", "days": 30}).status_code == 404
    assert not ApiToken.objects.exists()


def test_token_without_a_name_is_refused_in_russian_and_nothing_is_made(client, operator):
    client.force_login(operator)

    response = client.post(PAGE, {"name": "", "days": 30}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 422
    assert "Обязательное поле." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_regional_token_gets_401(client, operator):
    secret = made_token(client, operator)
    token = ApiToken.objects.get()
    client.force_login(operator)

    client.post(reverse("region:api_token_revoke", kwargs={"token_pk": token.pk}))

    client.logout()
    assert get(client, secret).status_code == 401


def test_operator_cannot_revoke_someone_elses_token(client, operator, tenant_a):
    other = UserFactory()
    RegionalOperator.objects.create(user=other, region=tenant_a.organisation.municipality.region)
    secret = made_token(client, other)
    client.force_login(operator)

    response = client.post(
        reverse("region:api_token_revoke", kwargs={"token_pk": ApiToken.objects.get().pk})
    )

    assert response.status_code == 404
    assert get(client, secret).status_code == 200


def test_other_municipality_is_not_listed(client, operator):
    OrganisationFactory(municipality=MunicipalityFactory())
    secret = made_token(client, operator)

    assert get(client, secret).json()["count"] == 1
