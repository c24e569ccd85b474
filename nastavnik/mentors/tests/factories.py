"""Rows of the mentor base made directly, for tests that need them to exist; tests of the rules
themselves go through the services."""

import datetime

import factory
from django.utils import timezone

from nastavnik.catalogue.profile import MentorCategory
from nastavnik.mentors.models import (
    DocumentKind,
    Mentor,
    MentorDocument,
    MentorStatus,
    PortfolioItem,
    PortfolioKind,
    TrainingEvent,
)
from nastavnik.people.tests.factories import StaffFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class MentorFactory(factory.django.DjangoModelFactory):
    """A staff member in the mentor base of a programme (pass `programme`)."""

    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    organisation = factory.SelfAttribute("programme.organisation")
    person = factory.SubFactory(
        StaffFactory, organisation=factory.SelfAttribute("..programme.organisation")
    )
    category = MentorCategory.STAFF
    status = MentorStatus.CANDIDATE
    competencies = "Подготовка к олимпиадам"


class MentorDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorDocument

    person = factory.SubFactory(StaffFactory)
    organisation = factory.SelfAttribute("person.organisation")
    kind = DocumentKind.NO_CRIMINAL_RECORD
    number = factory.Sequence(lambda n: f"{n:04d}/25")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
    scan = factory.django.FileField(filename="scan.pdf", data=PDF)


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    organisation = factory.SelfAttribute("programme.organisation")
    held_on = factory.LazyAttribute(lambda e: e.programme.academic_year.starts_on)
    topic = "Вводное совещание с наставниками"
    trainer = "Куратор программы"
    required = True
    materials = factory.django.FileField(filename="materials.pdf", data=PDF)


class PortfolioItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioItem

    person = factory.SubFactory(StaffFactory)
    organisation = factory.SelfAttribute("person.organisation")
    kind = PortfolioKind.ACHIEVEMENT
    title = "Диплом победителя конкурса"
    file = factory.django.FileField(filename="diploma.pdf", data=PDF)
