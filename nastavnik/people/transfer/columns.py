"""The columns of a people list: the names schools give them, the header row, and readers for
the values in them (dates, classes, genders, full names, relations).

Column names are data read from files, not interface text: they stay Russian whatever the
interface language, and all of them live in `COLUMN_NAMES` below. The export writes the first
name of each column, so an exported list can be edited and imported back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nastavnik.core.text import clean_name_part, fold
from nastavnik.people.models import Gender, GuardianRelation, PersonKind
from nastavnik.people.transfer.tables import Cell, Row, cell_text, is_blank


class Field(StrEnum):
    """What a column of an imported file holds."""

    FULL_NAME = "full_name"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    MIDDLE_NAME = "middle_name"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    CLASS_NAME = "class_name"
    GRADE = "grade"
    CLASS_LETTER = "class_letter"
    POSITION = "position"
    SUBJECTS = "subjects"
    EXPERIENCE = "experience_years"
    WORKPLACE = "workplace"
    EMAIL = "email"
    PHONE = "phone"
    NOTES = "notes"
    # A student's legal guardians, by full name (several may be separated by ';').
    GUARDIAN = "guardian"
    MOTHER = "mother"
    FATHER = "father"
    # A guardian's children, by full name, and what tells namesakes apart.
    CHILD = "child"
    CHILD_BIRTH_DATE = "child_birth_date"
    CHILD_CLASS = "child_class"
    RELATION = "relation"


FIELD_LABELS: dict[Field, Promise] = {
    Field.FULL_NAME: _("Full name (last name, first name, patronymic)"),
    Field.LAST_NAME: _("Last name"),
    Field.FIRST_NAME: _("First name"),
    Field.MIDDLE_NAME: _("Patronymic"),
    Field.BIRTH_DATE: _("Birth date"),
    Field.GENDER: _("Gender"),
    Field.CLASS_NAME: _("Class (for example 7А)"),
    Field.GRADE: _("Grade (a number)"),
    Field.CLASS_LETTER: _("Class letter"),
    Field.POSITION: _("Position"),
    Field.SUBJECTS: _("Subjects"),
    Field.EXPERIENCE: _("Years of experience"),
    Field.WORKPLACE: _("Place of work"),
    Field.EMAIL: _("E-mail"),
    Field.PHONE: _("Phone"),
    Field.NOTES: _("Notes"),
    Field.GUARDIAN: _("Parent or legal guardian (full name)"),
    Field.MOTHER: _("Mother (full name)"),
    Field.FATHER: _("Father (full name)"),
    Field.CHILD: _("Child (full name)"),
    Field.CHILD_BIRTH_DATE: _("Child's birth date"),
    Field.CHILD_CLASS: _("Child's class"),
    Field.RELATION: _("Relation to the child"),
}

_COMMON = (
    Field.FULL_NAME,
    Field.LAST_NAME,
    Field.FIRST_NAME,
    Field.MIDDLE_NAME,
    Field.BIRTH_DATE,
    Field.GENDER,
)
_CONTACTS = (Field.EMAIL, Field.PHONE, Field.NOTES)
# The columns each category of list may have, in the order the mapping step offers them.
FIELDS_BY_KIND: dict[str, tuple[Field, ...]] = {
    PersonKind.STUDENT: (
        *_COMMON,
        Field.CLASS_NAME,
        Field.GRADE,
        Field.CLASS_LETTER,
        *_CONTACTS,
        Field.GUARDIAN,
        Field.MOTHER,
        Field.FATHER,
    ),
    PersonKind.STAFF: (
        *_COMMON,
        Field.POSITION,
        Field.SUBJECTS,
        Field.EXPERIENCE,
        *_CONTACTS,
    ),
    PersonKind.PARENT: (
        *_COMMON,
        Field.WORKPLACE,
        *_CONTACTS,
        Field.CHILD,
        Field.CHILD_BIRTH_DATE,
        Field.CHILD_CLASS,
        Field.RELATION,
    ),
}
IMPORT_KINDS: tuple[str, ...] = tuple(FIELDS_BY_KIND)

# Column names, written as people write them: case, 'ё', punctuation and anything in
# brackets do not matter («Дата рождения (дд.мм.гггг)» is «дата рождения»). The key "" holds
# the names every list shares; a category's own names come first. The first name of a column
# is the one the export writes.
COLUMN_NAMES: dict[str, dict[Field, tuple[str, ...]]] = {
    "": {
        Field.FULL_NAME: ("ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество"),
        Field.LAST_NAME: ("Фамилия",),
        Field.FIRST_NAME: ("Имя",),
        Field.MIDDLE_NAME: ("Отчество", "Отчество (при наличии)"),
        Field.BIRTH_DATE: ("Дата рождения", "Дата рожд.", "Д.р.", "ДР", "День рождения"),
        Field.GENDER: ("Пол",),
        Field.EMAIL: (
            "Эл. почта",
            "Электронная почта",
            "Email",
            "E-mail",
            "Е-mail",
            "Адрес электронной почты",
            "Почта",
            "Эл. адрес",
        ),
        Field.PHONE: (
            "Телефон",
            "Тел.",
            "Мобильный телефон",
            "Контактный телефон",
            "Номер телефона",
            "Сотовый телефон",
        ),
        Field.NOTES: ("Примечание", "Примечания", "Комментарий"),
    },
    PersonKind.STUDENT: {
        Field.FULL_NAME: (
            "ФИО обучающегося",
            "ФИО ученика",
            "ФИО учащегося",
            "Обучающийся",
            "Ученик",
            "Учащийся",
        ),
        Field.CLASS_NAME: ("Класс", "Класс/группа"),
        Field.GRADE: ("Параллель", "Номер класса"),
        Field.CLASS_LETTER: ("Литера", "Буква", "Буква класса", "Литер"),
        Field.GUARDIAN: (
            "Родитель",
            "Родители",
            "ФИО родителя",
            "Законный представитель",
            "Родитель (законный представитель)",
            "ФИО законного представителя",
        ),
        Field.MOTHER: ("Мать", "ФИО матери", "Мама"),
        Field.FATHER: ("Отец", "ФИО отца", "Папа"),
    },
    PersonKind.STAFF: {
        Field.FULL_NAME: (
            "ФИО сотрудника",
            "ФИО педагога",
            "ФИО работника",
            "ФИО учителя",
            "Сотрудник",
            "Педагог",
            "Работник",
        ),
        Field.POSITION: ("Должность", "Занимаемая должность"),
        Field.SUBJECTS: (
            "Предметы",
            "Предмет",
            "Преподаваемые предметы",
            "Преподаваемый предмет",
            "Дисциплины",
        ),
        Field.EXPERIENCE: (
            "Стаж",
            "Педагогический стаж",
            "Стаж работы",
            "Общий стаж",
            "Стаж педагогической работы",
        ),
    },
    PersonKind.PARENT: {
        Field.FULL_NAME: (
            "ФИО родителя",
            "Родитель",
            "ФИО законного представителя",
            "Законный представитель",
            "Родитель (законный представитель)",
        ),
        Field.WORKPLACE: ("Место работы", "Работа", "Организация"),
        Field.CHILD: (
            "Ребёнок",
            "Дети",
            "ФИО ребёнка",
            "ФИО детей",
            "Обучающийся",
            "ФИО обучающегося",
            "Ученик",
            "ФИО ученика",
            "Учащийся",
        ),
        Field.CHILD_BIRTH_DATE: (
            "Дата рождения ребёнка",
            "Дата рождения обучающегося",
            "Дата рождения ученика",
        ),
        Field.CHILD_CLASS: ("Класс", "Класс ребёнка", "Класс обучающегося"),
        Field.RELATION: ("Кем приходится", "Степень родства", "Родство", "Отношение к ребёнку"),
    },
}

# Words that make a column about somebody else than the row's person: in a list of students,
# «Телефон родителя» is not the student's phone.
_OTHER_PERSON_WORDS: dict[str, frozenset[str]] = {
    PersonKind.STUDENT: frozenset(
        {"родителя", "родителей", "матери", "отца", "мамы", "папы", "представителя"}
    ),
    PersonKind.STAFF: frozenset(),
    PersonKind.PARENT: frozenset(
        {"ребенка", "детей", "обучающегося", "ученика", "учащегося", "воспитанника"}
    ),
}
HEADER_SCAN_ROWS = 30

_BRACKETS = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^0-9a-zа-я]+")


def normalise_header(text: Cell) -> str:
    """'Дата рождения (дд.мм.гггг)*' -> 'дата рождения'; 'Ф.И.О.' -> 'ф и о'."""
    folded = fold(cell_text(text))
    return " ".join(_NOT_WORD.sub(" ", _BRACKETS.sub(" ", folded)).split())


@cache
def _names(kind: str) -> dict[str, Field]:
    names: dict[str, Field] = {}
    for table in (COLUMN_NAMES[kind], COLUMN_NAMES[""]):
        for column, spellings in table.items():
            for spelling in spellings:
                names.setdefault(normalise_header(spelling), column)
                # «ФИО» and «Ф.И.О.» are one name.
                names.setdefault(normalise_header(spelling).replace(" ", ""), column)
    return names


def export_header(column: Field, kind: str) -> str:
    """The name an exported file gives a column: the first one the import recognises."""
    for table in (COLUMN_NAMES.get(kind, {}), COLUMN_NAMES[""], *COLUMN_NAMES.values()):
        if column in table:
            return table[column][0]
    return str(column)


def recognise(header: Cell, kind: str) -> Field | None:
    """The field a column holds, judged by its name, or None when the name is unknown."""
    text = normalise_header(header)
    if not text:
        return None
    names = _names(kind)
    if text in names:
        return names[text]
    if text.replace(" ", "") in names:
        return names[text.replace(" ", "")]
    # «Фамилия обучающегося», «Телефон мобильный»: a known name and a word of detail.
    words = text.split()
    for length in range(len(words) - 1, 0, -1):
        found = names.get(" ".join(words[:length]))
        if found is not None:
            if set(words[length:]) & _OTHER_PERSON_WORDS[kind]:
                return None
            return found
    return None


def guess_mapping(cells: list[Cell], kind: str) -> dict[int, Field]:
    """{column number (0-based): field} for the columns whose names are known."""
    mapping: dict[int, Field] = {}
    allowed = set(FIELDS_BY_KIND[kind])
    for index, cell in enumerate(cells):
        column = recognise(cell, kind)
        if column is not None and column in allowed and column not in mapping.values():
            mapping[index] = column
    found = set(mapping.values())
    if Field.FULL_NAME in found and {Field.LAST_NAME, Field.FIRST_NAME} <= found:
        mapping = {i: c for i, c in mapping.items() if c != Field.FULL_NAME}
    return mapping


@dataclass(frozen=True)
class Header:
    line: int
    cells: list[Cell]
    mapping: dict[int, Field]

    @property
    def recognised(self) -> bool:
        return bool(self.mapping)


def find_header(rows: Iterable[Row], kind: str) -> Header:
    """The header row: among the first rows, the one with the most known column names.

    E-journal exports put the school's name and the list's title above the header; with no
    name known at all, the first row of two or more cells is taken and the curator maps it.
    """
    best: Header | None = None
    fallback: Header | None = None
    for line, cells in rows:
        if line > HEADER_SCAN_ROWS:
            break
        if is_blank(cells):
            continue
        mapping = guess_mapping(cells, kind)
        if mapping and (best is None or len(mapping) > len(best.mapping)):
            best = Header(line, cells, mapping)
        if fallback is None and sum(cell is not None for cell in cells) >= 2:
            fallback = Header(line, cells, {})
    header = best or fallback
    if header is None:
        raise ValidationError(VALUE_MESSAGES["no_header"], code="no_header")
    return header


def header_at(rows: Iterable[Row], line: int, kind: str) -> Header:
    """The row the curator says is the header, with the fields its names suggest."""
    for number, cells in rows:
        if number == line:
            return Header(line, cells, guess_mapping(cells, kind))
        if number > line:
            break
    raise ValidationError(VALUE_MESSAGES["header_row"], code="header_row", params={"line": line})


# Readers of values. Each returns the value or raises ValidationError with a message that
# names the value as the file has it.

VALUE_MESSAGES = {
    "no_header": _("The file has no header row with column names such as «Фамилия» or «ФИО»."),
    "header_row": _("The file has no row %(line)s."),
    "date": _("«%(value)s» is not a date; write dates like 05.09.2012."),
    "class": _("«%(value)s» is not a class; write classes like 7А."),
    "number": _("«%(value)s» is not a whole number."),
    "gender": _("«%(value)s» is not a gender; write «м» or «ж»."),
    "gender_unknown": _(
        "The gender is not given and the patronymic does not tell it; add a «Пол» column."
    ),
    "full_name": _(
        "«%(value)s» is not a full name; write the last name, the first name and the patronymic."
    ),
    "relation": _(
        "«%(value)s» is not a relation to the child; write мать, отец, опекун or попечитель."
    ),
}


def _fail(key: str, value: Cell) -> ValidationError:
    return ValidationError(VALUE_MESSAGES[key], code=key, params={"value": cell_text(value)})


# Excel counts days from 30 December 1899 (its day 60 is a 29 February 1900 that never was).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2958465  # 31 December 9999
_DATE_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_DATE_YMD = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_DATE_TAIL = re.compile(r"(?:\s*г\.?|\s+\d{1,2}:\d{2}(?::\d{2})?)$")


def read_date(value: Cell) -> date | None:
    """05.09.2012, 5.9.2012, 2012-09-05, an Excel date cell or an Excel day number."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= EXCEL_MAX_SERIAL:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise _fail("date", value)
    text = _DATE_TAIL.sub("", cell_text(value))
    for pattern, order in ((_DATE_DMY, (2, 1, 0)), (_DATE_YMD, (0, 1, 2))):
        match = pattern.fullmatch(text)
        if match:
            parts = [int(part) for part in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise _fail("date", value)


# Latin letters typed for their Cyrillic twins in «7A», «5B».
_LATIN_TWINS = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_CLASS = re.compile(
    r"(\d{1,2})\s*(?:[-–—/]\s*)?[\"«'“]?\s*([^\W\d_])?\s*[\"»'”]?\s*(?:класс|кл\.?)?",
    re.IGNORECASE,
)


def read_class(value: Cell) -> tuple[int | None, str]:
    """'7А', '7 а', '7-А', '7«А»', '7A' (Latin), 7 -> (7, 'А'). The rules on the grade and
    the letter are the validators'; this only reads them."""
    if value is None:
        return None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value), ""
        raise _fail("class", value)
    match = _CLASS.fullmatch(cell_text(value))
    if not match:
        raise _fail("class", value)
    letter = (match.group(2) or "").upper().translate(_LATIN_TWINS)
    return int(match.group(1)), letter


