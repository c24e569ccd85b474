"""Russian for documents: dates, declined full names, initials, plurals and declined positions.

Names are declined with pytrovich (the Petrovich rules), which knows Russian, Ukrainian,
Georgian and indeclinable surnames far better than a general morphological dictionary does.
Where it is wrong, the fix goes into ``_NAME_OVERRIDES`` below and nowhere else.
Positions («учитель математики», «социальный педагог») are ordinary phrases and are declined
with pymorphy3.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from enum import StrEnum

import pymorphy3
from django.utils import timezone
from pytrovich import Case as PetrovichCase
from pytrovich import Gender as PetrovichGender
from pytrovich import NamePart, PetrovichDeclinationMaker

from nastavnik.core.text import clean_name_part, initials

__all__ = [
    "MONTHS_GENITIVE",
    "Case",
    "decline_first_name",
    "decline_full_name",
    "decline_last_name",
    "decline_middle_name",
    "decline_phrase",
    "format_date",
    "format_date_quoted",
    "format_date_short",
    "initials_name",
    "plural_form",
    "pluralize",
    "signature_name",
    "typography",
]


# --- Dates -----------------------------------------------------------------------------------

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        # A document shows the day as the organisation lived it, so an aware moment is read in
        # the active time zone (the caller activates the organisation's). A naive one has no
        # such day and is a bug upstream.
        if timezone.is_naive(value):
            raise ValueError("naive datetime given to a document; pass an aware one or a date")
        return timezone.localtime(value).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def format_date(value: date | datetime) -> str:
    """«17 января 2023 г.» — the form used in the running text of documents."""
    d = _as_date(value)
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def format_date_short(value: date | datetime) -> str:
    """«17.01.2023»."""
    d = _as_date(value)
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def format_date_quoted(value: date | datetime) -> str:
    """«17» января 2023 г. — the date line of orders and agreements.

    The day has two digits («01» сентября), as it does when the form is filled in by hand.
    """
    d = _as_date(value)
    return f"«{d.day:02d}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


# --- Plurals ---------------------------------------------------------------------------------


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """The word form that goes with ``n``: (1, 21, 101) one, (2-4, 22-24) few, the rest many."""
    if isinstance(n, bool) or not isinstance(n, int):
        # Fractions take the genitive singular («1,5 часа»), a different rule; not needed yet.
        raise TypeError(f"expected an integer count, got {type(n).__name__}")
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def pluralize(n: int, one: str, few: str, many: str) -> str:
    """«1 наставник», «2 наставника», «5 наставников», «11 наставников»."""
    return f"{n} {plural_form(n, one, few, many)}"


# --- Grammatical case ------------------------------------------------------------------------


class Case(StrEnum):
    NOMINATIVE = "nominative"
    GENITIVE = "genitive"
    DATIVE = "dative"
    ACCUSATIVE = "accusative"
    INSTRUMENTAL = "instrumental"
    PREPOSITIONAL = "prepositional"


_PETROVICH_CASE = {
    Case.NOMINATIVE: PetrovichCase.NOMINATIVE,
    Case.GENITIVE: PetrovichCase.GENITIVE,
    Case.DATIVE: PetrovichCase.DATIVE,
    Case.ACCUSATIVE: PetrovichCase.ACCUSATIVE,
    Case.INSTRUMENTAL: PetrovichCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: PetrovichCase.PREPOSITIONAL,
}

# Order of the forms in _NAME_OVERRIDES rows.
_OVERRIDE_CASES = (
    Case.GENITIVE,
    Case.DATIVE,
    Case.ACCUSATIVE,
    Case.INSTRUMENTAL,
    Case.PREPOSITIONAL,
)


# --- Names -----------------------------------------------------------------------------------

_PETROVICH_GENDER = {"m": PetrovichGender.MALE, "f": PetrovichGender.FEMALE}

# Where Petrovich declines a name wrongly: (name part, gender, name in lower case) -> the
# genitive, dative, accusative, instrumental and prepositional forms. Checked for every
# hyphen-separated part of a name, so a double surname is fixed too.
_NAME_OVERRIDES: dict[tuple[NamePart, str, str], tuple[str, str, str, str, str]] = {
    # The rule for -нец (Иванец → Иванца) drops the vowel of «Кузнец» and gives the
    # unpronounceable «Кузнца». A surname keeps the vowel here, as the noun does (кузнеца).
    (NamePart.LASTNAME, "m", "кузнец"): ("кузнеца", "кузнецу", "кузнеца", "кузнецом", "кузнеце"),
}

# Turkic patronymics («Ахмед оглы», «Рашид кызы») do not decline in Russian at all.
_TURKIC_PATRONYMIC_MARKERS = frozenset({"оглы", "оглу", "улы", "уулу", "кызы", "гызы", "кизи"})

# Particles of foreign surnames written as separate words («ван Гог», «де Голль») stay as they are.
_SURNAME_PARTICLES = frozenset(
    {"ван", "фон", "дер", "де", "ди", "да", "дю", "ла", "ле", "тер", "ибн", "бен", "аль", "эль"}
)


@functools.cache
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


def _gender(gender: str) -> str:
    # Gender is a fact recorded about the person (people.Gender: 'm'/'f'); guessing it from the
    # name would decline «Саша Шевчук» the wrong way half of the time.
    value = str(gender).lower()
    if value not in _PETROVICH_GENDER:
        raise ValueError(f"gender must be 'm' or 'f', got {gender!r}")
    return value


def _match_letter_case(original: str, result: str) -> str:
    # Petrovich appends its endings in lower case («ИВАНОВ» → «ИВАНОВым»), and the override
    # table is written in lower case: make the result look like what was typed.
    if len(original) > 1 and original.isupper():
        return result.upper()
    if original[:1].isupper():
        return result[:1].upper() + result[1:]
    return result


def _decline_piece(part: NamePart, piece: str, gender: str, case: Case, last_piece: bool) -> str:
    override = _NAME_OVERRIDES.get((part, gender, piece.lower()))
    if override is not None:
        return _match_letter_case(piece, override[_OVERRIDE_CASES.index(case)])
    result = _maker().make(
        part,
        _PETROVICH_GENDER[gender],
        _PETROVICH_CASE[case],
        piece,
        # As Petrovich itself does for double names: the given gender is binding only for the
        # last part; earlier parts may use androgynous rules (Бонч-Бруевич).
        known_gender=last_piece,
    )
    return _match_letter_case(piece, result)


def _decline_part(part: NamePart, value: str | None, gender: str, case: Case | str) -> str:
    case = Case(case)
    gender = _gender(gender)
    text = clean_name_part(value or "")
    if not text or case is Case.NOMINATIVE:
        return text
    words = text.split(" ")
    if part is NamePart.MIDDLENAME and words[-1].lower() in _TURKIC_PATRONYMIC_MARKERS:
        return text
    declined = []
    for word in words:
        if part is NamePart.LASTNAME and word in _SURNAME_PARTICLES:
            declined.append(word)
            continue
        pieces = word.split("-")
        declined.append(
            "-".join(
                _decline_piece(part, piece, gender, case, last_piece=i == len(pieces) - 1)
                if piece
                else piece
                for i, piece in enumerate(pieces)
            )
        )
    return " ".join(declined)


def decline_last_name(last: str, gender: str, case: Case | str) -> str:
    return _decline_part(NamePart.LASTNAME, last, gender, case)


def decline_first_name(first: str, gender: str, case: Case | str) -> str:
    return _decline_part(NamePart.FIRSTNAME, first, gender, case)


def decline_middle_name(middle: str | None, gender: str, case: Case | str) -> str:
    return _decline_part(NamePart.MIDDLENAME, middle, gender, case)


def decline_full_name(
    last: str, first: str, middle: str | None, gender: str, case: Case | str
) -> str:
    """«Петрова Анна Сергеевна», 'f', accusative → «Петрову Анну Сергеевну».

    ``middle`` may be empty (people without a patronymic); ``gender`` is 'm' or 'f'.
    """
    parts = (
        decline_last_name(last, gender, case),
        decline_first_name(first, gender, case),
        decline_middle_name(middle, gender, case),
    )
    return " ".join(p for p in parts if p)


def initials_name(
    last: str,
    first: str,
    middle: str | None = "",
    gender: str | None = None,
    case: Case | str = Case.NOMINATIVE,
) -> str:
    """«Петрова А. С.»; with a gender and case, the surname declined: «Петровой А. С.»."""
    surname = clean_name_part(last or "")
    if Case(case) is not Case.NOMINATIVE:
        if gender is None:
            raise ValueError("declining a surname needs the person's gender")
        surname = decline_last_name(surname, gender, case)
    return " ".join(p for p in (surname, initials(first, middle)) if p)


def signature_name(last: str, first: str, middle: str | None = "") -> str:
    """«А. С. Петрова» — initials first, as under a signature."""
    return " ".join(p for p in (initials(first, middle), clean_name_part(last or "")) if p)


# --- Phrases (positions) ---------------------------------------------------------------------

_MORPH_CASE = {
    Case.GENITIVE: "gent",
    Case.DATIVE: "datv",
    Case.ACCUSATIVE: "accs",
    Case.INSTRUMENTAL: "ablt",
    Case.PREPOSITIONAL: "loct",
}
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_AGREEING = frozenset({"ADJF", "PRTF"})


@functools.cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def _inflect_word(word: str, grammeme: str, has_next: bool) -> tuple[str, bool] | None:
    """(inflected word, whether it was the head noun), or None when it cannot be declined."""
    if not _CYRILLIC_WORD.match(word) or (len(word) > 1 and word.isupper()):
        return None  # an abbreviation (УВР, ОБЖ) or not a Russian word
    nominative = [p for p in _morph().parse(word) if "nomn" in p.tag]
    if not nominative:
        return None
    # An adjective before another word agrees with it («старший вожатый»), even where the
    # dictionary also knows the word as a noun («старший»); a noun ends the part that declines.
    agreeing = [p for p in nominative if p.tag.POS in _AGREEING]
    nouns = [p for p in nominative if p.tag.POS == "NOUN"]
    candidates = (agreeing + nouns) if has_next else (nouns + agreeing)
    if not candidates:
        return None
    singular = [p for p in candidates if "sing" in p.tag]
    parse = (singular or candidates)[0]
    wanted = {grammeme}
    inflected = None
    if grammeme == "accs" and parse.tag.POS in _AGREEING and parse.tag.gender != "femn":
        # A position names a person, so a masculine adjective in the accusative is animate
        # («социального педагога», not «социальный педагога»); feminine ones do not vary.
        inflected = parse.inflect({"accs", "anim"})
    inflected = inflected or parse.inflect(wanted)
    if inflected is None:
        return None
    return _match_letter_case(word, inflected.word), parse.tag.POS == "NOUN"


def decline_phrase(text: str, case: Case | str) -> str:
    """Decline a position or a similar noun phrase by its head: the leading adjectives and the
    first noun change, the dependent words after it stay.

    «учитель математики» → accusative «учителя математики»; «социальный педагог» →
    instrumental «социальным педагогом»; «заместитель директора по УВР» → dative
    «заместителю директора по УВР». A phrase it cannot analyse is returned unchanged.
    """
    case = Case(case)
    text = " ".join((text or "").split())
    if case is Case.NOMINATIVE or not text:
        return text
    words = text.split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        # «обучающийся 8 класса»: a word followed by a number or a quote is the head itself.
        has_next = i < len(words) - 1 and bool(_CYRILLIC_WORD.match(words[i + 1]))
        result = _inflect_word(word, _MORPH_CASE[case], has_next=has_next)
        if result is None:
            # An adjective declined without its noun reads worse than the phrase untouched.
            return text
        inflected, is_head = result
        out.append(inflected)
        if is_head or not has_next:
            return " ".join(out + words[i + 1 :])
    return " ".join(out)


# --- Typography ------------------------------------------------------------------------------

NBSP = "\u00a0"
_SPACE = r"[ \t]+"
# Where Russian typography forbids a line break (ГОСТ Р 7.0.97-2016 and the habit of
# secretaries): after «№» and «§»; between a number and «г.», «гг.», «чел.»; after the
# abbreviations that stand before a number or a place («ст. 9», «п. 2.8», «г. Первоуральск»);
# between initials and between initials and the surname, on either side.
_INITIALS_AFTER = r"(?=[А-ЯЁ]\.(?:[ \t\u00a0]?[А-ЯЁ]\.)?(?![А-Яа-яЁё]))"
_NO_BREAK = (
    re.compile(r"(№|§)" + _SPACE),
    re.compile(r"(\d)" + _SPACE + r"(?=(?:гг?|чел|руб|тыс|млн)\.)"),
    re.compile(r"(?<![А-Яа-яЁё])((?:ст|ч|п|пп|гл|разд|г|д|ул|стр|т)\.)" + _SPACE + r"(?=[\dА-ЯЁ])"),
    re.compile(r"(?<![А-Яа-яЁё])([А-ЯЁ]\.)" + _SPACE + r"(?=[А-ЯЁ])"),
    re.compile(
        r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
        + _SPACE
        + r"(?=[А-ЯЁ]\.(?:[ \t\u00a0]?[А-ЯЁ]\.)?(?![А-Яа-яЁё]))"
    ),
)


def typography(text: str) -> str:
    """Non-breaking spaces where a Russian line must not break: «№ 5», «2026 г.», «ст. 9»,
    «А. С. Петрова», «Петрова А. С.». The one rule for every generated document's text."""
    for pattern in _NO_BREAK:
        text = pattern.sub(lambda m: m.group(1) + NBSP, text)
    return text
