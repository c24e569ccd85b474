"""A people list to XLSX: the columns of its category, with the import's column names, so an
exported list can be corrected in Excel and imported back.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) is written as text with Excel's quote prefix: opening the file never runs anything,
and editing the cell does not turn it into a formula either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from nastavnik.documents.spreadsheet import table_xlsx
from nastavnik.orgs.policy import FieldGroup, visible_fields
from nastavnik.people.models import Gender, Person, PersonKind
from nastavnik.people.transfer.columns import Field, export_header

CHUNK = 2000

# The words the import reads back (columns.read_gender).
_GENDER_TEXT: dict[str, str] = {Gender.MALE: "м", Gender.FEMALE: "ж"}


def _guardians(person: Person) -> str:
    return "; ".join(link.guardian.full_name for link in person.guardian_links.all())


def _children(person: Person) -> str:
    return "; ".join(link.child.full_name for link in person.children_links.all())


Getter = Callable[[Person], Any]
_GETTERS: dict[Field, Getter] = {
    Field.LAST_NAME: lambda p: p.last_name,
    Field.FIRST_NAME: lambda p: p.first_name,
    Field.MIDDLE_NAME: lambda p: p.middle_name,
    Field.GENDER: lambda p: _GENDER_TEXT.get(p.gender, p.gender),
    Field.BIRTH_DATE: lambda p: p.birth_date,
    Field.CLASS_NAME: lambda p: p.class_name,
    Field.POSITION: lambda p: p.position,
    Field.SUBJECTS: lambda p: p.subjects,
    Field.EXPERIENCE: lambda p: p.experience_years,
    Field.WORKPLACE: lambda p: p.workplace,
    Field.EMAIL: lambda p: p.email,
    Field.PHONE: lambda p: p.phone,
    Field.NOTES: lambda p: p.notes,
    Field.GUARDIAN: _guardians,
    Field.CHILD: _children,
}
_NAMES = (Field.LAST_NAME, Field.FIRST_NAME, Field.MIDDLE_NAME, Field.GENDER, Field.BIRTH_DATE)
_CONTACTS = (Field.EMAIL, Field.PHONE, Field.NOTES)
EXPORT_COLUMNS: dict[str, tuple[Field, ...]] = {
    PersonKind.STUDENT: (*_NAMES, Field.CLASS_NAME, *_CONTACTS, Field.GUARDIAN),
    PersonKind.STAFF: (*_NAMES, Field.POSITION, Field.SUBJECTS, Field.EXPERIENCE, *_CONTACTS),
    PersonKind.PARENT: (*_NAMES, Field.WORKPLACE, *_CONTACTS, Field.CHILD),
}
# Every category at once, or one the import does not know: the fields every card shows.
_ANY = (
    *_NAMES,
    Field.CLASS_NAME,
    Field.POSITION,
    Field.SUBJECTS,
    Field.EXPERIENCE,
    Field.WORKPLACE,
    *_CONTACTS,
)
# The policy's field group of each column (orgs.policy.PERSON_FIELDS); a cell of a group the
# reader may not see of that person stays empty, the column stays so the file imports back.
_GROUP: dict[Field, FieldGroup] = {
    Field.LAST_NAME: FieldGroup.IDENTITY,
    Field.FIRST_NAME: FieldGroup.IDENTITY,
    Field.MIDDLE_NAME: FieldGroup.IDENTITY,
    Field.GENDER: FieldGroup.IDENTITY,
    Field.BIRTH_DATE: FieldGroup.BIRTH_DATE,
    Field.CLASS_NAME: FieldGroup.SCHOOL,
    Field.POSITION: FieldGroup.SCHOOL,
    Field.SUBJECTS: FieldGroup.SCHOOL,
    Field.EXPERIENCE: FieldGroup.SCHOOL,
    Field.WORKPLACE: FieldGroup.SCHOOL,
    Field.EMAIL: FieldGroup.CONTACTS,
    Field.PHONE: FieldGroup.CONTACTS,
    Field.NOTES: FieldGroup.NOTES,
    Field.GUARDIAN: FieldGroup.FAMILY,
    Field.CHILD: FieldGroup.FAMILY,
}

# Columns with no import twin: the category, and the graduates' and external people's own.
_EXTRA_HEADERS = {
    "kind": "Категория",
    "graduation_year": "Год выпуска",
    "external_category": "Кто",
}


def _guarded(getter: Getter, group: FieldGroup, roles: frozenset[str]) -> Getter:
    def value(person: Person) -> Any:
        return getter(person) if group in visible_fields(roles, person.kind) else ""

    return value


def _columns(kind: str, roles: frozenset[str]) -> list[tuple[str, Getter]]:
    def column(field: Field, header_kind: str) -> tuple[str, Getter]:
        return export_header(field, header_kind), _guarded(_GETTERS[field], _GROUP[field], roles)

    if kind in EXPORT_COLUMNS:
        return [column(f, kind) for f in EXPORT_COLUMNS[kind]]
    columns: list[tuple[str, Getter]] = []
    if not kind:
        columns.append((_EXTRA_HEADERS["kind"], lambda p: p.get_kind_display()))
    columns += [column(f, PersonKind.STUDENT) for f in _ANY]
    if kind in ("", PersonKind.GRADUATE):
        year = _guarded(lambda p: p.graduation_year, FieldGroup.SCHOOL, roles)
        columns.append((_EXTRA_HEADERS["graduation_year"], year))
    if kind in ("", PersonKind.EXTERNAL):
        category = _guarded(lambda p: p.get_external_category_display(), FieldGroup.SCHOOL, roles)
        columns.append((_EXTRA_HEADERS["external_category"], category))
    return columns


def people_export_xlsx(people: Iterable[Person], kind: str, roles: Iterable[str]) -> bytes:
    """The workbook of `people` (an already scoped and filtered list) of category `kind`, with
    the fields the reader's `roles` may see."""
    columns = _columns(kind, frozenset(roles))
    rows = people.iterator(chunk_size=CHUNK) if hasattr(people, "iterator") else people
    return table_xlsx(
        _("People"),
        [title for title, _getter in columns],
        ([getter(person) for _title, getter in columns] for person in rows),
    )
