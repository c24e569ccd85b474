"""Russian requests and competencies as sets of terms, so that «математике», «математика» and
«по математике» meet.

A term is a lemma (pymorphy3, dictionaries shipped in the wheel) or an abbreviation kept as it
is written in capitals («ОГЭ», «ЕГЭ», «ВПР»): lemmatising those gives nonsense forms, and they
are the words curators match on most. Words that carry no subject (prepositions, conjunctions,
pronouns, «хочу», «помочь» …) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pymorphy3

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

#: Abbreviations people also type in lower case.
KNOWN_ABBREVIATIONS = frozenset(
    {"ОГЭ", "ЕГЭ", "ВПР", "ГИА", "ИКТ", "ОВЗ", "ВСОШ", "НПК", "ИИ", "ЗОЖ", "ПДД", "ОБЖ", "ИЗО"}
)
_LOWER_ABBREVIATIONS = {abbreviation.lower(): abbreviation for abbreviation in KNOWN_ABBREVIATIONS}

#: Parts of speech that never name a need or a competency.
_FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED"})

#: Lemmas every request or offer is full of: matching on them would pair everyone.
STOP_LEMMAS = frozenset(
    {
        "хотеть",
        "мочь",
        "помочь",
        "помогать",
        "помощь",
        "нужный",
        "нужно",
        "надо",
        "очень",
        "быть",
        "это",
        "свой",
        "весь",
        "который",
        "также",
        "ещё",
        "еще",
        "год",
        "самый",
        "такой",
        "как",
        "так",
    }
)

_MAX_ABBREVIATION = 5


@lru_cache(maxsize=1)
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def _abbreviation(word: str) -> str | None:
    if word.isupper() and 2 <= len(word) <= _MAX_ABBREVIATION and "-" not in word:
        return word.replace("Ё", "Е")
    return _LOWER_ABBREVIATIONS.get(word.lower())


@lru_cache(maxsize=200_000)
def term_of_word(word: str) -> str | None:
    """The term a word stands for, or None for a word that names nothing.

    Cached: a parse costs about 0.1 ms and a region repeats the same few thousand words.
    """
    abbreviation = _abbreviation(word)
    if abbreviation is not None:
        return abbreviation
    if len(word) < 2:
        return None
    lower = word.lower()
    parses = _analyzer().parse(lower)
    # A word already in its dictionary form stays itself: the likeliest parse of «математика»
    # is the genitive of «математик», which would part it from «математике».
    parse = next((p for p in parses if p.normal_form == lower), parses[0])
    if parse.tag.POS in _FUNCTION_WORDS:
        return None
    lemma = parse.normal_form.replace("ё", "е")
    if lemma in STOP_LEMMAS or len(lemma) < 2:
        return None
    return lemma


@lru_cache(maxsize=100_000)
def terms(text: str) -> tuple[str, ...]:
    """The terms of a text, each once, in the order they first occur."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        term = term_of_word(word)
        if term is not None:
            seen.setdefault(term, None)
    return tuple(seen)


def terms_of_all(texts: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in texts:
        for term in terms(text):
            seen.setdefault(term, None)
    return tuple(seen)
