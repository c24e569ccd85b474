"""The demo's pages read in English: switched to English the way a reader switches (the
language selector of every page), each demo role walks its pages and no Cyrillic shows
outside people's names and the organisation's own texts.

What may stay Russian is read from the data, not listed by hand: the names of people and
users, and every text an organisation entered or owns (its name and details, its programmes,
its own catalogue rows and questionnaires, answers, notes…), each as its model shows it in
English (`shown_*`): a roadmap event still bearing the template's title shows it in English,
so that title is not the organisation's own. Built-in rows (no organisation) are not allowed:
they carry English texts; nor are notifications, which the system writes in both languages. A word of a name
may appear declined or shortened («Ивановой», «Иванов И. И.»), so names are allowed word by
word, by stem; the other texts as a whole (line by line; a text cut short by its words).

Two pages name Russian words the system itself reads, and must: the import page lists the
column names it recognises in a Russian spreadsheet (`people.transfer.columns`), and the synonyms
page of matching shows the engine's Russian vocabulary (`matching_engine.text`), since requests
and competencies are written in Russian. Those words are allowed on those pages only, read
from the same modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import copy
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation
from lxml import html

from nastavnik.accounts.models import User
from nastavnik.demo.tests.factories import demo_for_the_module
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.people.models import Person
from tests.demo_walk import ROLES, email_of, walk

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CYRILLIC = re.compile(r"[А-ЯЁа-яё]")
CYRILLIC_WORD = re.compile(r"[А-ЯЁа-яё][А-ЯЁа-яё\-]*")
SPACES = re.compile(r"\s+")
CUT_SHORT = re.compile(r"([а-яё\-]+)…")
# Attributes a reader sees or hears.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value")
# A name is allowed declined («Марии», «Макаровой» of «Мария», «Макарова»): a word passes that
# starts with the name less its last ENDING letters (at least STEM of them remain) and is at
# most ENDING letters longer than the name.
ENDING = 2
STEM = 3


demo = demo_for_the_module("demo")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
    ]


#: Rows of an organisation that the system wrote, not the organisation: their text is ours.
SYSTEM_WRITTEN = frozenset({"notifications.Notification"})


def _owner_filter(model: type[models.Model]) -> dict[str, Any] | None:
    """How to pick a model's rows that belong to an organisation, or None for a model whose
    rows are not the organisation's texts."""
    if model._meta.label in SYSTEM_WRITTEN:
        return None
    names = {f.name: f for f in model._meta.concrete_fields}
    organisation = names.get("organisation")
    if organisation is not None and organisation.is_relation:
        return {"organisation__isnull": False}
    questionnaire = names.get("questionnaire")
    if questionnaire is not None and questionnaire.related_model._meta.label == (
        "questionnaires.Questionnaire"
    ):
        return {"questionnaire__organisation__isnull": False}
    if model in (Person, User, Organisation, Municipality, Region):
        return {}
    return None


def _name_words() -> set[str]:
    words: set[str] = set()
    for model, fields in (
        (Person, ("last_name", "first_name", "middle_name")),
        (User, ("last_name", "first_name")),
    ):
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for word in CYRILLIC_WORD.findall(value or ""):
                    # The word and its initial («Иванов И. И.»).
                    words.update((word.lower(), word[0].lower()))
    return words


def _own_texts() -> set[str]:
    """The organisations' own texts, each as its model shows it in English."""
    texts: set[str] = set()
    with translation.override("en"):
        for model in apps.get_models():
            owner = _owner_filter(model)
            fields = _text_fields(model)
            if owner is None or not fields:
                continue
            for row in model._default_manager.filter(**owner).iterator():
                for name in fields:
                    shown = getattr(row, f"shown_{name}", None)
                    value = shown if isinstance(shown, str) else getattr(row, name)
                    # Line by line: a page breaks a long text into lines.
                    for text in _strings(value):
                        for line in text.splitlines():
                            if CYRILLIC.search(line):
                                texts.add(SPACES.sub(" ", line).strip())
    return texts


def _stems(words: set[str]) -> dict[str, int]:
    """The stem of each word (the word less its ending) → the length of the longest such word."""
    stems: dict[str, int] = {}
    for word in words:
        if len(word) > STEM:
            stem = word[: max(STEM, len(word) - ENDING)]
            stems[stem] = max(stems.get(stem, 0), len(word))
    return stems


