"""Generated registry entries shared by the benchmarks that grow an organisation."""

from __future__ import annotations

from datetime import date
from typing import Any


def generated_person(
    organisation: Any, kind: str, number: int, name: tuple[str, str, str], class_letter: str
) -> Any:
    """An unsaved pupil or staff member: pupils spread over grades 5–11 of one class letter."""
    from nastavnik.people.models import Person, PersonKind, person_name_key

    last, first, middle = name
    pupil = kind == PersonKind.STUDENT
    return Person(
        organisation=organisation,
        kind=kind,
        last_name=last,
        first_name=first,
        middle_name=middle,
        gender="m",
        birth_date=date(2010, 1, 1) if pupil else date(1980, 1, 1),
        grade=5 + number % 7 if pupil else None,
        class_letter=class_letter if pupil else "",
        name_key=person_name_key(last, first, middle),
    )
