"""Searching the case library.

Every word of the query must occur somewhere in a case — the title, the four texts, the
keywords — in any case and with ё read as е. The match runs against `Case.search_text`, the
same texts folded in Python when they are written, because SQLite's LIKE folds only Latin
letters: one plain `contains`, identical on SQLite and PostgreSQL and enough for the few hundred
cases of a school. On PostgreSQL a Russian full-text match is OR-ed in, so that «наставнику»
also finds «наставник» (stemming), which substring search cannot.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q

from nastavnik.cases.models import CaseQuerySet
from nastavnik.core.text import fold

SEARCHED_FIELDS: tuple[str, ...] = (
    "title",
    "situation",
    "actions",
    "results",
    "lessons",
    "keywords",
)
MAX_WORDS = 8


def search_text(values: dict[str, Any]) -> str:
    """What `Case.search_text` holds for these field values."""
    return fold(" \n ".join(str(values.get(field) or "") for field in SEARCHED_FIELDS))


def search_cases(cases: CaseQuerySet, query: str) -> CaseQuerySet:
    words = fold(query).split()[:MAX_WORDS]
    if not words:
        return cases
    matched = Q()
    for word in words:
        matched &= Q(search_text__contains=word)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        cases = cases.annotate(document=SearchVector("search_text", config="russian"))
        matched |= Q(document=SearchQuery(" ".join(words), config="russian"))
    return cases.filter(matched)
