"""`depersonalise_expired`: after the retention term the data go, the figures stay, and the audit
log keeps no personal data of the person."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from nastavnik.audit.models import AuditAction, AuditEntry
from nastavnik.consents.models import Consent, ConsentLink, Depersonalisation
from nastavnik.consents.rules import is_hidden
from nastavnik.consents.services import (
    Depersonalised,
    consent_link_issue,
    consent_withdraw,
    due_for_depersonalisation,
    people_depersonalise,
)
from nastavnik.consents.tests.conftest import give
from nastavnik.people.models import Person
from nastavnik.people.services import person_update

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("depersonalise_expired", *args, stdout=out)
    return out.getvalue()


def age_withdrawal(consent, days):
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now() - timedelta(days=days))


def test_nobody_is_touched_within_the_retention_term(family):
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление", by=None)
    age_withdrawal(consent, 29)

    assert "depersonalised=0" in run()
    family.child.refresh_from_db()
    assert family.child.last_name == "Петров"


def test_after_the_term_the_person_is_depersonalised_and_the_figures_kept(family, curator):
    person_update(family.child, {"phone": "+7 912 000-11-22", "notes": "Любит шахматы"}, by=curator)
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление Петровой А. С.", by=curator)
    age_withdrawal(consent, 31)
    born = family.child.birth_date

    out = run()

    assert "depersonalised=1" in out
    child = Person.objects.get(pk=family.child.pk)
    assert "Петров" not in child.full_name and "Илья" not in child.full_name
    assert child.phone == child.notes == child.middle_name == ""
    assert child.birth_date == born.replace(month=1, day=1)
    assert (child.kind, child.gender, child.grade, child.class_letter) == ("student", "m", 7, "А")
    assert Depersonalisation.objects.filter(person=child).exists()
    assert is_hidden(child)
    # The consent row stays (a withdrawal on record), without the evidence or the scan.
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not consent.scan and consent.authority_document == ""


def test_the_audit_log_of_a_depersonalised_person_keeps_no_personal_data(family, curator):
    person_update(family.child, {"first_name": "Илюша", "phone": "+7 912 000-11-22"}, by=curator)
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление", by=curator)
    age_withdrawal(consent, 31)
    about = AuditEntry.objects.about(family.child.pk)
    assert any("Илюша" in str(e.changes) for e in about)

    run()

    for entry in AuditEntry.objects.about(family.child.pk):
        text = f"{entry.object_label} {entry.changes}"
        for secret in ("Петров", "Илья", "Илюша", "Петрова", "912", "512345"):
            assert secret not in text, (entry.action, text)
    update = AuditEntry.objects.about(family.child.pk).get(action=AuditAction.UPDATE)
    # The fact of the change stays: who, when, which fields.
    assert update.actor == curator and set(update.changes) == {"first_name", "phone"}
    assert update.scrubbed_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.DEPERSONALISE).count() == 1


def test_an_expired_consent_leads_to_depersonalisation_after_its_term(family):
    consent = give(family, family.adult, family.adult)
    Consent.objects.filter(pk=consent.pk).update(
        given_on=family.today - timedelta(days=400),
        valid_until=family.today - timedelta(days=31),
    )

    assert list(due_for_depersonalisation(family.org)) == [family.adult]
    run()
    assert Depersonalisation.objects.filter(person=family.adult).exists()


def test_a_valid_newer_consent_protects_the_data(family):
    old = give(family, family.adult, family.adult)
    consent_withdraw(old, "Заявление", by=None)
    age_withdrawal(old, 60)
    give(family, family.adult, family.adult)

    assert list(due_for_depersonalisation(family.org)) == []


def test_people_who_never_consented_are_not_depersonalised(family):
    assert list(due_for_depersonalisation(family.org)) == []
    assert "depersonalised=0" in run()


def test_a_guardian_who_signed_a_childs_valid_consent_is_kept(family):
    give(family, family.child, family.mother)
    own = give(family, family.mother, family.mother)
    consent_withdraw(own, "Заявление", by=None)
    age_withdrawal(own, 31)

    out = run()

    assert "kept_as_representative=1" in out
    assert people_depersonalise(family.mother, by=None) == Depersonalised.REPRESENTATIVE
    family.mother.refresh_from_db()
    assert family.mother.last_name == "Петрова"


def test_a_second_run_changes_nothing(family):
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление", by=None)
    age_withdrawal(consent, 31)
    run()
    count = AuditEntry.objects.count()

    assert "depersonalised=0" in run()
    assert AuditEntry.objects.count() == count
    assert people_depersonalise(family.child, by=None) == Depersonalised.ALREADY


def test_dry_run_lists_and_changes_nothing(family, settings):
    settings.CONSENT_RETENTION_WITHDRAWN_DAYS = 0
    consent = give(family, family.child, family.mother)
    issued = consent_link_issue(family.child, family.mother, ["participation"], by=None)
    consent_withdraw(consent, "Заявление", by=None)

    out = run("--dry-run", "--organisation", family.org.slug)

    assert f"person {family.child.pk} is due" in out
    assert not Depersonalisation.objects.exists()
    run()
    # The unused link of a depersonalised person no longer works.
    assert ConsentLink.objects.get(pk=issued.link.pk).revoked_at is not None


def test_only_the_organisation_asked_for(family, tenant_b):
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление", by=None)
    age_withdrawal(consent, 31)

    assert "depersonalised=0" in run("--organisation", tenant_b.organisation.slug)
    assert "depersonalised=1" in run("--organisation", family.org.slug)
