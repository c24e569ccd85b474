import datetime

import factory

from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.models import Gender, GuardianLink, GuardianRelation, Person, PersonKind


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PersonKind.STUDENT
    last_name = factory.Iterator(["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов"])
    first_name = factory.Iterator(["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей"])
    middle_name = factory.Iterator(["Иванович", "Петрович", "Алексеевич", "Дмитриевич"])
    gender = Gender.MALE
    birth_date = factory.Sequence(lambda n: datetime.date(2012, 1, 1) + datetime.timedelta(days=n))
    grade = 7
    class_letter = "А"


class StaffFactory(PersonFactory):
    kind = PersonKind.STAFF
    birth_date = factory.Sequence(lambda n: datetime.date(1980, 1, 1) + datetime.timedelta(days=n))
    grade = None
    class_letter = ""
    position = "Учитель математики"
    subjects = "Математика"
    experience_years = 12


class ParentFactory(PersonFactory):
    kind = PersonKind.PARENT
    birth_date = factory.Sequence(lambda n: datetime.date(1985, 1, 1) + datetime.timedelta(days=n))
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
