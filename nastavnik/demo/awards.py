"""Stage 7: the awards of the year closed."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_awards(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the awards work (issue 7)."""
