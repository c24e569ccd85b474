"""Monitoring of the year closed: its SWOT analysis built from the stage-1 results."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_monitoring(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the monitoring work (issue 8)."""
