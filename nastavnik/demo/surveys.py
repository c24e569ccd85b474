"""The demo questionnaire campaigns (filled in by the questionnaires app)."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_surveys(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    return None
