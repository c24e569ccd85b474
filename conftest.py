"""Shared fixtures: two organisations with a member of each role, so every test of access
has data that could leak."""

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests import template_database

PASSWORD = "correct-horse-battery"

# A loaded 2-core machine must not fail a property on time alone; CI replays the same examples
# every run, so a red build is a real finding that reproduces, not a roll of the dice.
hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_configure(config: pytest.Config) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    template_database.install()
    # The xdist controller builds the migrated template while its workers collect their tests.
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None):
        template_database.start_building()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    requested = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    return bool(requested) or bool(marker and marker.kwargs.get("transaction"))


# Last, so that the order below is the one the workers get.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Asking for a serialized rollback makes pytest-django keep a copy of what the migrations
    # loaded (the catalogue, built-in questionnaires, content types) when it creates the test
    # database, so that a flush can be undone.
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
    # The long files first. pytest-xdist hands out files in this order when told
    # --no-loadscope-reorder (make test and CI say so). Its own order puts the files of fewest
    # tests last, and the two longest, the browser's axe walk and the API fuzz, are one test
    # each: a long file that starts last leaves the other worker idle while it runs.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Put back what a transactional test's closing flush removed.

    Django restores the migrations' rows only at the start of the next transactional test. Under
    pytest-xdist a worker runs a whole file, and a file may hold a transactional test among
    ordinary ones, so every test after it would find an empty catalogue.
    """
    result = yield
    # After the session's last test the test database is already gone (its teardown ran with
    # this test's): nothing comes after that needs the rows.
    if _is_transactional(item) and nextitem is not None:
        from django.contrib.contenttypes.models import ContentType

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()
    return result


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (a language cookie, Accept-Language) leaves English active in the
    # thread after it: the next test would start in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters (login, questionnaire codes) live in the cache, which outlives a test's
    # transaction: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Tenant:
    organisation: Organisation
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


def make_tenant(slug: str) -> Tenant:
    organisation = OrganisationFactory(slug=slug)
    users = {}
    for role in Role.values:
        membership: Membership = MembershipFactory(
            organisation=organisation, role=role, user=UserFactory(email=f"{role}@{slug}.ru")
        )
        users[role] = membership.user
    return Tenant(organisation=organisation, users=users)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return make_tenant("school-a")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return make_tenant("school-b")


@pytest.fixture
def org(tenant_a):
    """Tenant A's organisation, for the modules that need only it."""
    return tenant_a.organisation


@pytest.fixture
def programme(tenant_a):
    """Tenant A's approved programme of the running year, with «Ученик – ученик» and a roadmap.
    A module that needs another programme defines its own `programme`, which wins."""
    from nastavnik.matching.tests.data import approved_programme

    return approved_programme(tenant_a.organisation)


@pytest.fixture
def today(tenant_a):
    """Today in tenant A's time zone."""
    from nastavnik.people.validators import org_today

    return org_today(tenant_a.organisation)


@pytest.fixture
def curator_client(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client
