"""Rows of the mentee base for tests. Entries made here skip the services' checks; tests of the
rules go through the services."""

from __future__ import annotations

from datetime import date

import factory

from nastavnik.catalogue.models import MentoringForm
from nastavnik.consents.models import Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person
from nastavnik.people.tests.data import born
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.programmes import services as programme_services
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form


def this_year() -> int:
    from django.utils import timezone

    return AcademicYear.start_year_for(timezone.localdate())


def programme_of(
    org: Organisation,
    start_year: int | None = None,
    forms: tuple[str, ...] = ("student-student", "teacher-teacher", "teacher-student"),
) -> Programme:
    """The organisation's programme of the year (the running one by default), made once, with
    the built-in forms chosen and their first two role models."""
    year = AcademicYear.objects.get_or_create(start_year=start_year or this_year())[0]
    existing = Programme.objects.filter(organisation=org, academic_year=year).first()
    if existing is not None:
        return existing
    programme = programme_services.programme_create(org, year, by=None, goal="Цель")
    for code in forms:
        chosen = programme_services.programme_form_add(programme, builtin_form(code), by=None)
        programme_services.programme_form_update(
            chosen,
            role_models=list(chosen.form.role_models.filter(organisation__isnull=True)[:2]),
            goal=chosen.form.goal,
            tasks="",
            expected_results="",
            by=None,
        )
    return programme


def consent(person: Person, *purposes: str) -> Person:
    """Valid consents of `person` (processing and participation unless told)."""
    for purpose in purposes or (Purpose.PROCESSING, Purpose.PARTICIPATION):
        ConsentFactory(subject=person, given_by=person, purpose=purpose)
    return person


def student(
    org: Organisation, age: int = 13, *, with_consent: bool = True, **extra: object
) -> Person:
    made = PersonFactory(organisation=org, birth_date=born(age, org), **extra)
    return consent(made) if with_consent else made


def young_teacher(org: Organisation, years: int = 1, **extra: object) -> Person:
    return consent(StaffFactory(organisation=org, experience_years=years, **extra))


def form(code: str) -> MentoringForm:
    return builtin_form(code)


class MenteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentee

    programme = factory.LazyAttribute(lambda o: programme_of(o.person.organisation))
    person = factory.SubFactory(PersonFactory, birth_date=date(2012, 3, 1))
    organisation = factory.SelfAttribute("person.organisation")
    form = factory.LazyFunction(lambda: builtin_form("student-student"))
    status = MenteeStatus.IN_BASE


class MenteeInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeInput

    mentee = factory.SubFactory(MenteeFactory)
    organisation = factory.SelfAttribute("mentee.organisation")
    author_name = "Соколова Ирина Павловна"
    author_role = "Педагог-психолог"
    source = InputSource.PSYCHOLOGIST
    text = "Тревожится перед контрольными, нужна поддержка."
