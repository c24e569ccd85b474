"""The coverage target of a year: the organisation's own row, else the default row; a year with
neither takes the latest year before it that has one (70 % from 2024 on, seed 004)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from nastavnik.indicators.models import CoverageTarget
from nastavnik.orgs.models import Organisation


@dataclass(frozen=True)
class Target:
    year: int
    students_percent: int
    teachers_percent: int
    # The organisation's own figure rather than the default.
    own: bool


@dataclass(frozen=True)
class Targets:
    rows: tuple[Target, ...]  # one per year, oldest first

    def for_year(self, year: int) -> Target | None:
        found = None
        for row in self.rows:
            if row.year > year:
                break
            found = row
        return found


def targets_of(organisation: Organisation) -> Targets:
    """One query."""
    by_year: dict[int, Target] = {}
    rows = CoverageTarget.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True)
    ).order_by("year", "organisation_id")
    for row in rows:
        own = row.organisation_id is not None
        if own or row.year not in by_year:
            by_year[row.year] = Target(row.year, row.students_percent, row.teachers_percent, own)
    return Targets(tuple(by_year[year] for year in sorted(by_year)))
