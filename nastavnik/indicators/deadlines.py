"""The half-year assessment: not later than 30 September and 30 March every year (seed 002 §7.2).

A half-year runs from the day after one deadline to the next deadline; a snapshot taken on any
day of it counts for that deadline. The dashboard warns `WARN_DAYS` before a deadline without a
snapshot, and says so when the last deadline passed without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme

WARN_DAYS = 14
# The days before a deadline the curators get a letter (`manage.py remind_half_year`).
REMIND_DAYS = (14, 7, 1)


def deadline_on_or_after(day: date) -> date:
    """The deadline of the half-year `day` falls in."""
    march, september = date(day.year, 3, 30), date(day.year, 9, 30)
    if day <= march:
        return march
    if day <= september:
        return september
    return date(day.year + 1, 3, 30)


def previous_deadline(deadline: date) -> date:
    if deadline.month == 3:
        return date(deadline.year - 1, 9, 30)
    return date(deadline.year, 3, 30)


def half_year_of(deadline: date) -> tuple[date, date]:
    """The first and last day a snapshot counts for `deadline`."""
    return previous_deadline(deadline) + timedelta(days=1), deadline


@dataclass(frozen=True)
class HalfYearState:
    deadline: date
    days_left: int
    done: bool
    # The last deadline before today, when it passed without a snapshot.
    missed: date | None

    @property
    def warn(self) -> bool:
        return not self.done and self.days_left <= WARN_DAYS


def _has_programme(organisation: Organisation, day: date) -> bool:
    start_year = day.year if day.month >= 9 else day.year - 1
    return Programme.objects.filter(
        organisation=organisation, academic_year__start_year__in=(start_year, start_year - 1)
    ).exists()


def half_year_state(organisation: Organisation, today: date) -> HalfYearState | None:
    """Where the organisation stands with the assessment; None when it runs no programme
    (nothing to assess). Three queries at most."""
    if not _has_programme(organisation, today):
        return None
    deadline = deadline_on_or_after(today)
    last = previous_deadline(deadline)
    first_day = half_year_of(last)[0]
    taken = set(
        HalfYearSnapshot.objects.filter(
            organisation=organisation, taken_on__gte=first_day, taken_on__lte=deadline
        ).values_list("taken_on", flat=True)
    )
    start, _end = half_year_of(deadline)
    done = any(start <= day <= deadline for day in taken)
    last_done = any(first_day <= day <= last for day in taken)
    # A deadline counts as missed only for a year the organisation ran a programme in.
    missed = None if last_done or not _has_programme(organisation, last) else last
    return HalfYearState(
        deadline=deadline, days_left=(deadline - today).days, done=done, missed=missed
    )


def half_year_for_dashboard(organisation: Organisation, today: date) -> dict[str, object]:
    state = half_year_state(organisation, today)
    if state is None or (not state.warn and state.missed is None):
        return {}
    return {"half_year": state}
