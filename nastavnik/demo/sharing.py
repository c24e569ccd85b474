"""The shared mentor base in the demo: the demo mentor of СШ № 5 agreed to be offered to the
other schools of the municipality (and gave the consent to sharing with the application), and
СШ № 2 runs a small programme of its own with a pupil waiting for a mentor in one of that
mentor's forms. So the curator of СШ № 2 finds the mentor in «Наставники других организаций»,
asks for them, СШ № 5's curator and the mentor agree, and the pair is formed in СШ № 2.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from nastavnik.demo.programme import _scan
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.rules import STUDENT_FORMS
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.services import active_mentees, capacity_of
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes import services
from nastavnik.programmes.models import Programme

GOAL = "Поддержка обучающихся в учебе и выборе профессии с привлечением наставников района."
APPROVAL_NUMBER = "14-од"


def _free(mentor: Mentor) -> bool:
    return capacity_of(mentor) > active_mentees([mentor.person_id]).get(mentor.person_id, 0)


def build_sharing(
    home_mentors: list[Person], host: Organisation, curator: Person, director: Person, today: date
) -> Mentee | None:
    """Share the first of `home_mentors` in the registry with a free place and a form for
    pupils, and give `host` an approved programme with one pupil waiting in that form. Returns
    the pupil."""
    candidates = (
        Mentor.objects.filter(person__in=home_mentors, status=MentorStatus.REGISTERED)
        .prefetch_related("forms")
        .order_by("-programme__academic_year__start_year")
    )
    by_person = {m.person_id: m for m in reversed(list(candidates))}
    mentor = next(
        (
            m
            for p in home_mentors
            if (m := by_person.get(p.pk)) is not None
            and _free(m)
            and any(f.code in STUDENT_FORMS for f in m.forms.all())
        ),
        None,
    )
    if mentor is None:
        return None
    form = next(f for f in mentor.forms.all() if f.code in STUDENT_FORMS)
    mentor.share_with_others = True
    mentor.save(update_fields=["share_with_others"])

    programme = _approved_programme(host, form, curator, director, today)
    pupil = (
        Person.objects.filter(organisation=host, kind=PersonKind.STUDENT, grade=8)
        .filter(consents__purpose="participation", consents__withdrawn_at__isnull=True)
        .order_by("name_key")
        .first()
    )
    if pupil is None:
        return None
    return Mentee.objects.create(
        organisation=host,
        programme=programme,
        person=pupil,
        form=form,
        status=MenteeStatus.IN_BASE,
        topics=["project", "career"],
        request_text="Хочу сделать свой проект и понять, какую профессию выбрать",
        subjects="Информатика, Технология",
        availability=list(mentor.availability or []),
        meeting_format=mentor.meeting_format,
    )


def _approved_programme(
    host: Organisation, form: object, curator: Person, director: Person, today: date
) -> Programme:
    year = AcademicYear.containing(today)
    programme = services.programme_create(host, year, by=None, curator=curator, goal=GOAL)
    services.programme_form_add(programme, form, by=None)  # type: ignore[arg-type]
    services.roadmap_generate(programme, by=None)
    approved_on = min(year.starts_on, today)
    order = services.programme_approval_order_create(
        programme, number=APPROVAL_NUMBER, date=approved_on, signatory=director, by=None
    )
    order_sign(order, ContentFile(_scan(), name="scan.pdf"), by=None)
    programme.refresh_from_db()
    return programme
