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


def _targets(rows: list[CoverageTarget]) -> Targets:
    """`rows`: one organisation's own rows and the default rows, ordered by year."""
    by_year: dict[int, Target] = {}
    for row in rows:
        own = row.organisation_id is not None
        if own or row.year not in by_year:
            by_year[row.year] = Target(row.year, row.students_percent, row.teachers_percent, own)
    return Targets(tuple(by_year[year] for year in sorted(by_year)))


def targets_of(organisation: Organisation) -> Targets:
    """One query."""
    rows = CoverageTarget.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True)
    ).order_by("year", "organisation_id")
    return _targets(list(rows))


def default_targets() -> Targets:
    """The targets every organisation starts from (seed 004): the region's own. One query."""
    return _targets(list(CoverageTarget.objects.filter(organisation__isnull=True).order_by("year")))


def targets_of_many(organisation_ids: list[int]) -> dict[int, Targets]:
    """The targets of many organisations in one query (the operator's pages): the same rule as
    `targets_of`, for each."""
    rows = list(
        CoverageTarget.objects.filter(
            Q(organisation_id__in=organisation_ids) | Q(organisation__isnull=True)
        ).order_by("year", "organisation_id")
    )
    defaults = [row for row in rows if row.organisation_id is None]
    own: dict[int, list[CoverageTarget]] = {}
    for row in rows:
        if row.organisation_id is not None:
            own.setdefault(row.organisation_id, []).append(row)
    shared = _targets(defaults)
    return {
        pk: _targets(sorted(defaults + own[pk], key=lambda r: (r.year, r.organisation_id or 0)))
        if pk in own
        else shared
        for pk in organisation_ids
    }