_WHOLE = re.compile(r"(\d{1,3})(?:[.,]0+)?(?:\s*(?:год|года|лет|г\.?))?", re.IGNORECASE)


def read_int(value: Cell) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise _fail("number", value)
    match = _WHOLE.fullmatch(cell_text(value))
    if not match:
        raise _fail("number", value)
    return int(match.group(1))


_GENDERS = {
    Gender.MALE: ("м", "муж", "мужской", "мужчина", "мальчик", "m", "male"),
    Gender.FEMALE: ("ж", "жен", "женский", "женщина", "девочка", "f", "female"),
}
_GENDER_WORDS = {word: gender for gender, words in _GENDERS.items() for word in words}


def read_gender(value: Cell) -> str | None:
    if value is None:
        return None
    word = fold(cell_text(value)).rstrip(".")
    if word in _GENDER_WORDS:
        return _GENDER_WORDS[word]
    raise _fail("gender", value)


# Russian patronymics end in -вич/-ич for men (Ильич, Кузьмич) and -вна/-чна/-ична for women;
# Turkic ones are a separate word: оглы/улы for men, кызы/гызы for women.
_MALE_ENDINGS = ("вич", "ич")
_FEMALE_ENDINGS = ("вна", "чна", "ична")
_MALE_WORDS = frozenset({"оглы", "улы", "уулу"})
_FEMALE_WORDS = frozenset({"кызы", "гызы", "кизи"})


