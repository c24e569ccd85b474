"""Every event of the registry, through the service where it happens: who must be told and who
must not. Each row names the accounts that must get the notification; every other account of
the world (the staff, the other pair, the other school) must not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from nastavnik.awards import services as awards
from nastavnik.awards.tests.data import nomination_with_jury, scored
from nastavnik.awards.tests.data import world as awards_world
from nastavnik.concerns import services as concerns
from nastavnik.concerns.models import Outcome, ReporterKind, Topic
from nastavnik.consents import services as consents
from nastavnik.consents.models import Consent, Purpose
from nastavnik.core import events
from nastavnik.core.tests.shared_rows import world_and_two_tenants
from nastavnik.matching.models import SelfMatchRequest
from nastavnik.matching.tests.data import mentor as new_mentor
from nastavnik.meetings import reminders
from nastavnik.meetings import services as meetings
from nastavnik.meetings.services import MeetingData
from nastavnik.meetings.tests.factories import meeting, meeting_data
from nastavnik.mentees.tests.factories import consent
from nastavnik.mentorships import services as pairs
from nastavnik.mentorships.access import Side
from nastavnik.mentorships.models import AbsenceReason, AbsentSide
from nastavnik.notifications.registry import KINDS
from nastavnik.notifications.tests.world import School, built_school
from nastavnik.orgs.models import Role
from nastavnik.people.tests.data import born
from nastavnik.people.validators import org_today
from nastavnik.plans import services as plans
from nastavnik.questionnaires.tests import data as surveys

PAIR = {"mentor", "mentee", "guardian"}


# The world is built once for the module; each test runs in a savepoint of it.
built, shared, world, tenant_a, tenant_b = world_and_two_tenants(built_school)


def _data(**fields) -> MeetingData:
    return meeting_data("regular", **fields)


def _today(world: School):
    return org_today(world.organisation)


def scheduled(world):
    meetings.meeting_create(world.mentorship, _data(), by=world.user("curator"))


def changed(world):
    made = meeting(world.mentorship, days=3)
    meetings.meeting_update(made, _data(place="Библиотека"), by=world.user("mentor"))


def cancelled(world):
    made = meeting(world.mentorship, days=3)
    meetings.meeting_cancel(made, by=world.user("mentor"), reason="Болезнь")


def reminded(world):
    meeting(world.mentorship, days=0.5)
    reminders.remind_due()


def held(world):
    made = meeting(world.mentorship, days=-1)
    meetings.meeting_mark_held(made, by=world.user("mentor"))


def commented(world):
    plan = plans.plan_start(world.mentorship, by=world.user("curator"))
    plans.comment_add(plan, "Добавьте олимпиаду", side=Side.CURATOR, by=world.user("curator"))


def replaced(world):
    successor = new_mentor(world.mentorship.programme)
    successor.person.user = world.add_user("new_mentor", Role.MENTOR)
    successor.person.save(update_fields=["user"])
    pairs.mentor_replace(
        world.mentorship, new_mentor=successor, ground="request", on=_today(world), by=None
    )


def ended(world):
    pairs.mentorship_terminate(
        world.mentorship, ended_on=_today(world), reason="Переезд", by=world.user("curator")
    )


def extended(world):
    today = _today(world)
    pairs.mentorship_extend(
        world.mentorship,
        reason=AbsenceReason.ILLNESS,
        absent_side=AbsentSide.MENTEE,
        absent_from=today - timedelta(days=10),
        absent_to=today - timedelta(days=6),
        by=world.user("curator"),
    )


def _concern(world):
    user = world.user("mentee")
    key = next(
        concerns.standing_key(s)
        for s in concerns.standings(world.organisation, user)
        if s.kind == ReporterKind.MENTEE
    )
    return concerns.concern_raise(
        world.organisation, user=user, standing=key, topic=Topic.MENTOR, text="Не приходит"
    )


def concern_raised(world):
    _concern(world)


def concern_answered(world):
    concern = _concern(world)
    concerns.concern_record(
        concern, outcome=Outcome.TALKED, answer="Поговорили", by=world.user("curator")
    )


def award_decided(world):
    data = awards_world(world.organisation)
    teacher, student = data.teacher.person, data.student.person
    for person in (teacher, student):
        consent(person)
    student.birth_date = born(15, world.organisation)
    student.save(update_fields=["birth_date"])
    teacher.user = world.add_user("award_teacher", Role.MENTOR)
    teacher.save(update_fields=["user"])
    mother = student.guardian_links.get().guardian
    mother.user = world.add_user("award_mother", Role.GUARDIAN)
    mother.save(update_fields=["user"])
    # The jury is the school's director, curator and commission member (School.user).
    nomination = nomination_with_jury(world, data.programme, "mentor_of_the_year")
    scored(world, nomination, mentor=data.teacher, mentor2=data.student)
    awards.nomination_decide(nomination, prizes=2, by=world.user("curator"))


def consent_expiring(world):
    today = _today(world)
    Consent.objects.filter(subject=world.child, purpose=Purpose.PROCESSING).update(
        valid_until=today + timedelta(days=consents.EXPIRY_NOTICE_DAYS)
    )
    assert consents.announce_expiring(today) == 1


def consent_withdrawn(world):
    given = Consent.objects.get(subject=world.child, purpose=Purpose.PARTICIPATION)
    consents.consent_withdraw(given, "Заявление родителя", by=world.user("curator"))


def questionnaire_assigned(world):
    programme = world.mentorship.programme
    # A class of its own: the other pair's mentee is not asked.
    world.child.class_letter = "Я"
    world.child.save(update_fields=["class_letter"])
    surveys.send(
        programme,
        surveys.questionnaire(world.organisation),
        params={"grade": world.child.grade, "class_letter": world.child.class_letter},
        by=world.user("curator"),
    )


def selfmatch(event: str, **extra) -> Callable[[School], None]:
    """The self-match services emit these (their own tests drive the flow); here the request
    of the world's minor mentee to the world's mentor, and who hears of each step."""

    def trigger(world):
        mentorship = world.mentorship
        request = SelfMatchRequest.objects.create(
            organisation=world.organisation,
            programme=mentorship.programme,
            form=mentorship.form,
            mentee=mentorship.members.get().mentee,
            mentor=mentorship.mentor,
            message="Хочу заниматься робототехникой",
            answer_by=timezone.now() + timedelta(days=3),
        )
        events.emit(event, request=request, by=None, **extra)

    return trigger


MENTEE_SIDE = {"mentee", "guardian"}

CASES: list[tuple[str, Callable[[School], None], set[str]]] = [
    ("meeting.scheduled", scheduled, PAIR),
    ("meeting.changed", changed, PAIR),
    ("meeting.cancelled", cancelled, PAIR),
    ("meeting.reminder", reminded, PAIR),
    # Rating is the participant's own: no guardian.
    ("meeting.held", held, {"mentor", "mentee"}),
    ("plan.commented", commented, PAIR),
    ("mentorship.mentor_replaced", replaced, PAIR | {"new_mentor"}),
    ("mentorship.ended", ended, PAIR),
    ("mentorship.extended", extended, PAIR),
    # The concern is about the mentor: only the curator hears of it.
    ("concern.raised", concern_raised, {"curator"}),
    # Only the reporter, not the guardian, not the mentor it was about.
    ("concern.answered", concern_answered, {"mentee"}),
    ("award.decided", award_decided, {"award_teacher", "award_mother"}),
    ("consent.expiring", consent_expiring, {"mentee", "guardian"}),
    # The one who withdrew is not contacted any more; the mentor hears the pair is paused.
    ("consent.withdrawn", consent_withdrawn, {"curator", "mentor"}),
    ("questionnaire.assigned", questionnaire_assigned, {"mentee", "guardian"}),
    # The mentor is asked; the guardian learns what was asked in the child's name.
    (
        "selfmatch.requested",
        selfmatch("selfmatch.requested", for_self=True),
        {"mentor", "guardian", "curator"},
    ),
    # An acceptance waits for the curator.
    (
        "selfmatch.answered",
        selfmatch("selfmatch.answered", accepted=True),
        MENTEE_SIDE | {"curator"},
    ),
    # A refusal: the mentee chooses again; nothing for the curator to approve.
    ("selfmatch.answered", selfmatch("selfmatch.answered", accepted=False), MENTEE_SIDE),
    ("selfmatch.reminder", selfmatch("selfmatch.reminder"), {"mentor"}),
    ("selfmatch.expired", selfmatch("selfmatch.expired"), PAIR),
    ("selfmatch.approved", selfmatch("selfmatch.approved"), PAIR),
    ("selfmatch.declined_by_curator", selfmatch("selfmatch.declined_by_curator"), PAIR),
    ("selfmatch.closed", selfmatch("selfmatch.closed"), PAIR),
]


def test_every_kind_of_the_registry_has_a_row_here():
    assert {event for event, _, _ in CASES} == set(KINDS)


@pytest.mark.parametrize(("event", "trigger", "expected"), CASES, ids=[c[0] for c in CASES])
def test_who_is_told(world, django_capture_on_commit_callbacks, event, trigger, expected):
    with django_capture_on_commit_callbacks(execute=True):
        trigger(world)

    told = world.told(event)
    assert told == expected
    assert not told & {name for name in world.users if name.startswith("b_")}
