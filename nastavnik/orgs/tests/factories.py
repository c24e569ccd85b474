import factory

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Membership, Municipality, Organisation, Region, Role


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Регион {n}")
    code = factory.Sequence(lambda n: f"{n:02d}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Город {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(
        lambda n: f"Муниципальное автономное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"Школа № {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    first_name = "Анна"
    last_name = "Петрова"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CURATOR
