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


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("3D-моделирование", "3D"),
        ("печать на 3d-принтере", "3D"),
        ("связь 5G", "5G"),
        ("подготовка к ОГЭ", "ОГЭ"),
        ("ЕГЭ по физике", "ЕГЭ"),
        ("карьера в IT", "IT"),
    ],
)
def test_terms_with_digits_and_latin_abbreviations_are_kept(text, term):
    assert term in terms(text)


def test_a_hyphenated_compound_keeps_its_parts():
    # Not «d-моделирование», as the letters-only tokenizer made of it.
    assert terms("3D-моделирование") == ("3D", "моделирование")
    assert terms("сдаю ЕГЭ-2025") == ("сдавать", "ЕГЭ")


def test_3d_modelling_meets_three_dimensional_modelling_through_a_synonym():
    assert set(terms("3D-моделирование")) == set(terms("трёхмерному моделированию"))
    # Without the synonym group they share only the modelling.
    assert set(terms("3D-моделирование", ())) & set(terms("трёхмерному моделированию", ())) == {
        "моделирование"
    }


def test_it_meets_informatics_and_an_organisation_adds_its_own_synonyms():
    assert terms("информатика") == terms("IT") == ("IT",)
    own = (("робототехника", "мехатроника"),)
    assert terms("мехатроника", own) == ("робототехника",)
    assert terms("информатика", own) == ("информатика",)


@pytest.mark.parametrize(
    "text",
    ["работа", "методика работы", "хочу научиться", "участие в смене", "работать над темой"],
)
def test_generic_words_are_no_terms(text):
    assert terms(text) == ()


def test_a_generic_word_no_longer_makes_a_match():
    request = set(terms("Работа с методикой участия в смене"))
    offer = set(terms("Методика работы, участие в смене лагеря"))
    assert request & offer == set()


def test_the_engine_default_synonyms_are_the_text_defaults():
    from nastavnik.matching_engine.model import Constraints
    from nastavnik.matching_engine.text import DEFAULT_SYNONYMS

    assert Constraints().synonyms == DEFAULT_SYNONYMS
