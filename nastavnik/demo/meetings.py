"""Stage 6 of the demo year: meetings of the pairs and groups, and their feedback."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_meetings(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the meetings work (issue 7)."""
