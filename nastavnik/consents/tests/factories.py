"""Consent rows made directly, for tests that need a consent to exist; tests of the rules
themselves go through the services."""

import datetime

import factory
from django.utils import timezone

from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.texts import DOCUMENT_VERSION, TEXTS, WITHDRAWAL
from nastavnik.people.tests.factories import StaffFactory


class ConsentFactory(factory.django.DjangoModelFactory):
    """A valid paper consent of an adult for themselves."""

    class Meta:
        model = Consent

    subject = factory.SubFactory(StaffFactory)
    organisation = factory.SelfAttribute("subject.organisation")
    given_by = factory.SelfAttribute("subject")
    purpose = Purpose.PROCESSING
    document_version = DOCUMENT_VERSION
    operator_details = factory.LazyAttribute(lambda c: c.organisation.name)
    purpose_text = factory.LazyAttribute(lambda c: TEXTS[c.purpose].purpose)
    data_categories = factory.LazyAttribute(lambda c: TEXTS[c.purpose].data)
    actions = factory.LazyAttribute(lambda c: TEXTS[c.purpose].actions)
    withdrawal_procedure = WITHDRAWAL
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=200))
    method = Method.PAPER
