"""Stage 1: the satisfaction and conformity answers of a year, in the whole and by form, role
model and pair; the open answers and their recurring words; the mean satisfaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nastavnik.monitoring.quality import (
    mean_satisfaction,
    quality_results,
    recurring_words,
)
from nastavnik.monitoring.tests import data
from nastavnik.questionnaires.anonymity import unlinked

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme):
    """Two pairs of different role models, a mentee campaign with three named answers and one
    anonymous, and the curator's questionnaire."""
    first = data.pair(programme, role="Успевающий – неуспевающий")
    second = data.pair(programme, role=None)
    mentees = data.campaign(programme, "mentee-satisfaction", title="Итоговая анкета")
    (a,) = data.mentee_people(first)
    (b,) = data.mentee_people(second)
    data.respond(
        mentees,
        a,
        {"comfort": 9, "effectiveness": 8, "glad": "yes", "lacking": "Не хватало встреч"},
    )
    data.respond(mentees, b, {"comfort": 5, "effectiveness": 6, "lacking": "Мало встреч, нет"})
    data.respond(mentees, None, {"comfort": 10, "lacking": "Встречи переносили"})
    curator = data.campaign(programme, "curator-conformity", title="Анкета куратора")
    data.respond(
        curator,
        None,
        {"regulation": "yes", "training": "partly", "overall": 7, "strengths": "Сильная команда"},
    )
    return {"first": first, "second": second}


def test_every_rated_item_has_its_mean_distribution_and_n(programme, world):
    results = quality_results(programme)

    comfort = results.item("mentee_satisfaction", "comfort")
    assert comfort.n == 3
    assert comfort.mean == pytest.approx((9 + 5 + 10) / 3)
    assert comfort.score == pytest.approx(((9 + 5 + 10) / 3 - 1) / 9)
    counts = {bar.value: bar.count for bar in comfort.distribution}
    assert counts == {str(p): (1 if p in (5, 9, 10) else 0) for p in range(1, 11)}
    assert [b.percent for b in comfort.distribution if b.count] == [33, 33, 33]

    glad = results.item("mentee_satisfaction", "glad")
    assert (glad.rated, glad.n, glad.mean) == (False, 1, None)

    training = results.item("curator_conformity", "training")
    assert training.rated and training.score == pytest.approx(0.5)
    assert results.item("curator_conformity", "regulation").score == pytest.approx(1.0)

    mentees, curator = (q for q in results.overall if q.respondents)
    assert (mentees.kind, mentees.respondents) == ("mentee_satisfaction", 3)
    assert (curator.kind, curator.respondents) == ("curator_conformity", 1)


def test_answers_are_grouped_by_the_respondents_pairs(programme, world):
    results = quality_results(programme)

    by_pair = {g.key: g for g in results.by_pair}
    assert set(by_pair) == {f"pair:{world['first'].pk}", f"pair:{world['second'].pk}"}
    (first,) = by_pair[f"pair:{world['first'].pk}"].questionnaires
    assert first.kind == "mentee_satisfaction"
    assert next(i for i in first.items if i.code == "comfort").mean == pytest.approx(9)

    # Only the first pair has a role model; the anonymous answer is in no group.
    (role,) = results.by_role_model
    assert role.label.startswith("Успевающий – неуспевающий")
    (form,) = results.by_form
    mentees = next(q for q in form.questionnaires if q.kind == "mentee_satisfaction")
    assert mentees.respondents == 2
    # The curator's questionnaire is about the programme as a whole: never grouped.
    assert all(q.kind != "curator_conformity" for g in results.by_form for q in g.questionnaires)


def test_an_anonymous_campaign_sent_to_one_form_counts_in_that_form(programme, world):
    from nastavnik.programmes.tests.data import builtin_form

    anonymous = data.campaign(programme, "mentor-satisfaction", anonymous=True)
    anonymous.form = builtin_form("teacher-teacher")
    anonymous.save()
    for _ in range(5):  # an anonymous campaign counts from five answers on
        data.respond(anonymous, None, {"comfort": 4})
    results = quality_results(programme)
    labels = {g.label for g in results.by_form}
    assert builtin_form("teacher-teacher").name in labels


