"""Tenancy and token rules, proved over every operation of the REST API.

The operations are read from the API's own OpenAPI schema, and every URL of the `api`
namespace must be one of them, so a new endpoint is covered the day it is added. For every
operation:

- a token of organisation B asking for organisation A's address gets 404;
- B's token asking through B's own address for A's rows (A's primary keys) gets 404;
- a read-only token cannot write (403);
- an expired, a revoked, a malformed or a missing token gets 401;
- a regional operator's token opens no organisation's operation (404), and the regional
  operations (no organisation in the path) answer it, and only it;
- none of these changes a row.

A path parameter that names a row must have a maker in an app's ``tests/isolation.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import Tenant, make_tenant
from nastavnik.api.models import Access, ApiToken, Area
from nastavnik.api.tokens import token_create
from nastavnik.api.urls import api
from nastavnik.core.tests.rows import table_rows
from nastavnik.orders.views import DOCX
from nastavnik.orgs.models import RegionalOperator, Role
from nastavnik.orgs.tests.factories import UserFactory
from tests.test_isolation import ROUTES, ROW_MAKERS

SCHEMA = api.get_openapi_schema()
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # /api/v1/o/{org_slug}/people/{person_pk}
    multipart: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def rows(self) -> list[str]:
        return [p for p in self.params if p != "org_slug"]

    @property
    def regional(self) -> bool:
        """A regional operator's operation: no organisation in the path, aggregates only."""
        return "org_slug" not in self.params

    @property
    def writes(self) -> bool:
        return self.method not in ("get", "head", "options")

    def url(self, slug: str, rows: dict[str, int]) -> str:
        missing = [p for p in self.rows if p not in rows]
        assert not missing, f"{self.path} takes {missing}: declare a maker in ROW_MAKERS"
        values = {"org_slug": slug, **{p: rows[p] for p in self.rows}}
        return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


OPERATIONS = sorted(
    (
        Operation(
            method,
            path,
            "multipart/form-data" in operation.get("requestBody", {}).get("content", {}),
        )
        for path, methods in SCHEMA["paths"].items()
        for method, operation in methods.items()
    ),
    key=str,
)
WRITES = [op for op in OPERATIONS if op.writes]

# A write that would be accepted if it were allowed: refused for the right reason only.
PLAUSIBLE_JSON = {
    "kind": "student",
    "last_name": "Взломов",
    "first_name": "Иван",
    "gender": "m",
    "birth_date": "2012-05-05",
    "grade": 7,
    "class_letter": "А",
    "skip_invalid": True,
}
CSV = "Фамилия;Имя;Пол;Дата рождения;Класс\nВзломов;Иван;м;05.05.2012;7А\n".encode()


