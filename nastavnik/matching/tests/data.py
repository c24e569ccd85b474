"""The world a matching test needs: an approved programme of the running year, mentees and
mentors in its bases with consents, built directly (the bases' own rules are their tests')."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from nastavnik.audit.models import AuditEntry
from nastavnik.catalogue.models import RoleModel
from nastavnik.catalogue.profile import MentorCategory
from nastavnik.matching import models as matching_models
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.tests.factories import consent
from nastavnik.mentors.models import DocumentKind, Mentor, MentorStatus
from nastavnik.mentors.tests.factories import MentorDocumentFactory
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orders.models import Order, OrderSubject
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.tests.data import born
from nastavnik.people.tests.factories import GuardianLinkFactory, ParentFactory, PersonFactory
from nastavnik.programmes import services
from nastavnik.programmes.models import Programme, RoadmapEvent
from nastavnik.programmes.tests import data as programme_data
from nastavnik.programmes.tests.data import builtin_form

SLOTS = ["пн-вечер", "ср-день"]


def running_year() -> int:
    return AcademicYear.start_year_for(timezone.localdate())


def approved_programme(org: Organisation) -> Programme:
    """The organisation's approved programme of the running year, with the form «Ученик –
    ученик» and a generated roadmap. A draft another test's data made first is approved."""
    year = running_year()
    existing = Programme.objects.filter(organisation=org, academic_year__start_year=year).first()
    if existing is None:
        return programme_data.approved_programme(org, year)
    if existing.is_draft:
        if not existing.chosen_forms.filter(form__code="student-student").exists():
            services.programme_form_add(existing, builtin_form("student-student"), by=None)
        if existing.curator_id is None:
            services.programme_update(existing, curator=programme_data.curator(org), by=None)
        if not existing.events.exists():
            services.roadmap_generate(existing, by=None)
        order = services.programme_approval_order_create(
            existing,
            number=f"{existing.pk}-п",
            date=existing.academic_year.starts_on,
            signatory=programme_data.director(org),
            by=None,
        )
        order_sign(order, ContentFile(programme_data.PDF, name="scan.pdf"), by=None)
        existing.refresh_from_db()
    return existing


def role_model(name: str, form: str = "student-student") -> RoleModel:
    return RoleModel.objects.get(form__code=form, organisation__isnull=True, name=name)


def student(org: Organisation, *, grade: int, with_consent: bool = True, **fields: Any) -> Person:
    made = PersonFactory(organisation=org, grade=grade, birth_date=born(grade + 6, org), **fields)
    return consent(made) if with_consent else made


def mentee(
    programme: Programme,
    *,
    person: Person | None = None,
    grade: int = 7,
    form: str | None = "student-student",
    with_consent: bool = True,
    **fields: Any,
) -> Mentee:
    org = programme.organisation
    values: dict[str, Any] = {
        "request_text": "Хочу подтянуть математику и подготовиться к ОГЭ",
        "subjects": "Математика",
        "availability": SLOTS,
        "topics": ["exams"],
        **fields,
    }
    return Mentee.objects.create(
        organisation=org,
        programme=programme,
        person=person or student(org, grade=grade, with_consent=with_consent),
        form=builtin_form(form) if form else None,
        status=MenteeStatus.IN_BASE,
        **values,
    )


def mentor(
    programme: Programme,
    *,
    person: Person | None = None,
    grade: int = 10,
    forms: tuple[str, ...] = ("student-student",),
    status: str = MentorStatus.REGISTERED,
    with_consent: bool = True,
    **fields: Any,
) -> Mentor:
    org = programme.organisation
    values: dict[str, Any] = {
        "category": MentorCategory.STUDENT,
        "competencies": "Математика, подготовка к ОГЭ",
        "subjects": "Математика",
        "availability": SLOTS,
        "capacity": 2,
        **fields,
    }
    made = Mentor.objects.create(
        organisation=org,
        programme=programme,
        person=person or student(org, grade=grade, with_consent=with_consent),
        status=status,
        **values,
    )
    made.forms.set([builtin_form(code) for code in forms])
    return made


def parent_of(child: Person, *, with_consent: bool = True, **fields: Any) -> Person:
    """A parent of the child, with the documents an external mentor brings."""
    parent = ParentFactory(organisation=child.organisation, **fields)
    GuardianLinkFactory(guardian=parent, child=child, organisation=child.organisation)
    for kind in DocumentKind.values:
        MentorDocumentFactory(person=parent, organisation=parent.organisation, kind=kind)
    return consent(parent) if with_consent else parent


@dataclass
class World:
    """An approved programme; three mentees of «Ученик – ученик» and two mentors (one place
    each), so one mentee is left without a mentor."""

    org: Organisation
    programme: Programme
    mentees: list[Mentee] = field(default_factory=list)
    mentors: list[Mentor] = field(default_factory=list)

    def chosen_pk(self, code: str = "student-student") -> int:
        return self.programme.chosen_forms.get(form__code=code).pk


def world(org: Organisation, *, mentees: int = 3, mentors: int = 2, capacity: int = 1) -> World:
    programme = approved_programme(org)
    made = World(org, programme)
    made.mentors = [mentor(programme, capacity=capacity) for _ in range(mentors)]
    made.mentees = [mentee(programme) for _ in range(mentees)]
    return made


def snapshot() -> dict[str, list[tuple]]:
    """Every row a matching write could touch, to prove a refused write changed nothing."""
    models = [
        matching_models.MatchingRun,
        matching_models.Proposal,
        matching_models.Exclusion,
        matching_models.UnmatchedMentee,
        Mentorship,
        MentorshipMentee,
        Mentee,
        Mentor,
        Order,
        OrderSubject,
        AuditEntry,
        RoadmapEvent,
        GuardianLink,
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}
