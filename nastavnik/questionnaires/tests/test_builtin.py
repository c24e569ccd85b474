"""The built-in questionnaires: loaded by the migration, valid by the same rules as an
organisation's, feeding the bases with the shared vocabulary."""

import pytest

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import SLOTS, MeetingFormat, RequestTopic
from nastavnik.questionnaires import builtin
from nastavnik.questionnaires.feeds import feed_for
from nastavnik.questionnaires.models import (
    CHOICE_TYPES,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionType,
    Section,
)
from nastavnik.questionnaires.services import FEED_TYPES

pytestmark = pytest.mark.django_db


def builtins():
    return Questionnaire.objects.filter(organisation__isnull=True)


def test_the_migration_loads_every_built_in_questionnaire_once():
    assert builtins().count() == len(builtin.BUILTINS) == 8
    assert {q.kind for q in builtins()} == set(QuestionnaireKind.values) - {"other"}
    # Loading again changes nothing: a built-in version is never touched once loaded.
    before = list(Question.objects.filter(questionnaire__organisation=None).values_list())
    assert builtin.load(Questionnaire, Section, Question) == 0
    assert list(Question.objects.filter(questionnaire__organisation=None).values_list()) == before


def test_a_new_built_in_version_is_chained_to_the_previous_one(monkeypatch):
    first = builtins().get(code="assessment")
    changed = {**builtin.ASSESSMENT, "version": 2, "title": "Диагностика, версия 2"}
    monkeypatch.setattr(builtin, "BUILTINS", [changed])

    assert builtin.load(Questionnaire, Section, Question) == 1

    second = builtins().get(code="assessment", version=2)
    assert second.previous == first
    assert builtins().latest().filter(code="assessment").get() == second
    assert second.questions.count() == first.questions.count()


def test_every_feed_exists_and_takes_the_question_type():
    for question in Question.objects.filter(questionnaire__organisation=None).exclude(feed=""):
        feed_for(question.feed)  # raises for an unknown key
        head = question.feed if question.feed in FEED_TYPES else question.feed.split(".")[0]
        allowed = FEED_TYPES.get(head)
        if allowed is not None:
            assert question.type in allowed, question.feed
        else:
            assert question.type != QuestionType.RANKING, question.feed


def test_conditions_point_back_to_an_earlier_choice_and_its_options():
    for questionnaire in builtins():
        questions = list(questionnaire.questions.order_by("section__position", "position"))
        seen = {}
        for question in questions:
            if question.show_if_code:
                source = seen[question.show_if_code]
                assert source.type in CHOICE_TYPES
                assert set(question.show_if_values) <= set(source.choice_values)
            seen[question.code] = question


def test_answers_that_feed_the_bases_use_the_profile_vocabulary():
    application = builtins().get(code="mentee-application")
    topics = application.questions.get(feed="mentee.topics")
    assert topics.choice_values == list(RequestTopic.values)
    slots = application.questions.get(feed="mentee.availability")
    assert set(slots.choice_values) == SLOTS
    assert dict(slots.choices)["пн-вечер"] == "Понедельник, вечер"
    formats = application.questions.get(feed="mentee.format")
    assert formats.choice_values == list(MeetingFormat.values)

    mentor = builtins().get(code="mentor-application")
    forms = mentor.questions.get(feed="mentor.forms")
    builtin_codes = set(
        MentoringForm.objects.filter(organisation__isnull=True).values_list("code", flat=True)
    )
    assert set(forms.choice_values) == builtin_codes
    assert mentor.questions.get(feed="mentor.competencies").choice_values == list(
        RequestTopic.values
    )
    assert {q.feed for q in mentor.questions.exclude(feed="")} == {
        "mentor.competencies",
        "mentor.subjects",
        "mentor.experience",
        "mentor.hours",
        "mentor.availability",
        "mentor.format",
        "mentor.motivation",
        "mentor.forms",
        "mentor.share",
    }


def test_preferences_rank_the_other_side_and_the_assessment_measures_every_parameter():
    mentee = builtins().get(code="mentee-preferences").questions.get(feed="mentee.preferences")
    assert (mentee.type, mentee.pool, mentee.rank_count) == (QuestionType.RANKING, "mentors", 3)
    mentor = builtins().get(code="mentor-preferences").questions.get(feed="mentor.preferences")
    assert (mentor.type, mentor.pool) == (QuestionType.RANKING, "mentees")

    assessment = builtins().get(code="assessment")
    feeds = dict(assessment.questions.values_list("feed", "type"))
    assert feeds == {
        "assessment.engagement": "scale",
        "assessment.activity": "scale",
        "assessment.self_esteem": "scale",
        "assessment.anxiety": "scale",
        "assessment.motivation": "scale",
        "assessment.academic_results": "number",
        "assessment.attendance": "number",
        "assessment.competitions": "number",
    }
    marks = assessment.questions.get(code="academic_results")
    assert (marks.min_value, marks.max_value) == (2, 5)


def test_satisfaction_questionnaires_rate_on_a_ten_point_scale_with_open_questions():
    for code in ("mentor-satisfaction", "mentee-satisfaction"):
        questions = builtins().get(code=code).questions
        scales = questions.filter(type=QuestionType.SCALE)
        assert scales.count() >= 8
        assert {q.scale_range for q in scales} == {(1, 10)}
        assert questions.filter(type=QuestionType.LONG_TEXT).count() >= 3
        assert questions.exclude(feed="").count() == 0
