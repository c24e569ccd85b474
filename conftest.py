"""Shared fixtures: two organisations with a member of each role, so every test of access
has data that could leak."""

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"

# A loaded 2-core machine must not fail a property on time alone; CI replays the same examples
# every run, so a red build is a real finding that reproduces, not a roll of the dice.
hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


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
def curator_client(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client
