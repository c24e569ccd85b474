"""The demo's consents keep the rules the services enforce, though they are inserted in bulk."""

from collections import Counter

import pytest
from django.urls import reverse

from nastavnik.accounts.models import User
from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.rules import hidden_q, signing_for, valid_consent_q
from nastavnik.demo.tests.factories import demo_for_the_module
from nastavnik.orgs.models import AcademicYear
from nastavnik.people.models import GuardianLink, Person, PersonKind

demo_loaded = demo_for_the_module("demo_loaded")


@pytest.fixture
def demo(demo_loaded, db):
    return None


def students():
    return Person.objects.filter(organisation__slug="school-5", kind=PersonKind.STUDENT)


def test_most_students_are_covered_some_are_not_and_one_withdrew(demo):
    total = students().count()
    allowed = students().filter(valid_consent_q(Purpose.PARTICIPATION)).count()
    assert 0.65 < allowed / total < 0.95
    assert students().exclude(hidden_q()).count() == total - 1
    methods = Counter(Consent.objects.values_list("method", flat=True))
    assert methods[Method.PAPER] > 0 and methods[Method.ELECTRONIC] > 0
    withdrawn = Consent.objects.filter(
        organisation__slug="school-5", withdrawn_at__isnull=False
    ).get()
    assert withdrawn.purpose == Purpose.PROCESSING and withdrawn.withdrawal_reason


def test_every_demo_consent_keeps_the_rules(demo):
    links = set(GuardianLink.objects.values_list("guardian_id", "child_id"))
    seen = Counter()
    for consent in Consent.objects.select_related("subject", "given_by"):
        signing = signing_for(consent.subject, consent.given_on)
        if signing.minor:
            assert (consent.given_by_id, consent.subject_id) in links
            assert consent.authority_document
            assert consent.minor_signed == signing.minor_signs
            assert consent.valid_until <= signing.guardian_until
        else:
            assert consent.given_by_id == consent.subject_id
        assert consent.given_on <= consent.valid_until
        # One consent a purpose for an academic year (last year's participants had theirs).
        seen[
            (consent.subject_id, consent.purpose, AcademicYear.start_year_for(consent.valid_until))
        ] += 1
    assert max(seen.values()) == 1
    assert len({(subject, purpose) for subject, purpose, _year in seen}) < len(seen)


def test_the_demo_guardian_sees_the_consents_she_gave(demo, client):
    client.force_login(User.objects.get(email="parent@school5.demo"))

    page = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-5"}))

    given = [consent for consent, _status in page.context["own_consents"]]
    mentee = Person.objects.get(user__email="mentee@school5.demo")
    assert {c.purpose for c in given if c.subject == mentee} == {
        Purpose.PROCESSING,
        Purpose.PARTICIPATION,
    }
    assert all(c.method == Method.ELECTRONIC for c in given if c.subject == mentee)
