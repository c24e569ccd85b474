"""Answers of the mentor application land in the mentor base; the mentors of a programme are an
audience of campaigns. Through the questionnaire engine's own registries (FEEDS, AUDIENCES)."""

from decimal import Decimal

import pytest

from nastavnik.catalogue.models import MentoringForm
from nastavnik.consents.models import Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.mentors import services
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentors.tests import data
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.questionnaires.audiences import AUDIENCES
from nastavnik.questionnaires.feeds import FEEDS, FeedSkipped, feed_for
from nastavnik.questionnaires.tests.data import feed_context

pytestmark = pytest.mark.django_db


def builtin(code):
    return MentoringForm.objects.get(code=code, organisation=None)


@pytest.fixture
def programme(tenant_a):
    return data.programme(tenant_a.organisation)


def feed(key, programme, person, value, form=None):
    handler, _argument = feed_for(key)
    handler.apply(feed_context(programme, person, form), value)


def test_every_mentor_feed_has_its_handler():
    keys = [key for key in FEEDS if key.startswith("mentor.")]

    assert len(keys) == 10
    for key in keys:
        assert callable(FEEDS[key].apply)
        from django.utils.module_loading import import_string

        assert callable(import_string(FEEDS[key].handler))


def test_the_first_answer_creates_the_candidate_with_the_campaigns_form(programme, tenant_a):
    person = data.staff(tenant_a.organisation)

    feed(
        "mentor.competencies",
        programme,
        person,
        "Проектная деятельность",
        builtin("teacher-teacher"),
    )
    feed("mentor.motivation", programme, person, "Хочу помогать", builtin("teacher-teacher"))

    mentor = Mentor.objects.get(person=person)
    assert mentor.status == MentorStatus.CANDIDATE
    assert mentor.competencies == "Проектная деятельность"
    assert mentor.motivation == "Хочу помогать"
    assert [f.code for f in mentor.forms.all()] == ["teacher-teacher"]


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("mentor.subjects", ["Физика", "Математика"], "subjects", "Физика, Математика"),
        ("mentor.subjects", "физика; химия", "subjects", "физика, химия"),
        ("mentor.experience", Decimal("12"), "experience_years", 12),
        ("mentor.experience", "7", "experience_years", 7),
        ("mentor.hours", 8, "hours_per_month", 8),
        ("mentor.availability", ["чт-вечер", "пн-день"], "availability", ["пн-день", "чт-вечер"]),
        ("mentor.format", "remote", "meeting_format", "remote"),
        ("mentor.share", "yes", "share_with_others", True),
        ("mentor.share", "no", "share_with_others", False),
    ],
)
def test_each_answer_lands_in_its_field(programme, tenant_a, key, value, field, expected):
    person = data.staff(tenant_a.organisation)

    feed(key, programme, person, value)

    assert getattr(Mentor.objects.get(person=person), field) == expected


def test_the_format_is_read_from_its_label_too(programme, tenant_a):
    from nastavnik.catalogue.profile import MeetingFormat

    person = data.staff(tenant_a.organisation)

    feed("mentor.format", programme, person, str(MeetingFormat.IN_PERSON.label).upper())

    assert Mentor.objects.get(person=person).meeting_format == MeetingFormat.IN_PERSON


def test_forms_are_read_from_their_codes_and_join_those_there(programme, tenant_a):
    person = data.staff(tenant_a.organisation)
    feed("mentor.forms", programme, person, ["teacher-student"])

    feed("mentor.forms", programme, person, ["teacher-teacher"], builtin("student-student"))

    forms = {f.code for f in Mentor.objects.get(person=person).forms.all()}
    assert forms == {"teacher-student", "teacher-teacher", "student-student"}


