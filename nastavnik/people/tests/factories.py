import datetime

import factory

from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.models import (
    Gender,
    GuardianLink,
    GuardianRelation,
    ImportJob,
    ImportStatus,
    Person,
    PersonKind,
)
from nastavnik.people.transfer.tables import dump_rows


def cycled_birth_dates(first: datetime.date, days: int) -> factory.Sequence:
    """Birth dates from `first` on, cycled every `days`: the sequence runs over the whole test
    session, and a long session must not make people born too late for their role."""
    return factory.Sequence(lambda n: first + datetime.timedelta(days=n % days))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PersonKind.STUDENT
    last_name = factory.Iterator(["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов"])
    first_name = factory.Iterator(["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей"])
    middle_name = factory.Iterator(["Иванович", "Петрович", "Алексеевич", "Дмитриевич"])
    gender = Gender.MALE
    # Pupils of grade 7, never born in the future.
    birth_date = cycled_birth_dates(datetime.date(2012, 1, 1), 365)
    grade = 7
    class_letter = "А"


class StaffFactory(PersonFactory):
    kind = PersonKind.STAFF
    birth_date = cycled_birth_dates(datetime.date(1980, 1, 1), 3650)
    grade = None
    class_letter = ""
    position = "Учитель математики"
    subjects = "Математика"
    experience_years = 12


class ParentFactory(PersonFactory):
    kind = PersonKind.PARENT
    birth_date = cycled_birth_dates(datetime.date(1985, 1, 1), 3650)
    grade = None
    class_letter = ""


class GuardianLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianLink

    guardian = factory.SubFactory(ParentFactory)
    child = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..guardian.organisation")
    )
    organisation = factory.SelfAttribute("guardian.organisation")
    relation = GuardianRelation.MOTHER


class ImportJobFactory(factory.django.DjangoModelFactory):
    """An import waiting for its preview to be confirmed, with its file stored."""

    class Meta:
        model = ImportJob

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PersonKind.STUDENT
    status = ImportStatus.PREVIEWED
    # Stored as the upload stores it: the rows as read.
    file = factory.django.FileField(
        filename="rows",
        data=dump_rows(
            [
                (1, ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"]),
                (2, ["Иванов", "Иван", "Иванович", datetime.date(2012, 9, 5), "7А"]),
            ]
        ),
    )
    file_name = "список.csv"
    file_format = "csv"
    encoding = "utf-8"
    delimiter = ";"
    header_row = 1
    mapping = factory.LazyFunction(
        lambda: {
            "0": "last_name",
            "1": "first_name",
            "2": "middle_name",
            "3": "birth_date",
            "4": "class_name",
        }
    )
    rows_total = 1
    preview = factory.LazyFunction(lambda: {"rows": 1, "create": 1, "update": 0, "invalid": 0})
