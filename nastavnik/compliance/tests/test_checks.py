"""Each compliance check, with a row that breaks it and one that does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.compliance.registry import CHECKS
from nastavnik.compliance.tests.data import labels, pair, rows, signed_order
from nastavnik.consents.models import Consent, Purpose
from nastavnik.indicators.deadlines import deadline_on_or_after, previous_deadline
from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.matching.tests.data import approved_programme, mentee, mentor, parent_of, student
from nastavnik.mentors.models import (
    CommissionMember,
    DocumentKind,
    MentorDocument,
    MentorStatus,
)
from nastavnik.mentors.tests.factories import MentorDocumentFactory, TrainingEventFactory
from nastavnik.mentorships.models import MentorAssignment, MentorshipResult, MentorshipStatus
from nastavnik.orders.kinds import OrderKind
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.tests.data import born
from nastavnik.people.validators import org_today
from nastavnik.plans.models import DevelopmentPlan, PlanItem
from nastavnik.programmes import services as programme_services
from nastavnik.programmes.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(org):
    return org_today(org)


def trained(the_mentor):
    the_mentor.training_marked_on = org_today(the_mentor.organisation)
    the_mentor.save(update_fields=["training_marked_on"])
    return the_mentor


def test_every_check_names_its_clause_and_title():
    assert len(CHECKS) >= 13
    for entry in CHECKS.values():
        assert entry.code and str(entry.title) and str(entry.clause)


def test_a_mentor_above_capacity(programme, org):
    full = mentor(programme, capacity=2)
    pair(programme, the_mentor=full)
    pair(programme, the_mentor=full)
    assert labels(org, "mentor_capacity") == []
    pair(programme, the_mentor=full)
    assert labels(org, "mentor_capacity") == [full.person.full_name]
    assert rows(org, "mentor_capacity")[0].href.endswith(f"/mentors/{full.pk}/")


def test_a_completed_pair_frees_its_place(programme, org):
    the_mentor = mentor(programme, capacity=1)
    pair(programme, the_mentor=the_mentor, status=MentorshipStatus.COMPLETED)
    pair(programme, the_mentor=the_mentor)
    assert labels(org, "mentor_capacity") == []


def test_a_pair_over_one_year(programme, org, today):
    old = pair(programme, started_on=today - timedelta(days=400))
    pair(programme, started_on=today - timedelta(days=300))
    found = rows(org, "pair_over_year")
    assert [row.href for row in found] == [f"/o/{org.slug}/mentorships/{old.pk}/"]


def test_an_extension_for_an_absence_keeps_a_pair_within_its_term(programme, org, today):
    pair(programme, started_on=today - timedelta(days=370), extension_days=30)
    assert rows(org, "pair_over_year") == []


def test_a_pair_without_a_signed_order(programme, org):
    unsigned = pair(programme)
    pair(programme, pairs_order=signed_order(org))
    found = rows(org, "pair_without_order")
    assert len(found) == 1
    assert found[0].label.startswith(unsigned.mentor.person.short_name)
    assert found[0].detail == gettext("no order")


def test_a_replacement_without_an_order(programme, org, today):
    the_pair = pair(programme)
    new_mentor = mentor(programme)
    MentorAssignment.objects.create(
        organisation=org,
        mentorship=the_pair,
        mentor=new_mentor,
        assigned_on=today,
        ground=MentorAssignment.Ground.REQUEST,
    )
    assert labels(org, "replacement_without_order") == [
        gettext("%(mentor)s from %(day)s")
        % {"mentor": new_mentor.person.full_name, "day": f"{today:%d.%m.%Y}"}
    ]
    MentorAssignment.objects.update(
        order=signed_order(org, OrderKind.MENTOR_REPLACEMENT, number="2")
    )
    assert rows(org, "replacement_without_order") == []


def test_a_first_mentor_needs_no_replacement_order(programme, org, today):
    the_pair = pair(programme)
    MentorAssignment.objects.create(
        organisation=org, mentorship=the_pair, mentor=the_pair.mentor, assigned_on=today
    )
    assert rows(org, "replacement_without_order") == []


def test_a_minor_without_the_guardians_consent(programme, org):
    lacking = mentee(programme, with_consent=False)
    mentee(programme)  # a minor with the consents
    adult = student(org, grade=11, with_consent=False)
    adult.birth_date = born(19, org)
    adult.save(update_fields=["birth_date"])
    mentee(programme, person=adult)
    in_pair = mentee(programme, with_consent=False)
    pair(programme, members=[in_pair])
    found = {row.label: row for row in rows(org, "minor_without_consent")}
    assert set(found) == {lacking.person.full_name, in_pair.person.full_name}
    assert (
        found[lacking.person.full_name].href
        == f"/o/{org.slug}/consents/people/{lacking.person_id}/"
    )
    assert found[in_pair.person.full_name].detail == gettext("in a pair")


def test_a_participant_who_withdrew_but_is_still_in_a_pair(programme, org):
    # A surname of their own: the factories' five repeat, and the mentor may bear one.
    withdrawn = mentee(programme, person=student(org, grade=7, last_name="Отозванова"))
    the_pair = pair(programme, members=[withdrawn])
    pair(programme)
    assert rows(org, "withdrawn_in_pair") == []
    Consent.objects.filter(subject=withdrawn.person, purpose=Purpose.PARTICIPATION).update(
        withdrawn_at=timezone.now()
    )
    found = rows(org, "withdrawn_in_pair")
    assert [row.href for row in found] == [f"/o/{org.slug}/mentorships/{the_pair.pk}/"]
    # The person withdrew: the row names the pair, not them.
    assert withdrawn.person.last_name not in found[0].label


def test_an_external_mentor_without_valid_documents(programme, org, today):
    child = student(org, grade=5)
    with_documents = parent_of(child)
    without = parent_of(student(org, grade=6))
    MentorDocument.objects.filter(person=without).delete()
    expired = parent_of(student(org, grade=7))
    MentorDocument.objects.filter(person=expired, kind=DocumentKind.MEDICAL).update(
        issued_on=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )
    for person in (with_documents, without, expired):
        mentor(programme, person=person, category="parent")
    mentor(programme)  # a student mentor needs no documents
    assert sorted(labels(org, "external_mentor_documents")) == sorted(
        [without.full_name, expired.full_name]
    )
    MentorDocumentFactory(person=without, organisation=org, kind=DocumentKind.NO_CRIMINAL_RECORD)
    MentorDocumentFactory(person=without, organisation=org, kind=DocumentKind.MEDICAL)
    assert labels(org, "external_mentor_documents") == [expired.full_name]


def test_a_mentor_in_a_pair_outside_the_registry_or_the_school(programme, org, today):
    ready = trained(mentor(programme))
    not_registered = trained(mentor(programme, status=MentorStatus.APPROVED))
    untrained = mentor(programme)
    idle = mentor(programme, status=MentorStatus.APPROVED)  # in no pair: nothing to say
    for the_mentor in (ready, not_registered, untrained):
        pair(programme, the_mentor=the_mentor)
    TrainingEventFactory(programme=programme, held_on=today - timedelta(days=5))
    found = {row.label: row.detail for row in rows(org, "mentor_not_ready")}
    assert set(found) == {not_registered.person.full_name, untrained.person.full_name}
    assert idle.person.full_name not in found
    registry = gettext("not in the registry (%(status)s)") % {"status": MentorStatus.APPROVED.label}
    assert found[not_registered.person.full_name] == registry
    assert found[untrained.person.full_name] == gettext("the mentor school is not finished")


def test_a_commission_outside_three_to_five(programme, org):
    assert rows(org, "commission_size") == []  # nobody put forward yet: none needed
    mentor(programme, status=MentorStatus.SELECTION)
    members = [
        CommissionMember.objects.create(
            organisation=org, programme=programme, user=UserFactory(), is_chair=(n == 0)
        )
        for n in range(2)
    ]
    found = rows(org, "commission_size")
    assert [row.detail for row in found] == [gettext("%(size)s members") % {"size": 2}]
    assert found[0].href == f"/o/{org.slug}/mentors/programme/{programme.pk}/commission/"
    members.append(
        CommissionMember.objects.create(organisation=org, programme=programme, user=UserFactory())
    )
    assert rows(org, "commission_size") == []
    for _ in range(3):
        CommissionMember.objects.create(organisation=org, programme=programme, user=UserFactory())
    assert [row.detail for row in rows(org, "commission_size")] == [
        gettext("%(size)s members") % {"size": 6}
    ]


def test_a_missed_half_year_assessment(programme, org, today):
    last = previous_deadline(deadline_on_or_after(today))
    found = rows(org, "half_year_assessment")
    assert [row.label for row in found] == [
        gettext("Assessment due %(day)s") % {"day": f"{last:%d.%m.%Y}"}
    ]
    HalfYearSnapshot.objects.create(
        organisation=org, programme=programme, taken_on=last, figures={}
    )
    assert rows(org, "half_year_assessment") == []


def test_an_overdue_roadmap_event(programme, org, today):
    event = programme_services.event_create(
        programme,
        {"stage": Stage.WORK, "title": "Встреча с партнёрами", "due_on": today - timedelta(days=1)},
        by=None,
    )
    found = {row.label: row for row in rows(org, "roadmap_overdue")}
    assert found["Встреча с партнёрами"].href.endswith(f"/roadmap/#event-{event.pk}")
    programme_services.event_complete(event, done_on=today, by=None)
    assert "Встреча с партнёрами" not in labels(org, "roadmap_overdue")


def test_a_pair_without_a_plan_after_four_weeks(programme, org, today):
    late = pair(programme, started_on=today - timedelta(weeks=4, days=1))
    pair(programme, started_on=today - timedelta(weeks=3))
    planned = pair(programme, started_on=today - timedelta(weeks=6))
    plan = DevelopmentPlan.objects.create(organisation=org, mentorship=planned)
    PlanItem.objects.create(organisation=org, plan=plan, section="goal", text="Цель")
    found = rows(org, "pair_without_plan")
    assert [row.href for row in found] == [f"/o/{org.slug}/plans/pair/{late.pk}/"]


def test_the_weeks_without_a_plan_are_a_setting(programme, org, today, settings):
    pair(programme, started_on=today - timedelta(weeks=3))
    settings.COMPLIANCE_PLAN_WEEKS = 2
    assert len(rows(org, "pair_without_plan")) == 1


def test_a_completed_pair_without_results(programme, org, today):
    bare = pair(programme, status=MentorshipStatus.COMPLETED, ended_on=today)
    empty = pair(programme, status=MentorshipStatus.COMPLETED_EARLY, ended_on=today)
    MentorshipResult.objects.create(organisation=org, mentorship=empty)
    done = pair(programme, status=MentorshipStatus.COMPLETED, ended_on=today)
    MentorshipResult.objects.create(organisation=org, mentorship=done, summary="Сдал ОГЭ")
    pair(programme)  # at work: no results yet, rightly
    found = rows(org, "completed_without_results")
    assert sorted(row.href for row in found) == sorted(
        f"/o/{org.slug}/mentorships/{p.pk}/results/" for p in (bare, empty)
    )


def test_another_organisations_rows_never_show(programme, org, tenant_b):
    other = approved_programme(tenant_b.organisation)
    full = mentor(other, capacity=1)
    pair(other, the_mentor=full)
    pair(other, the_mentor=full)
    pair(other, started_on=org_today(org) - timedelta(days=400))
    assert labels(org, "mentor_capacity") == []
    assert labels(org, "pair_over_year") == []
    assert len(rows(tenant_b.organisation, "pair_over_year")) == 1


def test_a_person_whose_data_are_hidden_is_listed_without_a_name(programme, org):
    lacking = mentee(programme)
    Consent.objects.filter(subject=lacking.person).update(withdrawn_at=timezone.now())
    found = rows(org, "minor_without_consent")
    assert [row.label for row in found] == [
        gettext("(data hidden) № %(pk)s") % {"pk": lacking.person_id}
    ]
    assert lacking.person.last_name not in found[0].label
