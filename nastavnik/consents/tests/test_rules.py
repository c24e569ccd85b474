"""The consent gates: who may consent for whom, one consent per purpose, withdrawal, and the one
rule everything else asks (`with_valid_consent`, `may_use`, `consent_status`)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from nastavnik.audit.models import AuditAction, AuditEntry
from nastavnik.consents.models import Consent, Method, Purpose, Status
from nastavnik.consents.rules import (
    consent_status,
    hidden_q,
    is_hidden,
    may_use,
    signing_for,
    valid_consent_q,
)
from nastavnik.consents.services import MESSAGES, consent_record, consent_withdraw
from nastavnik.consents.tests.conftest import JPEG, PNG, pdf
from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.people.models import Person
from nastavnik.people.tests.data import born
from nastavnik.people.tests.factories import ParentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def record(family, subject, signer, purpose=Purpose.PROCESSING, by=None, **overrides):
    data = {
        "given_on": family.today,
        "valid_until": family.today + timedelta(days=100),
        "scan": pdf(),
        "authority_document": "свидетельство о рождении IV-АИ № 512345",
        "minor_signed": False,
    }
    return consent_record(subject, purpose, signer, by=by, **(data | overrides))


def messages_of(error):
    return [str(m) for m in error.value.messages]


def people(family):
    return Person.objects.for_org(family.org)


# --- Who consents for whom ------------------------------------------------------------------


def test_an_adults_own_consent_works(family, curator):
    consent = record(family, family.adult, family.adult, by=curator)

    assert consent.method == Method.PAPER
    assert consent.by_representative is False
    assert consent.authority_document == ""
    assert may_use(family.adult, Purpose.PROCESSING)
    assert family.adult in people(family).filter(valid_consent_q(Purpose.PROCESSING))
    # Processing alone does not yet allow participation.
    assert not may_use(family.adult, Purpose.PARTICIPATION)


def test_a_minor_without_a_guardian_consent_has_no_valid_consent_for_participation(family):
    # Even the minor's own signature does not count.
    with pytest.raises(ValidationError) as error:
        record(family, family.child, family.child, Purpose.PARTICIPATION)

    assert str(MESSAGES["minor_guardian"] % {"name": family.child.full_name}) in messages_of(error)
    assert not Consent.objects.exists()
    assert not may_use(family.child, Purpose.PARTICIPATION)
    assert family.child not in people(family).filter(valid_consent_q(Purpose.PARTICIPATION))


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        # A child's consent by someone who is not the child's guardian.
        ("child", "minor_guardian"),
        # An adult consents only for themselves.
        ("adult", "adult_self"),
    ],
)
def test_a_consent_given_by_someone_else_is_refused(family, subject, code):
    stranger = ParentFactory(organisation=family.org)

    with pytest.raises(ValidationError) as error:
        record(family, getattr(family, subject), stranger)

    assert error.value.error_dict["given_by"][0].code == code
    assert not Consent.objects.exists()


def test_a_guardian_of_another_child_is_refused_too(family):
    with pytest.raises(ValidationError):
        record(family, family.child, family.teen_mother)

    assert not Consent.objects.exists()


def test_the_guardians_consent_covers_the_minor(family, curator):
    record(family, family.child, family.mother, Purpose.PROCESSING, by=curator)
    record(family, family.child, family.mother, Purpose.PARTICIPATION, by=curator)

    assert may_use(family.child, Purpose.PARTICIPATION)
    assert list(
        people(family).filter(pk=family.child.pk).filter(valid_consent_q(Purpose.PARTICIPATION))
    ) == [family.child]
    consent = Consent.objects.get(purpose=Purpose.PARTICIPATION)
    assert consent.by_representative
    assert consent.authority_document.startswith("свидетельство о рождении")
    # Under 14 the child does not sign.
    assert consent.minor_signed is False


def test_a_guardian_must_name_the_document_of_authority(family):
    with pytest.raises(ValidationError) as error:
        record(family, family.child, family.mother, authority_document="  ")

    assert error.value.error_dict["authority_document"][0].code == "authority"
    assert not Consent.objects.exists()


def test_from_14_the_minors_signature_is_required_and_recorded(family):
    with pytest.raises(ValidationError) as error:
        record(family, family.teen, family.teen_mother, minor_signed=False)
    assert error.value.error_dict["minor_signed"][0].code == "minor_signature"
    assert not Consent.objects.exists()

    consent = record(family, family.teen, family.teen_mother, minor_signed=True)

    assert consent.minor_signed is True
    assert signing_for(family.teen, family.today).minor_signs


def test_age_is_taken_on_the_day_of_signing(family):
    # Turned 14 ten days ago: a form signed three weeks ago needed no own signature.
    child = PersonFactory(organisation=family.org, birth_date=born(14, family.org, days=10))
    from nastavnik.people.services import guardian_link_add

    guardian_link_add(child, family.mother, "mother", by=None)

    consent = record(family, child, family.mother, given_on=family.today - timedelta(days=21))

    assert consent.minor_signed is False


def test_an_adult_student_consents_personally(family):
    adult_student = PersonFactory(
        organisation=family.org, birth_date=born(18, family.org), grade=11
    )

    consent = record(family, adult_student, adult_student)

    assert not consent.by_representative


def test_a_guardians_consent_ends_before_the_child_comes_of_age(family):
    eve = signing_for(family.teen, family.today).guardian_until
    assert eve is not None

    with pytest.raises(ValidationError) as error:
        record(
            family,
            family.teen,
            family.teen_mother,
            minor_signed=True,
            valid_until=eve + timedelta(days=1),
        )

    assert error.value.error_dict["valid_until"][0].code == "term_guardian"
    consent = record(family, family.teen, family.teen_mother, minor_signed=True, valid_until=eve)
    assert consent.valid_until == eve


# --- Dates and the scan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"given_on_days": 1}, "given_on", "future"),
        ({"given_on_days": -10, "valid_until_days": -1}, "valid_until", "term_past"),
        ({"given_on_days": -10, "valid_until_days": -11}, "valid_until", "term_order"),
        ({"valid_until_days": 365 * 6}, "valid_until", "term_long"),
    ],
)
def test_bad_dates_are_refused_with_nothing_written(family, overrides, field, code):
    data = {}
    if "given_on_days" in overrides:
        data["given_on"] = family.today + timedelta(days=overrides["given_on_days"])
    if "valid_until_days" in overrides:
        data["valid_until"] = family.today + timedelta(days=overrides["valid_until_days"])

    with pytest.raises(ValidationError) as error:
        record(family, family.adult, family.adult, **data)

    assert error.value.error_dict[field][0].code == code
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.filter(object_type="consent").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("скан.pdf", b"MZ\x90\x00 this is an exe"), UPLOAD_MESSAGES["type"]),
        (pdf("скан.pdf", b"just some text, not a pdf"), UPLOAD_MESSAGES["type"]),
        (pdf("скан.pdf", b""), UPLOAD_MESSAGES["empty"]),
        (None, MESSAGES["scan_required"]),
    ],
)
def test_a_scan_that_is_not_a_pdf_or_image_is_refused(family, upload, message):
    with pytest.raises(ValidationError) as error:
        record(family, family.adult, family.adult, scan=upload)

    assert str(message) in messages_of(error)
    assert not Consent.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_scan_that_is_too_large_is_refused(family):
    with pytest.raises(ValidationError) as error:
        record(family, family.adult, family.adult, scan=pdf(content=b"%PDF-" + b"0" * 2000))

    assert error.value.error_dict["scan"][0].code == "size"
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("content", "suffix"), [(PNG, ".png"), (JPEG, ".jpg")])
def test_a_scan_is_stored_by_what_it_is_not_by_its_name(family, content, suffix):
    consent = record(family, family.adult, family.adult, scan=pdf("Орлова.pdf", content))

    assert consent.scan.name.endswith(suffix)
    assert "Орлова" not in consent.scan.name
    with consent.scan.open("rb") as stored:
        assert stored.read() == content


# --- One consent per purpose ----------------------------------------------------------------


def test_a_second_valid_consent_for_the_same_purpose_is_refused(family):
    record(family, family.adult, family.adult)

    with pytest.raises(ValidationError) as error:
        record(family, family.adult, family.adult)

    assert error.value.error_dict["purpose"][0].code == "duplicate"
    assert Consent.objects.count() == 1
    # Another purpose is another document.
    record(family, family.adult, family.adult, Purpose.PARTICIPATION)
    assert Consent.objects.count() == 2


def test_after_a_withdrawal_a_new_consent_can_be_recorded(family, curator):
    consent = record(family, family.adult, family.adult)
    consent_withdraw(consent, "Заявление от 1 марта", by=curator)

    record(family, family.adult, family.adult)

    assert may_use(family.adult, Purpose.PROCESSING)
    assert not is_hidden(family.adult)


# --- Withdrawal -----------------------------------------------------------------------------


def test_a_withdrawn_consent_removes_the_person_from_what_the_rule_allows(family, curator):
    processing = record(family, family.child, family.mother, Purpose.PROCESSING)
    record(family, family.child, family.mother, Purpose.PARTICIPATION)
    assert family.child in people(family).filter(valid_consent_q(Purpose.PARTICIPATION))

    consent_withdraw(processing, "Письменное заявление матери", by=curator)

    assert family.child not in people(family).filter(valid_consent_q(Purpose.PARTICIPATION))
    assert family.child not in people(family).filter(valid_consent_q(Purpose.PROCESSING))
    assert not may_use(family.child, Purpose.PARTICIPATION)
    status = consent_status(family.child)
    assert status.states[Purpose.PROCESSING].status == Status.WITHDRAWN
    # The participation consent itself stands, but counts for nothing without processing.
    assert status.states[Purpose.PARTICIPATION].blocked
    assert status.hidden and is_hidden(family.child)
    assert family.child not in people(family).exclude(hidden_q())


def test_withdrawing_participation_keeps_the_data_visible(family, curator):
    record(family, family.child, family.mother, Purpose.PROCESSING)
    participation = record(family, family.child, family.mother, Purpose.PARTICIPATION)

    consent_withdraw(participation, "Заявление отца", by=curator)

    assert not may_use(family.child, Purpose.PARTICIPATION)
    assert may_use(family.child, Purpose.PROCESSING)
    assert not is_hidden(family.child)


def test_withdrawal_twice_is_refused_with_the_date_and_changes_nothing(family, curator):
    consent = record(family, family.adult, family.adult)
    consent_withdraw(consent, "Первый отзыв", by=curator)
    first = Consent.objects.get(pk=consent.pk)

    with pytest.raises(ValidationError) as error:
        consent_withdraw(Consent.objects.get(pk=consent.pk), "Второй отзыв", by=curator)

    assert error.value.code == "already_withdrawn"
    again = Consent.objects.get(pk=consent.pk)
    assert (again.withdrawn_at, again.withdrawal_reason) == (
        first.withdrawn_at,
        "Первый отзыв",
    )
    assert AuditEntry.objects.filter(action=AuditAction.WITHDRAW).count() == 1


def test_withdrawal_needs_a_reason_from_the_curator(family, curator):
    consent = record(family, family.adult, family.adult)

    with pytest.raises(ValidationError) as error:
        consent_withdraw(consent, "   ", by=curator)

    assert error.value.error_dict["reason"][0].code == "reason"
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_an_expired_consent_no_longer_counts(family):
    consent = record(family, family.adult, family.adult)
    Consent.objects.filter(pk=consent.pk).update(
        given_on=family.today - timedelta(days=400),
        valid_until=family.today - timedelta(days=1),
    )

    assert not may_use(family.adult, Purpose.PROCESSING)
    assert consent_status(family.adult).states[Purpose.PROCESSING].status == Status.EXPIRED
    # Expiry is not a withdrawal: the data stay visible until depersonalised.
    assert not is_hidden(family.adult)
    assert may_use(family.adult, Purpose.PROCESSING, on=family.today - timedelta(days=2))


def test_with_valid_consent_is_one_query_for_any_number_of_people(
    family, django_assert_num_queries
):
    for person in (family.adult,):
        record(family, person, person)
        record(family, person, person, Purpose.PARTICIPATION)

    with django_assert_num_queries(1):
        allowed = list(people(family).filter(valid_consent_q(Purpose.PARTICIPATION)))

    assert allowed == [family.adult]
