"""Writes of the indicators: the organisation's coverage targets and the half-year snapshots."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.core.rules import rule_errors
from nastavnik.indicators.compute import indicators_for
from nastavnik.indicators.models import CoverageTarget, HalfYearSnapshot
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme

MESSAGES = {
    "percent": _("A target is a percentage from 0 to 100."),
    "year": _("Give a year from 2000 to 2100."),
    "no_own_target": _("The organisation has no target of its own for %(year)s."),
    "snapshot_taken": _(
        "The half-year assessment of %(date)s has already been taken: a day has one snapshot."
    ),
}


_error = rule_errors(MESSAGES)


def _check_percent(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise _error("percent", field)
    return value


@transaction.atomic
def target_set(
    organisation: Organisation,
    year: int,
    *,
    students_percent: int,
    teachers_percent: int,
    by: User | None,
) -> CoverageTarget:
    """The organisation's own target of `year`, written over the default (or its earlier own)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _error("year", "year")
    students = _check_percent(students_percent, "students_percent")
    teachers = _check_percent(teachers_percent, "teachers_percent")
    target, _created = CoverageTarget.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={"students_percent": students, "teachers_percent": teachers, "updated_by": by},
    )
    return target


@transaction.atomic
def target_reset(organisation: Organisation, year: int, *, by: User | None) -> None:
    """Back to the default of `year`: the organisation's own row goes."""
    deleted, _rows = CoverageTarget.objects.filter(organisation=organisation, year=year).delete()
    if not deleted:
        raise _error("no_own_target", year=year)


def snapshot_take(programme: Programme, *, today: date, by: User | None) -> HalfYearSnapshot:
    """Freeze the programme's indicators as they stood on `today`, from the data of that day
    (a pair started later is not in it). One snapshot a day per organisation."""
    organisation = programme.organisation
    if HalfYearSnapshot.objects.filter(organisation=organisation, taken_on=today).exists():
        raise _error("snapshot_taken", date=f"{today:%d.%m.%Y}")
    figures = indicators_for(programme, today, as_of=today).as_json()
    try:
        # A savepoint of its own: two clicks at once meet the unique constraint, not a 500.
        with transaction.atomic():
            return HalfYearSnapshot.objects.create(
                organisation=organisation,
                programme=programme,
                taken_on=today,
                figures=figures,
                taken_by=by,
            )
    except IntegrityError:
        raise _error("snapshot_taken", date=f"{today:%d.%m.%Y}") from None
