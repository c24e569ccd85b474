"""The demo mentee base (filled in by the mentees app)."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_mentee_base(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    return None
