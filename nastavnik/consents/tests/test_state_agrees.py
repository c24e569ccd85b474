"""The register, the person's consents page and the guardian's cabinet say the same of one
consent: `rules.consent_state` decides for all of them. A participation consent that is valid
itself counts for nothing once the processing consent is withdrawn — everywhere."""

import pytest
from django.utils.translation import gettext

from nastavnik.consents.models import Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.consents.tests.test_views import give, login, url
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db


def _register_states(client, family, **params):
    page = client.get(url("consents:register", family), params)
    return {
        (c.subject.last_name, c.purpose): (state.status, state.blocked)
        for c, state in page.context["rows"]
    }


def test_register_and_person_page_agree_after_the_processing_consent_is_withdrawn(
    client, tenant_a, family
):
    processing = give(family, family.adult, family.adult)
    participation = give(family, family.adult, family.adult, Purpose.PARTICIPATION)
    login(client, tenant_a, Role.CURATOR)
    assert _register_states(client, family)[("Орлова", "participation")] == ("valid", False)

    consent_withdraw(processing, "Заявление", by=None)

    # The register: the participation consent is not in effect, not «действует».
    register = client.get(url("consents:register", family))
    states = {
        (c.subject.last_name, c.purpose): (state.status, state.blocked)
        for c, state in register.context["rows"]
    }
    assert states[("Орлова", "participation")] == ("valid", True)
    assert states[("Орлова", "processing")] == ("withdrawn", False)
    # ... nor does the "valid" filter list it.
    assert ("Орлова", "participation") not in _register_states(client, family, status="valid")
    # The person's page says the same, in the table and in the history.
    person = client.get(url("consents:person", family, person_pk=family.adult.pk))
    table = person.context["status"].states[Purpose.PARTICIPATION]
    assert (table.status, table.blocked) == ("valid", True)
    history = {c.pk: (s.status, s.blocked) for c, s in person.context["history"]}
    assert history[participation.pk] == ("valid", True)
    not_in_effect = gettext("not in effect")
    assert not_in_effect in register.content.decode()
    assert not_in_effect in person.content.decode()


def test_the_guardians_cabinet_agrees_with_the_register(client, tenant_a, family):
    tenant_a.user(Role.GUARDIAN)
    family.mother.user = tenant_a.user(Role.GUARDIAN)
    family.mother.save(update_fields=["user"])
    processing = give(family, family.child, family.mother)
    give(family, family.child, family.mother, Purpose.PARTICIPATION)
    consent_withdraw(processing, "Заявление", by=None)
    login(client, tenant_a, Role.GUARDIAN)

    page = client.get(url("cabinets:guardian", family))

    states = {c.purpose: (s.status, s.blocked) for c, s in page.context["own_consents"]}
    assert states == {"processing": ("withdrawn", False), "participation": ("valid", True)}
    assert gettext("not in effect") in page.content.decode()
