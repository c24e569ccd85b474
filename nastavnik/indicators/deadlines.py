"""The half-year assessment: not later than 30 September and 30 March every year (seed 002 §7.2).

A snapshot counts for a deadline only when taken within the deadline's window — by default
1 September – 15 October for 30 September and 1 March – 15 April for 30 March (settings
`HALF_YEAR_WINDOW_SEPTEMBER`, `HALF_YEAR_WINDOW_MARCH`): one taken in December assesses
neither half-year. The dashboard warns `WARN_DAYS` before a deadline without a snapshot, and
says so when the last deadline passed without one — with the day a late snapshot still counts
until, while its window is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from nastavnik.indicators.models import HalfYearSnapshot
from nastavnik.orgs.models import AcademicYear, Organisation
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


def _month_day(text: str, name: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in text.strip().split("-"))
        date(2001, month, day)  # a day every year has
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: «{text}» is not a day as MM-DD") from error
    return month, day


def window_of(deadline: date) -> tuple[date, date]:
    """The first and the last day a snapshot counts for `deadline` (30 March or 30 September)."""
    name = "HALF_YEAR_WINDOW_MARCH" if deadline.month == 3 else "HALF_YEAR_WINDOW_SEPTEMBER"
    text = getattr(settings, name)
    parts = text.split("/")
    if len(parts) != 2:
        raise ImproperlyConfigured(f"{name}: «{text}» is not a window as MM-DD/MM-DD")
    first, last = (date(deadline.year, *_month_day(part, name)) for part in parts)
    if not first <= deadline <= last:
        raise ImproperlyConfigured(f"{name}: the window «{text}» must hold {deadline:%d.%m}")
    return first, last


def snapshot_counts_for(deadline: date, taken_on: date) -> bool:
    """Whether a snapshot taken on `taken_on` is the assessment of `deadline`."""
    first, last = window_of(deadline)
    return first <= taken_on <= last


def deadline_counted(taken_on: date) -> date | None:
    """The deadline a snapshot of `taken_on` is the assessment of, if any."""
    for deadline in (date(taken_on.year, 3, 30), date(taken_on.year, 9, 30)):
        if snapshot_counts_for(deadline, taken_on):
            return deadline
    return None


def half_year_of(deadline: date) -> tuple[date, date]:
    """The first and last day a snapshot counts for `deadline` (its window)."""
    return window_of(deadline)


@dataclass(frozen=True)
class HalfYearState:
    deadline: date
    days_left: int
    done: bool
    # The last deadline before today, when it passed without a snapshot in its window.
    missed: date | None
    # While the missed deadline's window is still open: the last day a snapshot counts for it.
    missed_until: date | None = None

    @property
    def warn(self) -> bool:
        return not self.done and self.days_left <= WARN_DAYS


def _has_programme(organisation: Organisation, day: date) -> bool:
    start_year = AcademicYear.start_year_for(day)
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
    last_first, last_until = window_of(last)
    first, until = window_of(deadline)
    taken = set(
        HalfYearSnapshot.objects.filter(
            organisation=organisation,
            taken_on__gte=min(first, last_first),
            taken_on__lte=max(until, last_until),
        ).values_list("taken_on", flat=True)
    )
    done = any(snapshot_counts_for(deadline, day) for day in taken)
    last_done = any(snapshot_counts_for(last, day) for day in taken)
    # A deadline counts as missed only for a year the organisation ran a programme in.
    missed = None if last_done or not _has_programme(organisation, last) else last
    return HalfYearState(
        deadline=deadline,
        days_left=(deadline - today).days,
        done=done,
        missed=missed,
        missed_until=last_until if missed is not None and today <= last_until else None,
    )


def half_year_for_dashboard(organisation: Organisation, today: date) -> dict[str, object]:
    state = half_year_state(organisation, today)
    if state is None or (not state.warn and state.missed is None):
        return {}
    return {"half_year": state}