def call(client, op: Operation, url: str, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    if not op.writes:
        return client.generic(op.method.upper(), url, **headers)
    if op.multipart:
        data = {"kind": "student", "file": SimpleUploadedFile("list.csv", CSV, "text/csv")}
        return client.post(url, data, **headers)
    return getattr(client, op.method)(
        url, PLAUSIBLE_JSON, content_type="application/json", **headers
    )


# The token's own last-used time changes on use; the rest of the database must not.
VOLATILE = {"sessions", "axes", "admin", "django_tasks_db", "api"}


def snapshot() -> dict[str, list[tuple]]:
    return table_rows(m for m in apps.get_models() if m._meta.app_label not in VOLATILE)


ALL_WRITE = {area.value: Access.WRITE for area in Area}
ALL_READ = {area.value: Access.READ for area in Area}


@dataclass
class World:
    a: Tenant
    b: Tenant
    rows_a: dict[str, int]
    rows_b: dict[str, int]
    a_write: str
    a_read: str
    b_write: str
    a_expired: str
    a_revoked: str
    # A regional operator's tokens, of A's municipality.
    regional: str
    regional_expired: str
    regional_revoked: str


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        a, b = make_tenant("school-a"), make_tenant("school-b")
        rows_a = {kwarg: make(a.organisation) for kwarg, make in ROW_MAKERS.items()}
        rows_b = {kwarg: make(b.organisation) for kwarg, make in ROW_MAKERS.items()}

        def token(tenant: Tenant, scopes: dict[str, str], role: str = Role.DIRECTOR) -> str:
            return token_create(
                tenant.organisation, tenant.user(role), name="t", scopes=scopes, days=30
            )[1]

        operator = UserFactory()
        RegionalOperator.objects.create(
            user=operator,
            region=a.organisation.municipality.region,
            municipality=a.organisation.municipality,
        )

        def regional() -> str:
            return token_create(None, operator, name="r", scopes={}, days=30)[1]

        expired, revoked = token(a, ALL_WRITE), token(a, ALL_WRITE)
        regional_expired, regional_revoked = regional(), regional()
        ApiToken.objects.filter(prefix__in=[expired[:10], regional_expired[:10]]).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        ApiToken.objects.filter(prefix__in=[revoked[:10], regional_revoked[:10]]).update(
            revoked_at=timezone.now()
        )
        yield World(
            a,
            b,
            rows_a,
            rows_b,
            a_write=token(a, ALL_WRITE),
            a_read=token(a, ALL_READ),
            b_write=token(b, ALL_WRITE),
            a_expired=expired,
            a_revoked=revoked,
            regional=regional(),
            regional_expired=regional_expired,
            regional_revoked=regional_revoked,
        )
        transaction.set_rollback(True)


def test_every_api_url_is_an_operation_of_the_schema():
    api_routes = [r for r in ROUTES if r.name.startswith("api:") and r.name not in PUBLIC]
    paths = {op.path for op in OPERATIONS}
    assert len(api_routes) >= 10
    for route in api_routes:
        url = reverse(route.name, kwargs={k: f"{{{k}}}" for k in route.kwargs})
        assert url.replace("%7B", "{").replace("%7D", "}") in paths, route.name


def test_every_operation_needs_a_token():
    for op in OPERATIONS:
        operation = SCHEMA["paths"][op.path][op.method]
        assert operation.get("security"), f"{op} declares no security"


@pytest.mark.django_db
@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_token_of_another_organisation_gets_404_and_changes_nothing(client, world, op):
    before = snapshot()

    response = call(client, op, op.url(world.a.organisation.slug, world.rows_a), world.b_write)

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.rows], ids=str)
def test_rows_of_another_organisation_are_not_found_through_ones_own_address(client, world, op):
    before = snapshot()

    response = call(client, op, op.url(world.b.organisation.slug, world.rows_a), world.b_write)

    assert response.status_code == 404, response.content
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", WRITES, ids=str)
def test_read_only_token_cannot_write(client, world, op):
    before = snapshot()

    response = call(client, op, op.url(world.a.organisation.slug, world.rows_a), world.a_read)

    assert response.status_code == 403, response.content
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["expired", "revoked", "garbage", "none"])
@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_expired_revoked_or_missing_token_gets_401(client, world, op, which):
    token = (
        {"garbage": "nst_not-a-token", "none": None}[which]
        if which in {"garbage", "none"}
        else getattr(world, f"{'regional' if op.regional else 'a'}_{which}")
    )
    before = snapshot()

    response = call(client, op, op.url(world.a.organisation.slug, world.rows_a), token)

    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", [op for op in OPERATIONS if not op.regional], ids=str)
def test_regional_token_opens_no_organisation(client, world, op):
    before = snapshot()

    response = call(client, op, op.url(world.a.organisation.slug, world.rows_a), world.regional)

    assert response.status_code == 404, response.content
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", [op for op in OPERATIONS if not op.writes], ids=str)
def test_own_token_reads_its_own_organisation(client, world, op):
    secret = world.regional if op.regional else world.a_read
    response = call(client, op, op.url(world.a.organisation.slug, world.rows_a), secret)

    assert response.status_code == 200, response.status_code
    if op.path.endswith("/document"):
        assert response["Content-Type"] == DOCX
    else:
        assert response["Content-Type"] == "application/json; charset=utf-8"
