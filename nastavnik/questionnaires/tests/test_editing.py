"""Editing questionnaire templates through the services: built-ins are copied, not edited; a
version that a campaign used never changes (the edit makes the next version); bad input
leaves everything as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from nastavnik.questionnaires import services
from nastavnik.questionnaires.models import Question, Questionnaire, QuestionType
from nastavnik.questionnaires.services import MESSAGES
from nastavnik.questionnaires.tests import data
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError, field: str) -> list[str]:
    return [str(m) for m in error.message_dict[field]]


def question_data(questionnaire: Questionnaire, **overrides):
    values = {
        "section": questionnaire.sections.order_by("position").first().pk,
        "type": QuestionType.SINGLE,
        "text": "Любимый предмет?",
        "required": True,
        "choices": "Математика\nФизика",
    }
    values.update(overrides)
    return values


def test_a_built_in_is_copied_with_every_question_and_never_edited(tenant_a):
    source = Questionnaire.objects.get(organisation=None, code="mentee-application")

    copy = services.questionnaire_copy(source, tenant_a.organisation, by=None)

    assert copy.organisation == tenant_a.organisation
    assert copy.copied_from == source
    assert copy.version == 1
    keys = ("code", "type", "text", "choices", "show_if_code", "show_if_values", "feed")
    assert list(copy.questions.order_by("section__position", "position").values_list(*keys)) == (
        list(source.questions.order_by("section__position", "position").values_list(*keys))
    )
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        services.questionnaire_update(source, {"title": "Моя"}, by=None)
    assert refused.value.messages == [gettext(MESSAGES["builtin"])]
    assert database_snapshot() == before


def test_editing_an_unused_questionnaire_changes_it_in_place(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)

    question, writable = services.question_add(questionnaire, question_data(questionnaire), by=None)

    assert not writable.new_version
    assert question.questionnaire == questionnaire
    assert question.choices == [["Математика", "Математика"], ["Физика", "Физика"]]
    assert Questionnaire.objects.filter(organisation=tenant_a.organisation).count() == 1


def test_editing_a_used_version_makes_a_new_version_and_keeps_the_old_one(tenant_a):
    org = tenant_a.organisation
    questionnaire = data.questionnaire(org)
    data.student(org)
    campaign = data.send(data.programme_of(org), questionnaire)
    mood = questionnaire.questions.get(code="mood")
    old_texts = list(questionnaire.questions.values_list("code", "text"))

    edited, writable = services.question_update(
        mood,
        {**question_data(questionnaire), "type": QuestionType.SCALE, "text": "Настроение?"},
        by=None,
    )

    assert writable.new_version
    new = writable.questionnaire
    assert (new.version, new.previous, new.organisation) == (2, questionnaire, org)
    assert edited.questionnaire == new and edited.code == "mood" and edited.text == "Настроение?"
    # The campaign keeps the version its respondents saw, every word of it.
    campaign.refresh_from_db()
    assert campaign.questionnaire == questionnaire
    assert list(questionnaire.questions.values_list("code", "text")) == old_texts
    assert new.questions.count() == questionnaire.questions.count()
    # Only the newest version is edited from now on.
    with pytest.raises(ValidationError) as refused:
        services.questionnaire_update(questionnaire, {"title": "Снова"}, by=None)
    assert refused.value.messages == [gettext(MESSAGES["not_latest"]) % {"version": 1, "latest": 2}]


def test_a_second_edit_lands_in_the_same_new_version(tenant_a):
    org = tenant_a.organisation
    questionnaire = data.questionnaire(org)
    data.student(org)
    data.send(data.programme_of(org), questionnaire)

    _question, first = services.question_add(questionnaire, question_data(questionnaire), by=None)
    _question, second = services.question_add(
        first.questionnaire, question_data(first.questionnaire, text="Ещё вопрос?"), by=None
    )

    assert not second.new_version
    assert second.questionnaire == first.questionnaire
    assert Questionnaire.objects.filter(organisation=org).count() == 2


def test_a_feed_key_that_does_not_exist_is_refused_and_nothing_changes(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        services.question_add(
            questionnaire, question_data(questionnaire, feed="mentee.dreams"), by=None
        )

    assert messages_of(refused.value, "feed") == [
        gettext(MESSAGES["feed"]) % {"key": "mentee.dreams"}
    ]
    assert database_snapshot() == before


def test_a_feed_that_needs_another_type_is_refused(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)

    with pytest.raises(ValidationError) as refused:
        services.question_add(
            questionnaire,
            question_data(questionnaire, type=QuestionType.LONG_TEXT, feed="assessment.anxiety"),
            by=None,
        )

    assert messages_of(refused.value, "feed") == [
        gettext(MESSAGES["feed_type"]) % {"key": "assessment.anxiety"}
    ]


def test_a_parameterised_feed_is_accepted(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)

    question, _writable = services.question_add(
        questionnaire,
        question_data(questionnaire, type=QuestionType.SCALE, feed="assessment.anxiety"),
        by=None,
    )

    assert (question.feed, question.scale_range) == ("assessment.anxiety", (1, 10))


@pytest.mark.parametrize(
    ("overrides", "field", "key", "params"),
    [
        ({"text": "  "}, "text", "text", {}),
        ({"choices": "Один"}, "choices", "choices_few", {}),
        ({"choices": "Да\nДа"}, "choices", "choices_twice", {"value": "Да"}),
        (
            {"type": QuestionType.SCALE, "min_value": "5", "max_value": "3"},
            "min_value",
            "scale_bounds",
            {},
        ),
        (
            {"type": QuestionType.NUMBER, "min_value": "5", "max_value": "5"},
            "min_value",
            "number_bounds",
            {},
        ),
        (
            {"type": QuestionType.RANKING, "pool": "mentors", "rank_count": 0},
            "rank_count",
            "rank_count",
            {"max": 10},
        ),
        ({"type": QuestionType.RANKING, "pool": "martians", "rank_count": 2}, "pool", "pool", {}),
        ({"show_if_code": "mood", "show_if_values": ["5"]}, "show_if_code", "show_if_code", {}),
        (
            {"show_if_code": "topic", "show_if_values": ["nope"]},
            "show_if_values",
            "show_if_values",
            {},
        ),
    ],
)
def test_bad_questions_are_refused_with_a_clear_message(tenant_a, overrides, field, key, params):
    questionnaire = data.questionnaire(tenant_a.organisation)
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        services.question_add(questionnaire, question_data(questionnaire, **overrides), by=None)

    expected = gettext(MESSAGES[key])
    assert messages_of(refused.value, field) == [expected % params if params else expected]
    assert database_snapshot() == before


def test_a_condition_on_an_earlier_choice_is_kept_with_its_values(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)
    second = questionnaire.sections.get(position=2)

    question, _ = services.question_add(
        questionnaire,
        question_data(
            questionnaire,
            section=second.pk,
            type=QuestionType.LONG_TEXT,
            show_if_code="topic",
            show_if_values=["career", "other"],
        ),
        by=None,
    )

    assert (question.show_if_code, question.show_if_values) == ("topic", ["career", "other"])
    assert question.section == second


def test_a_question_others_depend_on_keeps_its_options(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)
    topic = questionnaire.questions.get(code="topic")
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        services.question_update(
            topic, question_data(questionnaire, choices="Учёба\nПрофессия"), by=None
        )
    assert messages_of(refused.value, "choices") == [
        gettext(MESSAGES["depends"]) % {"question": "Что именно?"}
    ]
    with pytest.raises(ValidationError):
        services.question_delete(topic, by=None)
    assert database_snapshot() == before


def test_moving_keeps_a_conditional_question_after_its_condition(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)
    other = questionnaire.questions.get(code="topic_other")
    slots = questionnaire.questions.get(code="slots")

    with pytest.raises(ValidationError) as refused:
        services.question_move(other, -1, by=None)
    assert refused.value.messages == [
        gettext(MESSAGES["order"]) % {"question": "Что именно?", "source": "С чем нужна помощь?"}
    ]

    services.question_move(slots, -1, by=None)
    order = list(
        questionnaire.questions.filter(section__position=1)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert order == ["topic", "slots", "topic_other", "about"]


def test_sections_move_and_are_deleted_only_when_empty(tenant_a):
    questionnaire = data.questionnaire(tenant_a.organisation)
    first, second = questionnaire.sections.order_by("position")

    services.section_move(second, -1, by=None)
    assert list(questionnaire.sections.order_by("position")) == [second, first]

    with pytest.raises(ValidationError) as refused:
        services.section_delete(first, by=None)
    assert refused.value.messages == [gettext(MESSAGES["section_not_empty"])]

    empty, _ = services.section_add(questionnaire, {"title": "Пустой"}, by=None)
    services.section_delete(empty, by=None)
    assert questionnaire.sections.count() == 2


def test_a_questionnaire_used_by_a_campaign_cannot_be_deleted(tenant_a):
    org = tenant_a.organisation
    questionnaire = data.questionnaire(org)
    data.student(org)
    data.send(data.programme_of(org), questionnaire)

    with pytest.raises(ValidationError) as refused:
        services.questionnaire_delete(questionnaire, by=None)

    assert refused.value.messages == [gettext(MESSAGES["used_delete"])]
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_deleting_a_new_version_makes_the_previous_one_the_newest_again(tenant_a):
    org = tenant_a.organisation
    questionnaire = data.questionnaire(org)
    data.student(org)
    data.send(data.programme_of(org), questionnaire)
    _q, writable = services.question_add(questionnaire, question_data(questionnaire), by=None)

    services.questionnaire_delete(writable.questionnaire, by=None)

    assert list(Questionnaire.objects.filter(organisation=org).latest()) == [questionnaire]
    assert Question.objects.filter(questionnaire__organisation=org).count() == 7
