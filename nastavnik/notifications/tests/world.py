"""A school where every event has someone who must hear of it and someone who must not: a pair
whose mentor, minor mentee and the mentee's guardian have accounts, the staff of every role,
another pair of the same school, and a second school with the same roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import Tenant, make_tenant
from nastavnik.accounts.models import User
from nastavnik.matching.tests.data import parent_of
from nastavnik.meetings.tests.factories import pair
from nastavnik.mentorships.models import Mentorship
from nastavnik.notifications.models import Notification
from nastavnik.orgs.models import Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, UserFactory
from nastavnik.people.models import Person

STAFF = ("director", "curator", "specialist", "commission_member")


@dataclass
class School:
    organisation: Organisation
    mentorship: Mentorship
    child: Person
    guardian: Person
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]

    def add_user(self, name: str, role: Role, organisation: Organisation | None = None) -> User:
        made = UserFactory(email=f"{name}@example.ru")
        MembershipFactory(organisation=organisation or self.organisation, role=role, user=made)
        self.users[name] = made
        return made

    def told(self, kind: str) -> set[str]:
        """The names of the accounts that have a notification of `kind`."""
        names = {user.pk: name for name, user in self.users.items()}
        return {
            names[pk]
            for pk in Notification.objects.filter(kind=kind).values_list("recipient", flat=True)
            if pk in names
        }


def school(tenant_a, tenant_b) -> School:
    org = tenant_a.organisation
    users = {role: tenant_a.user(role) for role in (*STAFF, "mentor", "mentee", "guardian")}
    users.update({f"b_{role}": user for role, user in tenant_b.users.items()})
    mentorship = pair(org, mentor_user=users["mentor"], mentee_users=[users["mentee"]])
    child = mentorship.members.get().mentee.person
    guardian = parent_of(child)
    guardian.user = users["guardian"]
    guardian.save(update_fields=["user"])
    made = School(org, mentorship, child, guardian, users)
    # Another pair of the same school: its people hear nothing of the first one.
    other_mentor = made.add_user("other_mentor", Role.MENTOR)
    other_mentee = made.add_user("other_mentee", Role.MENTEE)
    pair(org, mentor_user=other_mentor, mentee_users=[other_mentee])
    # A pair of the other school, with accounts, so that a leak would have somewhere to go.
    pair(
        tenant_b.organisation,
        mentor_user=made.add_user("b_pair_mentor", Role.MENTOR, tenant_b.organisation),
        mentee_users=[made.add_user("b_pair_mentee", Role.MENTEE, tenant_b.organisation)],
    )
    return made


def built_school() -> tuple[School, Tenant, Tenant]:
    """The world with the two tenants it is made of (for a module's shared rows)."""
    tenant_a, tenant_b = make_tenant("school-a"), make_tenant("school-b")
    return school(tenant_a, tenant_b), tenant_a, tenant_b
