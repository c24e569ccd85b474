"""Stage 6 of the demo year: individual development plans of the pairs."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_plans(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the plans work (issue 7)."""