def test_preferences_are_people_of_the_organisation(programme, tenant_a, tenant_b):
    org = tenant_a.organisation
    person = data.staff(org)
    first, second = PersonFactory(organisation=org), PersonFactory(organisation=org)

    feed("mentor.preferences", programme, person, [second.pk, first.pk])

    assert Mentor.objects.get(person=person).preferences == [second.pk, first.pk]
    stranger = PersonFactory(organisation=tenant_b.organisation)
    before = data.snapshot()
    with pytest.raises(FeedSkipped):
        feed("mentor.preferences", programme, person, [first.pk, stranger.pk])
    assert data.snapshot() == before


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("mentor.availability", ["пн-ночь"]),
        ("mentor.format", "голубиная почта"),
        ("mentor.forms", ["no-such-form"]),
        ("mentor.share", "может быть"),
        ("mentor.experience", "двенадцать"),
        ("mentor.hours", Decimal("7.5")),
        ("mentor.hours", 500),
        ("mentor.preferences", "Иванов"),
        ("mentor.availability", 3),
    ],
)
def test_an_answer_the_base_cannot_take_is_skipped_and_changes_nothing(
    programme, tenant_a, key, value
):
    person = data.staff(tenant_a.organisation)
    before = data.snapshot()

    with pytest.raises(FeedSkipped) as caught:
        feed(key, programme, person, value)

    assert caught.value.reason
    assert data.snapshot() == before


def test_without_a_consent_to_take_part_the_answer_is_skipped(programme, tenant_a):
    person = data.consent(StaffFactory(organisation=tenant_a.organisation))
    before = data.snapshot()

    with pytest.raises(FeedSkipped) as caught:
        feed("mentor.competencies", programme, person, "Олимпиады")

    assert person.full_name in caught.value.reason
    assert data.snapshot() == before


def test_a_withdrawn_consent_stops_the_feed(programme, tenant_a):
    person = data.staff(tenant_a.organisation)
    feed("mentor.hours", programme, person, 6)
    consent_withdraw(person.consents.get(purpose=Purpose.PROCESSING), reason="Отзыв", by=None)

    with pytest.raises(FeedSkipped):
        feed("mentor.hours", programme, person, 10)

    assert Mentor.objects.get(person=person).hours_per_month == 6


def test_an_entry_turned_down_or_gone_takes_no_answers(programme, tenant_a):
    person = data.staff(tenant_a.organisation)
    mentor = services.mentor_add(programme, person, by=None)
    services.mentor_leave(mentor, "Личное заявление", by=None)

    with pytest.raises(FeedSkipped):
        feed("mentor.motivation", programme, person, "Передумал")

    assert Mentor.objects.get(pk=mentor.pk).motivation == ""


# --- The audience -------------------------------------------------------------------------------


def test_the_mentors_audience_is_the_programmes_active_mentors(programme, tenant_a, tenant_b):
    org = tenant_a.organisation
    teacher = services.mentor_add(
        programme, data.staff(org), {"forms": [builtin("teacher-teacher")]}, by=None
    )
    student_mentor = services.mentor_add(
        programme,
        data.staff(org, last_name="Юнусов"),
        {"forms": [builtin("student-student")]},
        by=None,
    )
    gone = services.mentor_add(programme, data.staff(org, last_name="Ушедший"), by=None)
    services.mentor_leave(gone, "Переезд", by=None)
    other_programme = data.programme(tenant_b.organisation)
    theirs = services.mentor_add(other_programme, data.staff(tenant_b.organisation), by=None)
    audience = AUDIENCES["mentors"]

    everyone = audience.people(programme, {})
    of_form = audience.people(programme, {"form": str(builtin("teacher-teacher").pk)})

    assert set(everyone) == {teacher.person, student_mentor.person}
    assert list(of_form) == [teacher.person]
    assert not audience.people(programme, {"form": "нет такой"}).exists()
    assert list(audience.people(other_programme, {})) == [theirs.person]


def test_people_of_another_organisation_never_join_the_audience(programme, tenant_a, tenant_b):
    other_programme = data.programme(tenant_b.organisation)
    outsider = services.mentor_add(other_programme, data.staff(tenant_b.organisation), by=None)
    # A row that claims the programme but holds another organisation's person.
    Mentor.objects.filter(pk=outsider.pk).update(programme=programme)

    assert not AUDIENCES["mentors"].people(programme, {}).exists()


def test_hidden_people_are_not_asked(programme, tenant_a):
    person = data.staff(tenant_a.organisation)
    services.mentor_add(programme, person, by=None)
    consent_withdraw(person.consents.get(purpose=Purpose.PROCESSING), reason="Отзыв", by=None)

    assert not AUDIENCES["mentors"].people(programme, {}).exists()
