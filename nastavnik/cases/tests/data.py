"""Pairs, consents and cases for the tests of the library and of the public page.

Rows of other apps are made directly (their own tests prove their rules); the cases themselves
go through the services, as a curator would write them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from nastavnik.cases import services
from nastavnik.cases.models import Case
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import (
    GuardianLinkFactory,
    PersonFactory,
    StaffFactory,
)
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form
from nastavnik.programmes.tests.isolation import _programme

PUBLISHING = (Purpose.PROCESSING, Purpose.PUBLICATION)


def programme_of(org: Organisation) -> Programme:
    return _programme(org)


def consent(person: Person, *purposes: Purpose, given_by: Person | None = None) -> list[Consent]:
    """Valid consents of `person` for `purposes` (processing and publication by default),
    given by the person or, for a minor, by `given_by` (a guardian)."""
    return [
        ConsentFactory(subject=person, given_by=given_by or person, purpose=purpose)
        for purpose in purposes or PUBLISHING
    ]


def guardian_consent(child: Person, *purposes: Purpose) -> list[Consent]:
    link = GuardianLinkFactory(
        guardian__organisation=child.organisation, child=child, organisation=child.organisation
    )
    return consent(child, *purposes, given_by=link.guardian)


def mentor(
    programme: Programme,
    person: Person | None = None,
    status: MentorStatus = MentorStatus.REGISTERED,
) -> Mentor:
    org = programme.organisation
    person = person or StaffFactory(organisation=org)
    return Mentor.objects.create(
        organisation=org,
        programme=programme,
        person=person,
        category="staff" if person.kind == "staff" else "student",
        status=status,
    )


def pair(
    programme: Programme, mentor_person: Person | None = None, *mentee_people: Person
) -> Mentorship:
    """A pair of the programme: a registered mentor and a mentee (or the mentees given)."""
    org = programme.organisation
    form = builtin_form("student-student")
    found = mentor(programme, mentor_person)
    today = timezone.localdate()
    mentorship = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=form,
        mentor=found,
        started_on=today - timedelta(days=200),
        planned_end=today + timedelta(days=100),
    )
    for person in mentee_people or (PersonFactory(organisation=org, grade=5),):
        mentee = Mentee.objects.create(
            organisation=org,
            programme=programme,
            person=person,
            form=form,
            status=MenteeStatus.IN_BASE,
            request_text="Трудности с дробями, боится отвечать у доски",
        )
        MentorshipMentee.objects.create(organisation=org, mentorship=mentorship, mentee=mentee)
    return mentorship


def consent_all(mentorship: Mentorship) -> None:
    """Publication consents for everyone of the pair: the adults' own, the minors' from a
    guardian."""
    today = timezone.localdate()
    people = [mentorship.mentor.person, *(m.mentee.person for m in mentorship.members.all())]
    for person in people:
        age = person.age_on(today)
        if age is not None and age < 18:
            guardian_consent(person)
        else:
            consent(person)


CASE_TEXT = {
    "title": "Адаптация пятиклассника через совместный проект",
    "situation": "Ученик 5 класса с трудом привыкал к новым учителям и стеснялся отвечать.",
    "actions": "Еженедельные встречи, общий проект по математике, репетиция выступлений.",
    "results": "Отметки по математике выросли с «3» до «4», мальчик выступил на конференции.",
    "lessons": "Начинайте с общего интереса, а не с оценок.",
    "keywords": "адаптация, математика, 5 класс",
}


def case(
    programme: Programme,
    mentorship: Mentorship | None = None,
    *,
    published: bool = False,
    on: date | None = None,
    **data: object,
) -> Case:
    values = {**CASE_TEXT, **data}
    if mentorship is None:
        values.setdefault("form", builtin_form("student-student"))
    made = services.case_create(programme, values, by=None, mentorship=mentorship)
    if published:
        services.case_publish(made, by=None, on=on)
    return made
