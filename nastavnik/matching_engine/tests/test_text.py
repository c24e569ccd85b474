"""Requests and competencies meet on lemmas; exam abbreviations stay terms."""

from __future__ import annotations

import pytest

from nastavnik.matching_engine.text import terms


@pytest.mark.parametrize("text", ["математика", "математике", "по математике", "Математики"])
def test_forms_of_a_word_meet_on_one_lemma(text):
    assert terms(text) == ("математика",)


def test_a_request_and_a_competency_share_their_words():
    request = set(terms("Хочу подготовиться к ОГЭ по математике"))
    competency = set(terms("Математика, подготовка к ОГЭ"))
    assert {"математика", "ОГЭ"} <= request & competency


@pytest.mark.parametrize(
    ("text", "term"),
    [("Готовлюсь к ОГЭ", "ОГЭ"), ("сдаю ЕГЭ-2025", "ЕГЭ"), ("впр по истории", "ВПР")],
)
def test_exam_abbreviations_are_kept_in_capitals(text, term):
    assert term in terms(text)


def test_words_that_name_nothing_are_dropped():
    assert terms("я и мне в по хочу помочь") == ()
    assert terms("Я могу помочь с проектами") == ("проект",)


def test_yo_is_read_as_ye():
    assert terms("учёба") == terms("учеба") == ("учеба",)


def test_each_term_once_in_order():
    assert terms("физика и физике, олимпиада по физике") == ("физика", "олимпиада")