def test_an_anonymous_campaign_with_too_few_answers_counts_nowhere(programme, world):
    before = quality_results(programme)
    mean_before = mean_satisfaction(programme)
    anonymous = data.campaign(programme, "mentee-satisfaction", anonymous=True, title="Тихая")
    for comfort, text in ((1, "Наставник кричит"), (2, "Скучно"), (1, "Боюсь сказать")):
        data.respond(anonymous, None, {"comfort": comfort, "lacking": text})

    results = quality_results(programme)

    assert results.item("mentee_satisfaction", "comfort") == before.item(
        "mentee_satisfaction", "comfort"
    )
    assert results.open_questions == before.open_questions
    assert mean_satisfaction(programme) == mean_before
    (ref,) = [c for c in results.campaigns if c.title == "Тихая"]
    assert ref.withheld and ref.responses == 3

    for comfort, text in ((3, "Всё хорошо"), (4, "Мало встреч")):
        data.respond(anonymous, None, {"comfort": comfort, "lacking": text})
    counted = quality_results(programme)
    lacking = next(q for q in counted.open_questions if q.code == "lacking")
    unnamed = ["Наставник кричит", "Скучно", "Боюсь сказать", "Всё хорошо", "Мало встреч"]
    # Named answers first, as they came; the anonymous ones in an order of their own.
    assert lacking.answers[3:] == tuple(unlinked(unnamed))
    assert counted.item("mentee_satisfaction", "comfort").n == 3 + 5


def test_open_answers_are_grouped_by_question_with_recurring_words(programme, world):
    results = quality_results(programme)
    lacking = next(q for q in results.open_questions if q.code == "lacking")
    assert lacking.answers == ("Не хватало встреч", "Мало встреч, нет", "Встречи переносили")
    (word,) = lacking.words
    # «встреч» and «встречи» are one word; counted once per answer; «нет» is a stop word.
    assert (word.lemma, word.count) == ("встреча", 3)
    assert word.word == "встреч"


def test_russian_word_forms_share_a_lemma():
    words = recurring_words(["Больше практики", "Практика по вечерам", "Одна практика"])
    # «практики», «Практика», «практика»: one lemma in three answers, shown as the usual form.
    assert [(w.word, w.lemma, w.count) for w in words] == [("практика", "практика", 3)]
    # Forms a suffix stemmer parts or joins wrongly: «людей» is «человек»'s plural, and
    # «встречах»/«встречи»/«встреч» are one noun.
    words = recurring_words(["Мало людей", "Много человек", "Человек пять", "Не хватало людей"])
    assert [(w.lemma, w.count) for w in words] == [("человек", 4)]
    words = recurring_words(["На встречах скучно", "Встречи редкие", "Нет встреч"])
    assert [(w.lemma, w.count) for w in words] == [("встреча", 3)]


def test_programme_words_and_function_words_never_recur():
    answers = ["Наставник помогал с программой", "Наставника не было", "Наставнику спасибо"]
    assert recurring_words(answers) == ()


def test_mean_satisfaction_is_the_mean_of_every_satisfaction_rating(programme, world):
    expected = (9 + 8 + 5 + 6 + 10) / 5  # the curator's «overall» is not satisfaction
    assert mean_satisfaction(programme) == pytest.approx(expected)
    assert quality_results(programme).mean_satisfaction == pytest.approx(expected)


def test_no_answers_no_results(programme):
    results = quality_results(programme)
    assert results.is_empty
    assert mean_satisfaction(programme) is None


def test_the_queries_do_not_grow_with_the_answers(programme, world):
    with CaptureQueriesContext(connection) as few:
        quality_results(programme)
    extra = data.pair(programme, mentees=3)
    campaign = data.campaign(programme, "mentor-satisfaction")
    for person in data.mentee_people(extra):
        data.respond(campaign, person, {"comfort": 7, "expected": "Встречи"})
    with CaptureQueriesContext(connection) as many:
        quality_results(programme)
    assert len(many) == len(few) <= 6
