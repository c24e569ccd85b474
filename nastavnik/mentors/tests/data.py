"""The world a mentor test needs, built as the curator builds it: a programme of the running
year, people with consents, a commission of accounts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditEntry
from nastavnik.consents.models import Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.mentors import models as mentor_models
from nastavnik.mentors.models import DocumentKind, Mentor
from nastavnik.orders.models import Order, OrderSubject
from nastavnik.orgs.models import AcademicYear, Membership, Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, UserFactory
from nastavnik.people.models import ExternalCategory, Person, PersonKind
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.programmes.models import Programme, RoadmapEvent
from nastavnik.programmes.tests import data as programme_data

PDF = programme_data.PDF


def running_year() -> int:
    return AcademicYear.start_year_for(timezone.localdate())


def programme(org: Organisation, *, roadmap: bool = False) -> Programme:
    """The programme of the running academic year with its three forms (a draft: the mentor
    base does not wait for the approval)."""
    return programme_data.programme(
        org,
        running_year(),
        forms=("student-student", "teacher-teacher", "teacher-student"),
        roadmap=roadmap,
    )


def consent(person: Person, *purposes: str) -> Person:
    """Valid consents of the person for processing and each purpose given."""
    for purpose in (Purpose.PROCESSING, *purposes):
        ConsentFactory(subject=person, given_by=person, purpose=purpose)
    return person


def staff(org: Organisation, *purposes: str, **fields: object) -> Person:
    return consent(StaffFactory(organisation=org, **fields), Purpose.PARTICIPATION, *purposes)


def external(org: Organisation, *purposes: str, **fields: object) -> Person:
    values = {
        "organisation": org,
        "kind": PersonKind.EXTERNAL,
        "external_category": ExternalCategory.EMPLOYER,
        "grade": None,
        "class_letter": "",
        "birth_date": timezone.localdate().replace(year=1985),
        "position": "Инженер-технолог",
        "workplace": "АО «Завод»",
        **fields,
    }
    person = PersonFactory(**values)
    return consent(person, Purpose.PARTICIPATION, *purposes)


def documents(mentor: Mentor, *, until_days: int = 300, kinds: tuple[str, ...] = ()) -> None:
    from django.core.files.base import ContentFile

    from nastavnik.mentors import services

    today = timezone.localdate()
    for kind in kinds or tuple(DocumentKind):
        services.document_save(
            mentor,
            kind,
            number="12/345",
            issued_on=today - timedelta(days=20),
            valid_until=today + timedelta(days=until_days),
            scan=ContentFile(PDF, name="scan.pdf"),
            by=None,
        )


def account(org: Organisation, *roles: str, last_name: str = "Петрова") -> User:
    user = UserFactory(last_name=last_name)
    for role in roles:
        MembershipFactory(organisation=org, user=user, role=role)
    return user


def tenant_commission(tenant) -> list[User]:
    """Director (chair), curator and a commission member of the conftest tenant."""
    return [
        tenant.user(Role.DIRECTOR),
        tenant.user(Role.CURATOR),
        tenant.user(Role.COMMISSION_MEMBER),
    ]


def tenant_commission_of(org: Organisation) -> list[User]:
    """The commission of the programme of `org`'s running year, formed once from the accounts
    of the conftest tenant."""
    from nastavnik.mentors import services
    from nastavnik.mentors.models import CommissionMember

    programme = Programme.objects.get(organisation=org)
    seats = CommissionMember.objects.filter(programme=programme)
    if not seats.exists():
        users = [
            Membership.objects.get(organisation=org, role=role).user
            for role in (Role.DIRECTOR, Role.CURATOR, Role.COMMISSION_MEMBER)
        ]
        services.commission_set(programme, users, by=None)
    return [seat.user for seat in seats.select_related("user")]


def roles_of(org: Organisation, user: User) -> set[str]:
    return set(
        Membership.objects.filter(organisation=org, user=user).values_list("role", flat=True)
    )


def snapshot() -> dict[str, list[tuple]]:
    """Every row a mentor write could touch, to prove a refused write changed nothing."""
    models = [
        model
        for model in vars(mentor_models).values()
        if isinstance(model, type)
        and hasattr(model, "_meta")
        and getattr(model._meta, "app_label", "") == "mentors"
        and not model._meta.abstract
    ]
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in [*models, AuditEntry, Order, OrderSubject, RoadmapEvent]
    }
    rows["mentor_forms"] = list(Mentor.forms.through.objects.order_by("pk").values_list())
    return rows
