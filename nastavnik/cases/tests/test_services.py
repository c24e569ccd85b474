"""Writing and publishing cases: the consent rule, bad input changing nothing, the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.cases import services
from nastavnik.cases.models import Case, CaseStatus
from nastavnik.cases.rules import attach_shown_people, with_pair
from nastavnik.cases.tests.data import (
    CASE_TEXT,
    case,
    consent,
    consent_all,
    guardian_consent,
    pair,
    programme_of,
)
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.people.tests.factories import PersonFactory
from nastavnik.programmes.tests.data import builtin_form

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _fresh(made: Case) -> Case:
    return with_pair(Case.objects.filter(pk=made.pk)).get()


def test_a_case_from_a_pair_takes_its_form_and_is_a_draft(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))

    made = case(mentorship.programme, mentorship)

    assert made.status == CaseStatus.DRAFT
    assert made.form == mentorship.form
    assert made.mentorship == mentorship
    assert made.organisation == tenant_a.organisation
    assert "пятиклассника" in made.search_text  # folded for the search
    assert AuditEntry.objects.filter(object_type=AuditObject.CASE, object_id=made.pk).exists()


@pytest.mark.parametrize("title", ["", "   "])
def test_a_case_without_a_title_is_refused_and_nothing_is_saved(tenant_a, title):
    programme = programme_of(tenant_a.organisation)

    with pytest.raises(ValidationError) as refused:
        case(programme, title=title)

    assert _codes(refused.value) == {"title_required"}
    assert Case.objects.count() == 0


def test_a_pair_of_another_organisation_is_refused(tenant_a, tenant_b):
    ours = programme_of(tenant_a.organisation)
    theirs = pair(programme_of(tenant_b.organisation))

    with pytest.raises(ValidationError) as refused:
        services.case_create(ours, CASE_TEXT, by=None, mentorship=theirs)

    assert _codes(refused.value) == {"mentorship_elsewhere"}
    assert Case.objects.count() == 0


def test_a_role_model_of_another_form_is_refused(tenant_a):
    programme = programme_of(tenant_a.organisation)
    other = builtin_form("teacher-teacher").role_models.first()

    with pytest.raises(ValidationError) as refused:
        case(programme, form=builtin_form("student-student"), role_model=other)

    assert _codes(refused.value) == {"role_model_of_other_form"}
    assert Case.objects.count() == 0


def test_publishing_without_everyones_consent_is_refused_and_changes_nothing(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    consent(mentorship.mentor.person)  # the mentor agreed; the mentee's guardian did not
    made = case(mentorship.programme, mentorship)
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.case_publish(made, by=None)

    assert _codes(refused.value) == {"no_consent"}
    mentee = mentorship.members.get().mentee.person
    assert mentee.full_name in refused.value.messages[0]
    assert mentorship.mentor.person.full_name not in refused.value.messages[0]
    made.refresh_from_db()
    assert made.status == CaseStatus.DRAFT and made.published_at is None
    assert AuditEntry.objects.count() == entries


def test_with_every_consent_the_case_is_published_with_names(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    consent_all(mentorship)
    made = case(mentorship.programme, mentorship)

    services.case_publish(made, by=None)

    shown = attach_shown_people([_fresh(made)])[0].shown
    mentor = mentorship.mentor.person
    mentee = mentorship.members.get().mentee.person
    assert shown.mentor == f"{mentor.last_name} {mentor.first_name}"
    assert shown.mentees == [f"{mentee.first_name} {mentee.last_name[0]}."]


def test_a_case_without_names_is_published_without_consents_and_names_nobody(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    made = case(mentorship.programme, mentorship, without_names=True)

    services.case_publish(made, by=None)

    made.refresh_from_db()
    assert made.is_published and made.published_at is not None
    assert attach_shown_people([_fresh(made)])[0].shown is None


def test_a_case_without_its_story_cannot_be_published(tenant_a):
    made = case(programme_of(tenant_a.organisation), results="", without_names=True)

    with pytest.raises(ValidationError) as refused:
        services.case_publish(made, by=None)

    assert _codes(refused.value) == {"incomplete"}
    made.refresh_from_db()
    assert made.status == CaseStatus.DRAFT


def test_a_withdrawn_consent_takes_the_names_off_at_once(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    consent_all(mentorship)
    made = case(mentorship.programme, mentorship, published=True)
    mentee = mentorship.members.get().mentee.person

    consent_withdraw(
        Consent.objects.get(subject=mentee, purpose=Purpose.PUBLICATION),
        "",
        None,
        require_reason=False,
    )

    assert attach_shown_people([_fresh(made)])[0].shown is None
    made.refresh_from_db()
    assert made.is_published  # the case stays, without names


def test_turning_names_on_for_a_published_case_needs_the_consents(tenant_a):
    mentorship = pair(programme_of(tenant_a.organisation))
    made = case(mentorship.programme, mentorship, without_names=True, published=True)

    with pytest.raises(ValidationError) as refused:
        services.case_update(made, {**CASE_TEXT, "without_names": False}, by=None)

    assert _codes(refused.value) == {"no_consent"}
    made.refresh_from_db()
    assert made.without_names is True


def test_a_minor_mentor_is_named_only_with_the_guardians_consent(tenant_a):
    programme = programme_of(tenant_a.organisation)
    student_mentor = PersonFactory(organisation=tenant_a.organisation, grade=10)
    mentee = PersonFactory(organisation=tenant_a.organisation, grade=5)
    mentorship = pair(programme, student_mentor, mentee)
    guardian_consent(mentee)
    made = case(programme, mentorship)

    with pytest.raises(ValidationError):
        services.case_publish(made, by=None)
    guardian_consent(student_mentor)
    services.case_publish(made, by=None)

    made.refresh_from_db()
    assert made.is_published


def test_unpublish_and_delete(tenant_a):
    made = case(programme_of(tenant_a.organisation), without_names=True, published=True)

    services.case_unpublish(made, by=None)
    made.refresh_from_db()
    assert made.status == CaseStatus.DRAFT and made.published_at is None
    with pytest.raises(ValidationError):
        services.case_unpublish(made, by=None)

    services.case_delete(made, by=None)
    assert not Case.objects.exists()
