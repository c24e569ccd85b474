"""The demo's pages read as Russian: no gender hedges, every number agrees with its noun.

The demo is loaded once; each demo login walks the pages reachable by links from its home page
(one page per URL name, a bounded number per role, so the walk stays well under a minute) and
the visible text of every page is scanned for

- hedges where the person is known: «добавлен(а)», «участник(и)», «его (её)»;
- a number followed by a noun (and the adjectives before it) in a form that does not agree with
  it: «4 участники», «41 учеников», «2 просроченные мероприятия». pymorphy3 gives the form the
  number wants (``make_agree_with_number``); a word any reading of which agrees passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from lxml import html

from nastavnik.accounts.models import User
from nastavnik.core.morphology import analyzer
from nastavnik.demo.seed import LOGINS
from nastavnik.demo.tests.factories import demo_for_the_module

pytestmark = pytest.mark.slow

PAGES_PER_ROLE = 25
# Links that change state by GET or leave the site's pages.
SKIPPED_URL_NAMES = {"accounts:logout", "logout", "set_language"}

HEDGE = re.compile(r"[а-яё]\((?:а|ы|и|на|ов|ей|ая|ое|ый|ий)\)|\((?:её|ее|его|него|неё)\)", re.I)
# A number that is a count: not part of a date, time, decimal, code or «№ 5».
COUNTED = re.compile(
    r"(?<![\w.,:/№\-–])(?<!№[\u00a0 ])(\d{1,3}(?:[\u00a0\u202f ]\d{3})*|\d+)(?![\w.,:/\-]\d)"
    # The counted phrase starts with a lower-case word: a capital begins a name or a heading.
    r"((?:[\u00a0\u202f ]+[а-яё][А-ЯЁа-яё]*){1,3})",
)
_AGREEING = frozenset({"ADJF", "PRTF"})
_OBLIQUE = frozenset({"gent", "gen2", "datv", "accs", "ablt", "loct", "loc2"})
# Counted forms of another stem that pymorphy3 does not offer: «5 человек», «5 лет».
_COUNTED_FORMS = frozenset({"человек", "лет"})


def _agrees(word: str, number: int, feminine_noun: bool) -> bool:
    if word in _COUNTED_FORMS:
        return True
    parses = analyzer().parse(word)
    for p in parses:
        if p.tag.POS not in _AGREEING | {"NOUN"}:
            return True  # not a counted word at all («2 из 5», «3 по»)
        if "sing" in p.tag and p.tag.case in _OBLIQUE:
            return True  # an ordinal or a date: «8 класса», «15 октября», «в 2026 году»
        agreed = p.make_agree_with_number(number)
        if agreed is not None and agreed.word == word:
            return True
        # «2 новые встречи»: before a feminine noun the nominative plural is right as well.
        if p.tag.POS in _AGREEING and feminine_noun and {"plur", "nomn"} <= set(p.tag.grammemes):
            return number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14)
    return not parses


def _is_noun(word: str) -> bool:
    # By the likeliest reading: «новые» is an adjective, though the dictionary knows «новое».
    parses = analyzer().parse(word)
    return bool(parses) and parses[0].tag.POS == "NOUN"


def _can_be_counted(word: str) -> bool:
    return any(p.tag.POS in _AGREEING | {"NOUN"} for p in analyzer().parse(word))


def number_disagreements(text: str) -> list[str]:
    found = []
    for match in COUNTED.finditer(text):
        number = int(re.sub(r"\D", "", match.group(1)))
        words = match.group(2).split()
        # The phrase runs to its first noun; the adjectives before it agree with it.
        phrase: list[str] = []
        for word in words:
            if not _can_be_counted(word.lower()):
                break  # «10 больше …», «2 не пройдена»: no counted phrase
            phrase.append(word)
            if _is_noun(word):
                break
        if not phrase:
            continue
        noun = phrase[-1].lower()
        feminine = any(
            p.tag.gender == "femn" for p in analyzer().parse(noun) if p.tag.POS == "NOUN"
        )
        if not all(_agrees(w.lower(), number, feminine) for w in phrase):
            found.append(f"{match.group(1)} {' '.join(phrase)}")
    return found


def hedges(text: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end()] for m in HEDGE.finditer(text)]


def test_the_scanner_finds_what_the_issue_found():
    for bad in (
        "4 участники команды",
        "3 социальные партнёры",
        "2 просроченные мероприятия",
        "644 обучающиеся",
        "68 сотрудники",
        "41 учеников",
    ):
        assert number_disagreements(bad), bad
    for good in (
        "4 участника команды",
        "3 социальных партнёра",
        "2 просроченных мероприятия",
        "644 обучающихся",
        "68 сотрудников",
        "41 ученик",
        "2 новые встречи",
        "15 октября 2026 г.",
        "ученик 8 класса",
        "в 2026 году",
        "1 234 наставника",
        "8,1 балла",
    ):
        assert not number_disagreements(good), good
    assert hedges("Иванов добавлен(а) в базу")
    assert hedges("его (её) нельзя")
    assert not hedges("Иванов добавлен в базу (кандидат)")


@dataclass
class Walk:
    pages: int = 0
    problems: list[str] = field(default_factory=list)


demo = demo_for_the_module("demo")


_BLOCKS = "|".join(
    f"//{tag}"
    for tag in [
        "p",
        "div",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "option",
        "label",
        "button",
        "legend",
        "caption",
        "summary",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "table",
        "ul",
        "ol",
        "dl",
        "form",
    ]
)


def _visible_text(page: bytes) -> str:
    """The text as a reader sees it: blocks (cells, items, paragraphs) on lines of their own,
    so that «596» in one cell and «Обучающиеся» in the next are not read as one phrase."""
    tree = html.fromstring(page)
    for node in tree.xpath("//script|//style|//template|//head"):
        node.drop_tree()
    for node in tree.xpath(_BLOCKS):
        node.text = "\n" + (node.text or "")
        node.tail = "\n" + (node.tail or "")
    return "\n".join(" ".join(line.split()) for line in tree.text_content().splitlines())


def _links(page: bytes) -> list[str]:
    tree = html.fromstring(page)
    return [a.get("href") for a in tree.xpath("//a[@href]")]


def _walk(client, walk: Walk, who: str) -> None:
    queue = ["/"]
    seen_urls: set[str] = set()
    seen_names: set[str] = set()
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen_urls:
            continue
        seen_urls.add(path)
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            continue
        if name in seen_names or name in SKIPPED_URL_NAMES or "admin" in name.split(":")[0]:
            continue
        seen_names.add(name)
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.insert(0, response["Location"])
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        walk.pages += 1
        text = _visible_text(response.content)
        for found in hedges(text):
            walk.problems.append(f"{who} {path}: hedge …{found}")
        for found in number_disagreements(text):
            walk.problems.append(f"{who} {path}: «{found}»")
        queue.extend(_links(response.content))


@pytest.mark.django_db
def test_demo_pages_have_no_hedges_and_every_number_agrees(demo, client):
    walk = Walk()
    for login in LOGINS:
        client.force_login(User.objects.get(email=login.email))
        _walk(client, walk, login.key)
        client.logout()
    assert walk.pages > 150, walk.pages
    assert not walk.problems, "\n".join(sorted(set(walk.problems)))
