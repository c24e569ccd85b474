"""Who may be a mentee, and in which forms (seed 002 «Положение о наставничестве», §2.3).

«Наставничество устанавливается для следующих категорий участников образовательного
процесса: обучающиеся в возрасте от 10 лет, изъявившие желание в назначении наставника;
педагогические работники, вновь принятые на работу в образовательном учреждении;
педагогические работники, изъявившие желание в назначении наставника.»

The registry does not record hiring dates, so «вновь принятые на работу» is read as a young
specialist: a staff member with less than `NEW_TEACHER_MAX_EXPERIENCE` years of experience (the
first three years of work are what Russian schools call the young-specialist period). A teacher
of any experience who asked for a mentor is a mentee too. A student's own wish is taken as
given: they apply, or are put forward with their consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.catalogue.models import MentoringForm
from nastavnik.people.models import Person, PersonKind

MIN_STUDENT_AGE = 10
# Staff with fewer years of experience than this are newly hired teachers (seed 002 §2.3).
NEW_TEACHER_MAX_EXPERIENCE = 3

STAFF_FORMS = frozenset({"teacher-teacher"})
# The built-in forms whose mentees are learners (catalogue.builtin: «Обучающийся …», «Студент
# колледжа»).
STUDENT_FORMS = frozenset(
    {"student-student", "teacher-student", "student-pupil", "employer-pupil", "employer-student"}
)


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    # Why: shown to the curator either way.
    reason: str


def eligibility(person: Person, on: date, *, asked_for_mentor: bool = False) -> Eligibility:
    """May `person` be a mentee on `on`? `asked_for_mentor`: a teacher asked for one."""
    if person.kind == PersonKind.STUDENT:
        return _student(person, on)
    if person.kind == PersonKind.STAFF:
        return _staff(person, asked_for_mentor)
    return Eligibility(
        False,
        _(
            "%(category)s cannot be a mentee: mentees are students aged %(age)s and over, newly "
            "hired teachers and teachers who asked for a mentor."
        )
        % {"category": person.get_kind_display(), "age": MIN_STUDENT_AGE},
    )


def _student(person: Person, on: date) -> Eligibility:
    age = person.age_on(on)
    if age is None:
        return Eligibility(
            False,
            _(
                "The student's birth date is not recorded: add it to the card, since students "
                "become mentees from the age of %(min)s."
            )
            % {"min": MIN_STUDENT_AGE},
        )
    if age < MIN_STUDENT_AGE:
        return Eligibility(
            False,
            ngettext(
                "The student is %(age)s year old: students become mentees from the age of %(min)s.",
                "The student is %(age)s years old: students become mentees from the age of "
                "%(min)s.",
                age,
            )
            % {"age": age, "min": MIN_STUDENT_AGE},
        )
    return Eligibility(
        True,
        ngettext("A student aged %(age)s.", "A student aged %(age)s.", age) % {"age": age},
    )


def _staff(person: Person, asked_for_mentor: bool) -> Eligibility:
    years = person.experience_years
    if years is not None and years < NEW_TEACHER_MAX_EXPERIENCE:
        return Eligibility(
            True,
            ngettext(
                "A newly hired teacher: %(years)s year of experience.",
                "A newly hired teacher: %(years)s years of experience.",
                years,
            )
            % {"years": years},
        )
    if asked_for_mentor:
        return Eligibility(True, _("A teacher who asked for a mentor."))
    if years is None:
        return Eligibility(
            False,
            _(
                "The years of experience are not recorded: a teacher becomes a mentee when newly "
                "hired (less than %(max)s years of experience) or when they ask for a mentor."
            )
            % {"max": NEW_TEACHER_MAX_EXPERIENCE},
        )
    return Eligibility(
        False,
        ngettext(
            "The teacher has %(years)s year of experience: a teacher becomes a mentee when "
            "newly hired (less than %(max)s years of experience) or when they ask for a mentor.",
            "The teacher has %(years)s years of experience: a teacher becomes a mentee when "
            "newly hired (less than %(max)s years of experience) or when they ask for a mentor.",
            years,
        )
        % {"years": years, "max": NEW_TEACHER_MAX_EXPERIENCE},
    )


def form_fits(person: Person, form: MentoringForm) -> bool:
    """A staff mentee is mentored in «учитель – учитель», a student in the student forms.

    An organisation's own form says nothing machine-readable about whom it mentors, so it
    takes any eligible mentee; the curator who made it knows.
    """
    if form.code in STAFF_FORMS:
        return person.kind == PersonKind.STAFF
    if form.code in STUDENT_FORMS:
        return person.kind == PersonKind.STUDENT
    return form.organisation_id is not None and person.kind in (
        PersonKind.STUDENT,
        PersonKind.STAFF,
    )
