"""The previous programme year, closed: completed pairs, entry and exit measures, satisfaction
answers (so that stage 7 and the monitoring have a whole year to show)."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_last_year(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """Filled by the monitoring work (issue 8)."""
