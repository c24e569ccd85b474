"""Indicators: coverage targets of the years, the half-year snapshots."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_indicators(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the indicators work (issue 8)."""