def gender_from_patronymic(patronymic: str) -> str | None:
    words = fold(patronymic).split()
    if not words:
        return None
    if words[-1] in _MALE_WORDS:
        return Gender.MALE
    if words[-1] in _FEMALE_WORDS:
        return Gender.FEMALE
    if words[0].endswith(_MALE_ENDINGS):
        return Gender.MALE
    if words[0].endswith(_FEMALE_ENDINGS):
        return Gender.FEMALE
    return None


def split_full_name(value: Cell) -> tuple[str, str, str]:
    """'Иванов Пётр Сергеевич' -> the three parts; 'Мамедов Али Рза оглы' keeps 'Рза оглы'."""
    words = clean_name_part(cell_text(value)).split(" ")
    if len(words) < 2:
        raise _fail("full_name", value)
    return words[0], words[1], " ".join(words[2:])


_NAME_LIST = re.compile(r"\s*[;,\n]\s*")


def split_names(value: Cell) -> list[str]:
    """Several full names in one cell, separated by ';' or ','."""
    return [name for name in _NAME_LIST.split(cell_text(value)) if name]


_RELATIONS = {
    GuardianRelation.MOTHER: ("мать", "мама"),
    GuardianRelation.FATHER: ("отец", "папа"),
    GuardianRelation.GUARDIAN: ("опекун", "опекунша"),
    GuardianRelation.TRUSTEE: ("попечитель", "попечительница"),
    GuardianRelation.OTHER: ("законный представитель", "представитель", "иное", "другое"),
}
_RELATION_WORDS = {word: relation for relation, words in _RELATIONS.items() for word in words}


def read_relation(value: Cell) -> str | None:
    if value is None:
        return None
    # Brackets count here: «бабушка (опекун)».
    text = " ".join(_NOT_WORD.sub(" ", fold(cell_text(value))).split())
    if text in _RELATION_WORDS:
        return _RELATION_WORDS[text]
    for word in text.split():
        if word in _RELATION_WORDS:
            return _RELATION_WORDS[word]
    raise _fail("relation", value)


def relation_by_gender(gender: str) -> str:
    return GuardianRelation.MOTHER if gender == Gender.FEMALE else GuardianRelation.FATHER
