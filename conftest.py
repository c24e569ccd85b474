"""Shared fixtures: two organisations with a member of each role, so every test of access
has data that could leak."""

from dataclasses import dataclass

import pytest

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"


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
