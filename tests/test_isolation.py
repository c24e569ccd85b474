"""Tenancy, proved over every URL of the project.

Every URL pattern is enumerated from the resolver, so a new URL is covered the day it is
added. For every organisation-scoped URL:

- a member of organisation B (any role) asking for organisation A's page gets 404;
- a member of B asking through B's own address for a row of A (A's primary keys) gets 404;
- neither writes a single row of the database (sessions included);
- an anonymous visitor is sent to the login page.

A URL kwarg that names a row must have a maker in its app's ``tests/isolation.py``; an unknown
kwarg fails the test, so nobody can add a URL this test does not understand.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Tenant, make_tenant
from nastavnik.core.access import declared_access
from nastavnik.core.tests.rows import rows_written, table_rows
from nastavnik.orgs.models import Organisation, Role
from nastavnik.orgs.policy import allows
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.tests.factories import PersonFactory

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]
    callback: Callable

    @property
    def org_scoped(self) -> bool:
        return "org_slug" in self.kwargs

    @property
    def row_kwargs(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k != "org_slug")


def _walk(patterns: list, namespace: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        found = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin guards itself (staff only) and is not tenant-scoped.
            child_ns = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, child_ns, kwargs + found)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, kwargs=kwargs + found, callback=entry.callback)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)
# The REST API answers tokens, not sessions: tests/test_api_isolation.py walks it on its own.
API_NAMESPACE = "api"
ORG_ROUTES = [r for r in ROUTES if r.org_scoped and r.name.split(":")[0] != API_NAMESPACE]

# The few addresses outside any organisation. Adding one is a decision: list it here.
NON_ORG_ROUTES = {
    "home",
    "health",
    "set_language",
    "region:dashboard",
    "region:report_new",
    "region:report",
    "region:report_download",
    "region:api_tokens",
    "region:api_token_revoke",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation_accept",
    "accounts:sso_start",
    "accounts:sso_start_org",
    "accounts:sso_callback",
    "consent_public:confirm",
    "notifications_public:unsubscribe",
    "respond:code",
    "respond:answer",
    "respond:thanks",
    "respond:link",
}
# Whole namespaces outside any organisation: the public mentoring pages (by the organisation's
# slug, read-only, consent-checked) and personal calendar feeds (by a secret token).
NON_ORG_NAMESPACES = {"public_page", "calendar_feed", API_NAMESPACE}


def _collect_row_makers() -> dict[str, Callable[[Organisation], int]]:
    """Each app declares, in ``<app>/tests/isolation.py``, how to make a row for every URL
    kwarg it uses: ``ROW_MAKERS = {"person_pk": lambda org: ...pk}``."""
    makers: dict[str, Callable[[Organisation], int]] = {}
    for app in apps.get_app_configs():
        if not app.name.startswith("nastavnik."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tests.isolation")
        except ModuleNotFoundError as error:
            # An app without tests, or whose tests declare no rows: nothing to add.
            if error.name not in (f"{app.name}.tests", f"{app.name}.tests.isolation"):
                raise
            continue
        clash = makers.keys() & module.ROW_MAKERS.keys()
        assert not clash, f"{app.name} declares kwargs another app declares too: {clash}"
        makers.update(module.ROW_MAKERS)
    return makers


ROW_MAKERS = _collect_row_makers()

# Values a write would accept if it were allowed, so a refused write is refused for the
# right reason and not because the form was empty.
PLAUSIBLE_POST = {
    "last_name": "Взломов",
    "first_name": "Иван",
    "middle_name": "Иванович",
    "kind": "student",
    "gender": "m",
    "birth_date": "2012-05-05",
    "grade": "7",
    "class_letter": "А",
    "name": "Чужая форма",
    "goal": "Цель",
    "email": "intruder@example.ru",
    "role": Role.CURATOR,
    "relation": "mother",
}

# Rows that change on every request whoever makes it (sessions, login records, task results).
VOLATILE_APPS = {"sessions", "axes", "admin", "django_tasks_db"}


def database_snapshot() -> dict[str, list[tuple]]:
    return table_rows(m for m in apps.get_models() if m._meta.app_label not in VOLATILE_APPS)


@contextmanager
def writes_nothing(url: str) -> Iterator[None]:
    # A count of the rows written, not a picture of every table: the thousands of tests below
    # took two pictures each, and the count is stricter (a session or a login record counts).
    before = rows_written()
    yield
    assert rows_written() == before, f"{url}: a refused request wrote to the database"


@dataclass
class World:
    a: Tenant
    b: Tenant
    rows_a: dict[str, int]
    rows_b: dict[str, int]
    # Session keys of B's members (by role) and of an account with no membership, logged in
    # once for the module: each test's transaction is rolled back, sessions with it.
    sessions: dict[str, str]

    def log_in(self, client, who: str) -> None:
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[who]


def _session_of(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    # Built once for the module's ~1,700 tests, not once per test (it takes half a second):
    # inside a transaction that every test nests into and that is rolled back at the end, so
    # no other module ever sees these rows.
    with django_db_blocker.unblock(), transaction.atomic():
        a, b = make_tenant("school-a"), make_tenant("school-b")
        rows_a = {kwarg: make(a.organisation) for kwarg, make in ROW_MAKERS.items()}
        rows_b = {kwarg: make(b.organisation) for kwarg, make in ROW_MAKERS.items()}
        # Data that could leak: a guardian link, people, and own catalogue rows in both.
        PersonFactory.create_batch(2, organisation=a.organisation)
        sessions = {role: _session_of(b.user(role)) for role in Role.values}
        sessions["nobody"] = _session_of(UserFactory(email="nobody@example.ru"))
        yield World(a, b, rows_a, rows_b, sessions)
        transaction.set_rollback(True)


def _url(route: Route, slug: str, rows: dict[str, int]) -> str:
    missing = [k for k in route.row_kwargs if k not in rows]
    assert not missing, (
        f"URL {route.name} takes {missing}: declare a maker in ROW_MAKERS of its app's "
        "tests/isolation.py"
    )
    return reverse(route.name, kwargs={"org_slug": slug, **{k: rows[k] for k in route.row_kwargs}})


def test_every_view_declares_who_may_use_it():
    undeclared = [r.name for r in ROUTES if declared_access(r.callback) is None]
    assert undeclared == []


def test_every_organisation_view_is_an_org_view():
    wrong = [r.name for r in ORG_ROUTES if (declared_access(r.callback) or ("",))[0] != "org"]
    assert wrong == []


def test_addresses_outside_organisations_are_the_known_few():
    outside = {
        r.name
        for r in ROUTES
        if not r.org_scoped and r.name.split(":")[0] not in NON_ORG_NAMESPACES
    }
    assert outside <= NON_ORG_ROUTES, f"new non-organisation URLs: {outside - NON_ORG_ROUTES}"
    assert len(ORG_ROUTES) >= 10


def _assert_refused(client, url: str) -> None:
    statuses = {}
    for method in ("get", "post"):
        response = getattr(client, method)(url, PLAUSIBLE_POST if method == "post" else None)
        statuses[method] = response.status_code
    # 405 is decided from the method alone, before any row is looked at, so it reveals nothing.
    assert set(statuses.values()) <= {404, 405}, f"{url}: {statuses}"
    assert 404 in statuses.values(), f"{url}: {statuses}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_member_of_another_organisation_gets_404_and_changes_nothing(client, world, route, role):
    world.log_in(client, role)
    url = _url(route, world.a.organisation.slug, world.rows_a)

    with writes_nothing(url):
        _assert_refused(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ORG_ROUTES if r.row_kwargs], ids=lambda r: r.name)
def test_rows_of_another_organisation_are_not_found_through_ones_own_address(client, world, route):
    # The curator and the director hold every right there is between them; each is tried
    # where the view lets them in (signing orders, say, is the director's alone).
    perm = declared_access(route.callback)[1]
    roles = [role for role in (Role.CURATOR, Role.DIRECTOR) if allows([role], perm)]
    assert roles, f"{route.name}: neither the curator nor the director may open it"
    for role in roles:
        world.log_in(client, role)
        url = _url(route, world.b.organisation.slug, world.rows_a)

        with writes_nothing(url):
            _assert_refused(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_anonymous_visitor_is_sent_to_login_and_changes_nothing(client, world, route):
    url = _url(route, world.a.organisation.slug, world.rows_a)

    with writes_nothing(url):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in {302, 405}, f"{method} {url}: {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_account_without_any_membership_gets_404(client, world, route):
    world.log_in(client, "nobody")
    url = _url(route, world.a.organisation.slug, world.rows_a)

    with writes_nothing(url):
        _assert_refused(client, url)


@pytest.mark.django_db
def test_the_world_has_rows_that_could_leak(world):
    a = world.a.organisation
    assert Person.objects.filter(organisation=a).count() >= 3
    assert GuardianLink.objects.filter(organisation=a).exists()


@pytest.mark.django_db
def test_a_single_row_written_is_noticed(world):
    with pytest.raises(AssertionError, match="wrote to the database"), writes_nothing("/"):
        Organisation.objects.filter(pk=world.a.organisation.pk).update(name="Другая школа")
