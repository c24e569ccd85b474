"""Rows behind the matching URLs, for the project-wide isolation test. Made directly, not
through a run: the isolation test builds them for every URL and role, so they must be cheap.
One run per organisation gives a run, a proposal, a mentee left alone and a pair."""

from datetime import timedelta

from django.utils import timezone

from nastavnik.matching.models import (
    MatchingRun,
    Proposal,
    RunStatus,
    SelfMatchRequest,
    SelfMatchStatus,
    SharedOffer,
    UnmatchedMentee,
)
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import Organisation
from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.tests.factories import PersonFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.tests.data import builtin_form
from nastavnik.programmes.tests.isolation import _programme


def proposed_run(org: Organisation) -> MatchingRun:
    existing = MatchingRun.objects.filter(organisation=org).first()
    if existing is not None:
        return existing
    programme = _programme(org)
    form = builtin_form("student-student")
    mentor = Mentor.objects.create(
        organisation=org,
        programme=programme,
        person=PersonFactory(organisation=org, grade=10),
        category="student",
        status=MentorStatus.REGISTERED,
    )
    paired, alone = (
        Mentee.objects.create(
            organisation=org,
            programme=programme,
            person=PersonFactory(organisation=org),
            form=form,
            status=MenteeStatus.IN_BASE,
        )
        for _ in range(2)
    )
    run = MatchingRun.objects.create(
        organisation=org,
        programme=programme,
        form=form,
        number=1,
        mode="optimal",
        weights={"requests": 4.0},
        status=RunStatus.PROPOSED,
        summary={"matched": 1, "unmatched": 1},
    )
    Proposal.objects.create(organisation=org, run=run, mentee=paired, mentor=mentor, score=500)
    UnmatchedMentee.objects.create(
        organisation=org, run=run, mentee=alone, reason="all_mentors_full"
    )
    today = org_today(org)
    mentorship = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=form,
        mentor=mentor,
        started_on=today,
        planned_end=today + timedelta(days=200),
        matching_run=run,
    )
    MentorshipMentee.objects.create(organisation=org, mentorship=mentorship, mentee=paired)
    return run


def shared_mentor(org: Organisation) -> Mentor:
    """A mentor of the organisation offered to its municipality (flag on; the consents are the
    sharing tests' concern: here the other organisation is of another municipality anyway)."""
    return Mentor.objects.create(
        organisation=org,
        programme=_programme(org),
        person=PersonFactory(organisation=org, grade=11),
        category="student",
        status=MentorStatus.REGISTERED,
        share_with_others=True,
    )


def shared_offer(org: Organisation) -> SharedOffer:
    """An offer of the organisation's mentor to a school of its municipality."""
    host = OrganisationFactory(municipality=org.municipality)
    mentee = Mentee.objects.create(
        organisation=host,
        programme=_programme(host),
        person=PersonFactory(organisation=host),
        form=builtin_form("student-student"),
        status=MenteeStatus.IN_BASE,
    )
    return SharedOffer.objects.create(
        home_organisation=org, host_organisation=host, mentor=shared_mentor(org), mentee=mentee
    )


def selfmatch_request(org: Organisation) -> SelfMatchRequest:
    existing = SelfMatchRequest.objects.filter(organisation=org).first()
    if existing is not None:
        return existing
    run = proposed_run(org)
    mentee = Mentee.objects.create(
        organisation=org,
        programme=run.programme,
        person=PersonFactory(organisation=org),
        form=run.form,
        status=MenteeStatus.IN_BASE,
    )
    return SelfMatchRequest.objects.create(
        organisation=org,
        programme=run.programme,
        form=run.form,
        mentee=mentee,
        mentor=run.proposals.first().mentor,
        message="Здравствуйте",
        status=SelfMatchStatus.ACCEPTED,
        answer_by=timezone.now() + timedelta(days=3),
    )


ROW_MAKERS = {
    "shared_mentor_pk": lambda org: shared_mentor(org).pk,
    "shared_offer_pk": lambda org: shared_offer(org).pk,
    "matching_run_pk": lambda org: proposed_run(org).pk,
    "proposal_pk": lambda org: proposed_run(org).proposals.first().pk,
    "unmatched_pk": lambda org: proposed_run(org).unmatched.first().pk,
    "selfmatch_request_pk": lambda org: selfmatch_request(org).pk,
}
