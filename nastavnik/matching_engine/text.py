"""Russian requests and competencies as sets of terms, so that «математике», «математика» and
«по математике» meet.

A term is a lemma (pymorphy3, dictionaries shipped in the wheel), an abbreviation kept as it
is written in capitals («ОГЭ», «ЕГЭ», «ВПР», «IT»), or a term with digits kept whole and in
capitals («3D», «5G»): lemmatising those gives nonsense forms, and they are the words curators
match on most. A hyphenated compound («3D-моделирование») gives its parts. Words
that carry no subject (prepositions, conjunctions, pronouns, «хочу», «помочь» …) and generic
words every request is full of («работа», «методика», «участие» …) are dropped. Synonym
groups an organisation keeps («3D = трёхмерный», «IT = информатика») map each term of a
group to the group's first term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pymorphy3

#: Letters and digits, hyphenated compounds whole: «3D-моделирование», «ЕГЭ-2025», «5G».
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

#: Abbreviations people also type in lower case.
KNOWN_ABBREVIATIONS = frozenset(
    {
        "ОГЭ",
        "ЕГЭ",
        "ВПР",
        "ГИА",
        "ИКТ",
        "ОВЗ",
        "ВСОШ",
        "НПК",
        "ИИ",
        "ЗОЖ",
        "ПДД",
        "ОБЖ",
        "ИЗО",
        "IT",
        "AI",
        "VR",
        "AR",
    }
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
        # Generic words of requests and offers: they say nothing about the subject.
        "работа",
        "работать",
        "методика",
        "научиться",
        "учиться",
        "участие",
        "участвовать",
        "смена",
        "вопрос",
        "тема",
        "занятие",
        "деятельность",
        "умение",
        "хороший",
        "новый",
        "разный",
        "различный",
        "сфера",
        "область",
        "заниматься",
    }
)

#: Synonym groups every organisation starts with; its curators edit their own list.
DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("3D", "трёхмерный"),
    ("IT", "информатика"),
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


def _part_term(part: str) -> str | None:
    if part.isdigit():
        return None
    if any(ch.isdigit() for ch in part):
        # «3D», «5G», «3d»: letters and digits together are a name, not a Russian word.
        return part.upper().replace("Ё", "Е")
    return term_of_word(part)


@lru_cache(maxsize=200_000)
def token_terms(token: str) -> tuple[str, ...]:
    """The terms of one token: a word, or a compound's parts and the compound itself."""
    parts = token.split("-")
    if len(parts) == 1:
        term = _part_term(token)
        return (term,) if term is not None else ()
    # The parts, so that «3D-моделирование» meets «трёхмерное моделирование» fully.
    return tuple(t for t in (_part_term(p) for p in parts) if t is not None)


Synonyms = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=64)
def synonym_map(groups: Synonyms) -> dict[str, str]:
    """Each term of a group (written as people write it) to the group's first term."""
    mapping: dict[str, str] = {}
    for group in groups:
        normal = [t for word in group for t in _plain_terms(word)[:1]]
        if len(normal) < 2:
            continue
        for term in normal[1:]:
            mapping.setdefault(term, normal[0])
    return mapping


def _plain_terms(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text):
        for term in token_terms(token):
            seen.setdefault(term, None)
    return tuple(seen)


@lru_cache(maxsize=100_000)
def terms(text: str, synonyms: Synonyms = DEFAULT_SYNONYMS) -> tuple[str, ...]:
    """The terms of a text, each once, in the order they first occur, synonyms made one."""
    mapping = synonym_map(synonyms)
    seen: dict[str, None] = {}
    for term in _plain_terms(text):
        seen.setdefault(mapping.get(term, term), None)
    return tuple(seen)


def terms_of_all(texts: Iterable[str], synonyms: Synonyms = DEFAULT_SYNONYMS) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in texts:
        for term in terms(text, synonyms):
            seen.setdefault(term, None)
    return tuple(seen)
