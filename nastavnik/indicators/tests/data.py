"""Pairs and groups made directly (the services' rules are tested in their app), so that the
figures of a year can be checked against numbers counted by hand."""

from __future__ import annotations

from datetime import date, timedelta

from nastavnik.catalogue.models import MentoringKind
from nastavnik.mentees.tests.factories import MenteeFactory, programme_of
from nastavnik.mentors.models import Mentor
from nastavnik.mentors.tests.factories import MentorFactory
from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form


def students(org: Organisation, count: int) -> list[Person]:
    return [PersonFactory(organisation=org, birth_date=date(2012, 3, 1)) for _ in range(count)]


def staff(org: Organisation, count: int) -> list[Person]:
    return [StaffFactory(organisation=org) for _ in range(count)]


def programme(org: Organisation, start_year: int) -> Programme:
    return programme_of(org, start_year)


def pair(
    prog: Programme,
    mentor: Person,
    mentees: list[Person],
    *,
    form: str = "student-student",
    status: str = MentorshipStatus.ACTIVE,
    started_on: date | None = None,
    ended_on: date | None = None,
    role_model: bool = True,
    kind: str | None = None,
) -> Mentorship:
    started = started_on or date(prog.academic_year.start_year, 10, 1)
    the_form = builtin_form(form)
    mentorship = Mentorship.objects.create(
        organisation=prog.organisation,
        programme=prog,
        form=the_form,
        role_model=the_form.role_models.order_by("pk").first() if role_model else None,
        mentor=Mentor.objects.filter(programme=prog, person=mentor).first()
        or MentorFactory(programme=prog, person=mentor),
        is_group=len(mentees) > 1,
        kind=kind or (MentoringKind.GROUP if len(mentees) > 1 else MentoringKind.TRADITIONAL),
        started_on=started,
        planned_end=started + timedelta(days=240),
        ended_on=ended_on,
        status=status,
    )
    for person in mentees:
        MentorshipMentee.objects.create(
            organisation=prog.organisation,
            mentorship=mentorship,
            mentee=MenteeFactory(programme=prog, person=person),
            active=status == MentorshipStatus.ACTIVE,
        )
    return mentorship
