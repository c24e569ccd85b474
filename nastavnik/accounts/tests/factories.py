from datetime import timedelta

import factory
from django.utils import timezone

from nastavnik.accounts.models import Invitation
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import OrganisationFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.ru")
    role = Role.MENTOR
    expires_at = factory.LazyFunction(Invitation.default_expiry)

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )
