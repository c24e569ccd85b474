"""Who may be a mentee (seed 002 §2.3) and in which forms."""

import pytest
from django.utils.translation import gettext, ngettext

from nastavnik.mentees.rules import (
    MIN_STUDENT_AGE,
    NEW_TEACHER_MAX_EXPERIENCE,
    eligibility,
    form_fits,
)
from nastavnik.mentees.tests.factories import form
from nastavnik.people.models import PersonKind
from nastavnik.people.tests.data import born
from nastavnik.people.tests.factories import ParentFactory, PersonFactory, StaffFactory
from nastavnik.people.validators import org_today

pytestmark = pytest.mark.django_db


def test_a_student_of_ten_is_eligible_and_one_of_nine_is_not(tenant_a):
    org = tenant_a.organisation
    today = org_today(org)
    ten = PersonFactory.build(organisation=org, birth_date=born(10, org))
    nine = PersonFactory.build(organisation=org, birth_date=born(10, org, days=-1))

    assert eligibility(ten, today).ok
    verdict = eligibility(nine, today)
    assert not verdict.ok
    assert verdict.reason == ngettext(
        "The student is %(age)s year old: students become mentees from the age of %(min)s.",
        "The student is %(age)s years old: students become mentees from the age of %(min)s.",
        9,
    ) % {"age": 9, "min": MIN_STUDENT_AGE}


def test_a_student_without_a_birth_date_is_told_why(tenant_a):
    student = PersonFactory.build(organisation=tenant_a.organisation, birth_date=None)

    verdict = eligibility(student, org_today(tenant_a.organisation))

    assert not verdict.ok
    assert verdict.reason == gettext(
        "The student's birth date is not recorded: add it to the card, since students become "
        "mentees from the age of %(min)s."
    ) % {"min": MIN_STUDENT_AGE}


@pytest.mark.parametrize(
    ("years", "asked", "ok"),
    [
        (0, False, True),
        (NEW_TEACHER_MAX_EXPERIENCE - 1, False, True),
        (NEW_TEACHER_MAX_EXPERIENCE, False, False),
        (25, False, False),
        (25, True, True),
        (None, False, False),
        (None, True, True),
    ],
)
def test_teachers_new_or_asking(tenant_a, years, asked, ok):
    teacher = StaffFactory.build(organisation=tenant_a.organisation, experience_years=years)

    verdict = eligibility(teacher, org_today(tenant_a.organisation), asked_for_mentor=asked)

    assert verdict.ok is ok
    assert verdict.reason


@pytest.mark.parametrize("kind", [PersonKind.PARENT, PersonKind.GRADUATE, PersonKind.EXTERNAL])
def test_nobody_else_is_a_mentee(tenant_a, kind):
    person = ParentFactory.build(organisation=tenant_a.organisation, kind=kind)

    verdict = eligibility(person, org_today(tenant_a.organisation), asked_for_mentor=True)

    assert not verdict.ok
    assert str(person.get_kind_display()) in verdict.reason


def test_forms_fit_their_mentees(tenant_a):
    org = tenant_a.organisation
    pupil, teacher = PersonFactory.build(organisation=org), StaffFactory.build(organisation=org)

    assert form_fits(teacher, form("teacher-teacher"))
    assert not form_fits(pupil, form("teacher-teacher"))
    for code in ("student-student", "teacher-student", "student-pupil", "employer-pupil"):
        assert form_fits(pupil, form(code))
        assert not form_fits(teacher, form(code))
