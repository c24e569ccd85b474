"""The demo's matching: runs, proposals and confirmed pairs (filled in by the matching app)."""

from __future__ import annotations

from datetime import date

from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_matching(programme: Programme, accounts: dict[str, Person], today: date) -> None:
    return None