def _vocabulary(texts: Any) -> set[str]:
    return {w.lower() for t in texts for w in CYRILLIC_WORD.findall(t)}


def _column_names() -> set[str]:
    from nastavnik.people.transfer.columns import COLUMN_NAMES

    return _vocabulary(n for names in COLUMN_NAMES.values() for ns in names.values() for n in ns)


def _engine_vocabulary() -> set[str]:
    from nastavnik.matching_engine.text import DEFAULT_SYNONYMS, STOP_LEMMAS

    return _vocabulary([*STOP_LEMMAS, *(w for group in DEFAULT_SYNONYMS for w in group)])


#: The Russian words a page names because the system reads them so (see the module's doc).
READ_IN_RUSSIAN = {"people:import": _column_names, "matching:synonyms": _engine_vocabulary}


class Allowed:
    def __init__(self) -> None:
        own = {t.lower() for t in _own_texts()}
        # Longest first: a text is taken out before a shorter one inside it.
        self.texts = sorted((t for t in own if " " in t), key=len, reverse=True)
        single = {w for t in own if " " not in t for w in CYRILLIC_WORD.findall(t)}
        names = _name_words()
        self.words = single | names
        self.stems = _stems(names)
        # A long text cut short («Составить перечень…») is allowed word by word of own texts.
        self.cut_words = {w for t in self.texts for w in CYRILLIC_WORD.findall(t)}

    def on(self, route: str) -> Allowed:
        """The same, with the words the page `route` names because the system reads them."""
        vocabulary = READ_IN_RUSSIAN.get(route)
        if vocabulary is None:
            return self
        words = vocabulary()
        widened = copy(self)
        widened.words = self.words | words
        widened.stems = {**_stems(words), **self.stems}
        return widened

    def declined(self, word: str) -> bool:
        """Whether `word` is a form of an allowed name («Марии» of «Мария»)."""
        return any(
            word[:k] in self.stems and len(word) <= self.stems[word[:k]] + ENDING
            for k in range(STEM, len(word) + 1)
        )

    def leaks(self, text: str) -> list[str]:
        text = SPACES.sub(" ", text).strip().lower()
        if not CYRILLIC.search(text):
            return []
        for own in self.texts:
            if own in text:
                text = text.replace(own, " ")
        cut = "…" in text
        # The word a text was cut in («боль…» of «больше»).
        cut_short = {m.group(1) for m in CUT_SHORT.finditer(text)}
        return [
            word
            for word in CYRILLIC_WORD.findall(text)
            if word not in self.words
            and not self.declined(word)
            and not (cut and word in self.cut_words)
            and not (word in cut_short and any(w.startswith(word) for w in self.cut_words))
        ]


def _read_texts(document: html.HtmlElement) -> Iterator[str]:
    for skipped in document.xpath("//script | //style | //template"):
        skipped.drop_tree()
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in READ_ATTRIBUTES:
            value = element.get(attribute)
            if value and element.get("type") != "hidden":
                yield value
        if element.text:
            yield element.text
        if element.tail:
            yield element.tail


def _english_client(key: str) -> Any:
    """A demo account switched to English through the language selector of its home page."""
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email=email_of(key)))
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    return client


@pytest.mark.parametrize("key", ROLES)
def test_every_page_of_a_role_reads_in_english(demo: None, key: str) -> None:
    allowed = Allowed()
    client = _english_client(key)
    leaks: dict[str, set[str]] = {}
    routes = set()
    for page in walk(client, once_per_view=True):
        if not page.is_page:
            continue
        routes.add(page.route)
        document = page.document()
        assert document.get("lang") == "en", page.url
        reader = allowed.on(page.route)
        for text in _read_texts(document):
            words = reader.leaks(text)
            if words:
                leaks.setdefault(f"{page.route} {page.url}", set()).add(
                    f"{' '.join(words)} in «{SPACES.sub(' ', text).strip()[:100]}»"
                )
    assert routes, "the walk reached no page"
    report = [f"{where}: {' | '.join(sorted(texts))}" for where, texts in sorted(leaks.items())]
    assert not leaks, "\n".join(report)
