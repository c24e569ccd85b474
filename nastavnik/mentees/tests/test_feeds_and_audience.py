"""Questionnaire answers landing in the mentee base, and the base as a campaign's audience."""

import pytest
from django.utils.translation import ngettext

from nastavnik.mentees import feeds
from nastavnik.mentees.audiences import mentees
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.rules import MIN_STUDENT_AGE
from nastavnik.mentees.services import MESSAGES
from nastavnik.mentees.tests.factories import (
    MenteeFactory,
    consent,
    form,
    programme_of,
    student,
    young_teacher,
)
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.questionnaires.feeds import FEEDS, FeedSkipped, feed_for
from nastavnik.questionnaires.tests.data import feed_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tenant_a):
    return programme_of(tenant_a.organisation)


def test_every_mentee_feed_of_the_engine_resolves_to_a_handler(programme, tenant_a):
    pupil = student(tenant_a.organisation)
    answers = {
        "mentee.topics": ["career", "project"],
        "mentee.request_text": "Хочу понять, кем стать.",
        "mentee.subjects": ["Физика", "Информатика"],
        "mentee.availability": ["вт-вечер", "пн-день"],
        "mentee.format": "remote",
        "mentee.preferences": [StaffFactory(organisation=tenant_a.organisation).pk],
    }
    for key, value in answers.items():
        feed, _argument = feed_for(key)
        feed.apply(feed_context(programme, pupil, form("teacher-student")), value)

    entry = Mentee.objects.get(programme=programme, person=pupil)
    assert entry.status == MenteeStatus.CANDIDATE
    assert entry.form == form("teacher-student")
    assert entry.topics == ["career", "project"]
    assert entry.request_text == "Хочу понять, кем стать."
    assert entry.subjects == "Физика, Информатика"
    assert entry.availability == ["пн-день", "вт-вечер"]
    assert entry.meeting_format == "remote"
    assert len(entry.preferences) == 1
    assert {k for k in FEEDS if k.startswith("mentee.")} == set(answers)


def test_a_teacher_answering_the_application_has_asked_for_a_mentor(programme, tenant_a):
    teacher = consent(StaffFactory(organisation=tenant_a.organisation, experience_years=12))

    feeds.topics(feed_context(programme, teacher, form("teacher-teacher")), ["methods"])

    assert Mentee.objects.get(person=teacher).asked_for_mentor


def test_an_ineligible_respondent_is_skipped_with_the_reason(programme, tenant_a):
    nine = student(tenant_a.organisation, 9)

    with pytest.raises(FeedSkipped) as caught:
        feeds.topics(feed_context(programme, nine), ["subject"])

    assert caught.value.reason == ngettext(
        "The student is %(age)s year old: students become mentees from the age of %(min)s.",
        "The student is %(age)s years old: students become mentees from the age of %(min)s.",
        9,
    ) % {"age": 9, "min": MIN_STUDENT_AGE}
    assert not Mentee.objects.exists()


def test_a_respondent_without_consent_is_skipped(programme, tenant_a):
    pupil = student(tenant_a.organisation, with_consent=False)

    with pytest.raises(FeedSkipped) as caught:
        feeds.request_text(feed_context(programme, pupil), "Помогите с математикой")

    assert caught.value.reason == str(MESSAGES["no_consent"]) % {"name": pupil.full_name}
    assert not Mentee.objects.exists()


@pytest.mark.parametrize(
    ("handler", "value", "message"),
    [
        (feeds.topics, ["subject", "magic"], str(MESSAGES["topic"]) % {"value": "magic"}),
        (feeds.topics, 42, str(MESSAGES["topic"]) % {"value": "42"}),
        (feeds.availability, ["пн-ночь"], str(MESSAGES["slot"]) % {"value": "пн-ночь"}),
        (feeds.meeting_format, "fax", str(MESSAGES["meeting_format"]) % {"value": "fax"}),
        (feeds.preferences, ["somebody"], str(MESSAGES["preference_unknown"])),
    ],
)
def test_values_outside_the_vocabulary_are_skipped_not_crashed(
    programme, tenant_a, handler, value, message
):
    pupil = student(tenant_a.organisation)

    with pytest.raises(FeedSkipped) as caught:
        handler(feed_context(programme, pupil), value)

    assert caught.value.reason == message
    assert not Mentee.objects.exists()


def test_a_later_answer_updates_the_same_entry(programme, tenant_a):
    pupil = student(tenant_a.organisation)
    feeds.topics(feed_context(programme, pupil), ["subject"])

    feeds.subjects(feed_context(programme, pupil), "алгебра; геометрия")

    entry = Mentee.objects.get()
    assert (entry.topics, entry.subjects) == (["subject"], "алгебра, геометрия")


def test_a_form_that_does_not_fit_the_respondent_is_skipped(programme, tenant_a):
    pupil = student(tenant_a.organisation)

    with pytest.raises(FeedSkipped):
        feeds.topics(feed_context(programme, pupil, form("teacher-teacher")), ["subject"])

    assert not Mentee.objects.exists()


def test_someone_who_left_is_not_brought_back_by_an_answer(programme, tenant_a):
    entry = MenteeFactory(person=student(tenant_a.organisation), status=MenteeStatus.LEFT)

    with pytest.raises(FeedSkipped):
        feeds.topics(feed_context(programme, entry.person), ["exams"])

    entry.refresh_from_db()
    assert entry.topics == []


def test_a_person_of_another_organisation_is_skipped(programme, tenant_b):
    stranger = student(tenant_b.organisation)

    with pytest.raises(FeedSkipped):
        feeds.topics(feed_context(programme, stranger), ["subject"])

    assert not Mentee.objects.exists()


# --- The audience -----------------------------------------------------------------------------


def test_the_audience_is_the_current_entries_of_the_programme_and_form(tenant_a, tenant_b):
    org = tenant_a.organisation
    programme = programme_of(org)
    peer, teachers = form("student-student"), form("teacher-teacher")
    pupil = MenteeFactory(person=student(org), form=peer).person
    candidate = MenteeFactory(person=student(org), status=MenteeStatus.CANDIDATE).person
    teacher = MenteeFactory(person=young_teacher(org), form=teachers).person
    MenteeFactory(person=student(org), status=MenteeStatus.LEFT)
    lapsed = MenteeFactory(person=student(org, with_consent=False)).person
    MenteeFactory(
        person=student(org), programme=programme_of(org, programme.academic_year.start_year - 1)
    )
    # Another organisation's base, with the same form: it must never appear.
    other = programme_of(tenant_b.organisation)
    MenteeFactory(person=student(tenant_b.organisation), programme=other, form=peer)

    everyone = set(mentees(programme, {}))
    of_peer_form = set(mentees(programme, {"form": peer.pk}))
    of_teacher_form = set(mentees(programme, {"form": str(teachers.pk)}))

    assert everyone == {pupil, candidate, teacher}
    assert lapsed not in everyone
    assert of_peer_form == {pupil, candidate}
    assert of_teacher_form == {teacher}
    assert all(p.organisation == org for p in everyone)
