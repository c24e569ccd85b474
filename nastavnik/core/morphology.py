"""Russian word forms through pymorphy3's dictionary, shared by every app that groups words."""

from __future__ import annotations

from functools import lru_cache

import pymorphy3


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    # One analyzer per process: it holds the whole dictionary (about 15 MB).
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case word, «ё» read as «е»: «встречах» → «встреча».

    A word already in a dictionary form stays itself: the likeliest parse of «практики» may be
    right, but that of «математика» is the genitive of «математик», which would part it from
    «математике».
    """
    parses = analyzer().parse(word)
    if not parses:
        return word
    parse = next((p for p in parses if p.normal_form == word), parses[0])
    return parse.normal_form.replace("ё", "е")
