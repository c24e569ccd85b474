"""Rows for the awards tests: a programme with mentors (a teacher and a student, whose mother
is in the registry), a pair, and a jury of the director, the curator and a commission member.
Made directly where the rule under test is not theirs; the awards themselves go through the
services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from conftest import Tenant
from nastavnik.awards import services
from nastavnik.awards.models import Nomination
from nastavnik.catalogue.profile import MentorCategory
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import Organisation, Role
from nastavnik.people.models import GuardianLink, GuardianRelation, Person, PersonKind
from nastavnik.people.tests.data import fio
from nastavnik.people.tests.factories import ParentFactory, PersonFactory, StaffFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form
from nastavnik.programmes.tests.data import programme as make_programme


@dataclass
class World:
    programme: Programme
    teacher: Mentor
    student: Mentor
    mother: Person
    pair: Mentorship
    mentee: Person


def mentor(programme: Programme, person: Person, category: str) -> Mentor:
    return Mentor.objects.create(
        organisation=programme.organisation,
        programme=programme,
        person=person,
        category=category,
        status=MentorStatus.REGISTERED,
    )


def world(org: Organisation) -> World:
    programme = make_programme(org, roadmap=False)
    teacher = mentor(
        programme,
        StaffFactory(
            organisation=org,
            **fio("Соколова Ольга Николаевна"),
            gender="f",
            position="Учитель математики",
        ),
        MentorCategory.STAFF,
    )
    daughter = PersonFactory(
        organisation=org,
        kind=PersonKind.STUDENT,
        **fio("Петрова Анна Сергеевна"),
        gender="f",
        grade=9,
        class_letter="Б",
    )
    student = mentor(programme, daughter, MentorCategory.STUDENT)
    mother = ParentFactory(organisation=org, **fio("Петрова Мария Петровна"), gender="f")
    GuardianLink.objects.create(
        organisation=org, guardian=mother, child=daughter, relation=GuardianRelation.MOTHER
    )
    mentee_person = PersonFactory(
        organisation=org, last_name="Козлов", first_name="Илья", middle_name="Андреевич", grade=5
    )
    mentee = Mentee.objects.create(
        organisation=org,
        programme=programme,
        person=mentee_person,
        form=builtin_form("student-student"),
        status=MenteeStatus.IN_BASE,
    )
    today = org_today(org)
    pair = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=builtin_form("student-student"),
        mentor=student,
        started_on=today - timedelta(days=200),
        planned_end=today + timedelta(days=100),
    )
    MentorshipMentee.objects.create(organisation=org, mentorship=pair, mentee=mentee)
    return World(programme, teacher, student, mother, pair, mentee_person)


def jury(tenant: Tenant) -> list:
    return [tenant.user(r) for r in (Role.DIRECTOR, Role.CURATOR, Role.COMMISSION_MEMBER)]


def nomination_with_jury(tenant: Tenant, programme: Programme, code: str) -> Nomination:
    services.builtin_nominations_create(programme, by=None)
    nomination = Nomination.objects.get(programme=programme, code=code)
    services.jury_set(nomination, jury(tenant), by=None)
    return nomination


def scored(tenant: Tenant, nomination: Nomination, **targets: object) -> list:
    """Nominees added for each target, scored by the whole jury: the first 9, 8, 9; the next
    lower."""
    made = []
    for offset, (key, row) in enumerate(targets.items()):
        kind = key.rstrip("0123456789")
        nominee = services.nominee_add(nomination, by=None, **{kind: row})
        for user, value in zip(jury(tenant), (9, 8, 9), strict=True):
            services.score_save(nominee, user, value - 2 * offset, "", by=user)
        made.append(nominee)
    return made
