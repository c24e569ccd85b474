"""People of organisation A whose consents the tests record: a child under 14, a teenager of
15, each with a mother on record, and an adult teacher."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.services import consent_record
from nastavnik.orgs.models import Organisation, Role
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.tests.data import born, fio
from nastavnik.people.tests.factories import (
    GuardianLinkFactory,
    ParentFactory,
    PersonFactory,
    StaffFactory,
)
from nastavnik.people.validators import org_today

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf(name: str = "скан.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def give(
    family: "Family",
    subject: Person,
    signer: Person,
    purpose: str = Purpose.PROCESSING,
    **extra: Any,
) -> Consent:
    """A consent with its scan, given today by `signer` for `subject`, valid for 100 days."""
    return consent_record(
        subject,
        purpose,
        signer,
        given_on=family.today,
        valid_until=family.today + timedelta(days=100),
        scan=pdf(),
        by=None,
        authority_document="свидетельство о рождении IV-АИ № 512345",
        **extra,
    )


@dataclass
class Family:
    org: Organisation
    today: date
    child: Person  # 12 years old
    teen: Person  # 15 years old
    mother: Person
    teen_mother: Person
    link: GuardianLink
    teen_link: GuardianLink
    adult: Person

    @property
    def year_end(self) -> date:
        return self.today + timedelta(days=200)


@pytest.fixture
def family(tenant_a) -> Family:
    org = tenant_a.organisation
    org.inn = "6625024711"
    org.address = "623100, г. Первоуральск, ул. Школьная, д. 5"
    org.save()
    mother = ParentFactory(
        organisation=org,
        **fio("Петрова Анна Сергеевна"),
        gender="f",
        email="anna.petrova@example.ru",
    )
    child = PersonFactory(
        organisation=org,
        **fio("Петров Илья Андреевич"),
        birth_date=born(12, org),
    )
    link = GuardianLinkFactory(guardian=mother, child=child, organisation=org)
    teen_mother = ParentFactory(organisation=org, **fio("Соколова Ольга Ивановна"), gender="f")
    teen = PersonFactory(
        organisation=org,
        **fio("Соколова Мария Павловна"),
        gender="f",
        birth_date=born(15, org),
        grade=9,
    )
    teen_link = GuardianLinkFactory(guardian=teen_mother, child=teen, organisation=org)
    adult = StaffFactory(organisation=org, **fio("Орлова Елена Викторовна"), gender="f")
    return Family(
        org=org,
        today=org_today(org),
        child=child,
        teen=teen,
        mother=mother,
        teen_mother=teen_mother,
        link=link,
        teen_link=teen_link,
        adult=adult,
    )


@pytest.fixture
def curator(tenant_a):
    return tenant_a.user(Role.CURATOR)
