"""Stage 6 of the demo year: an extension and a replacement of a mentor."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_lifecycle(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the mentorships work (issue 7)."""
