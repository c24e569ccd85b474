"""The demo mentor base, its selection and training (filled in by the mentors app)."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_mentor_base(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    return None
