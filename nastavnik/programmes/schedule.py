"""Dates of roadmap events: the periods documents print and the positions the timeline draws."""

from __future__ import annotations

import calendar
from datetime import date

from nastavnik.core.dates import years_later
from nastavnik.documents.russian import format_date

MONTHS_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def is_whole_months(starts_on: date | None, due_on: date) -> bool:
    """Whether an event spans whole calendar months (how the template schedules them)."""
    return (
        starts_on is not None
        and starts_on.day == 1
        and due_on.day == calendar.monthrange(due_on.year, due_on.month)[1]
    )


def format_period(starts_on: date | None, due_on: date) -> str:
    """The «Сроки» column of a Russian roadmap: «сентябрь 2025 г.», «февраль – май 2026 г.»,
    «до 30 сентября 2025 г.», «1 октября 2025 г. – 20 октября 2025 г.»."""
    if starts_on is None:
        return f"до {format_date(due_on)}"
    if is_whole_months(starts_on, due_on):
        first = MONTHS_NOMINATIVE[starts_on.month - 1]
        last = MONTHS_NOMINATIVE[due_on.month - 1]
        if (starts_on.year, starts_on.month) == (due_on.year, due_on.month):
            return f"{first} {due_on.year} г."
        if starts_on.year == due_on.year:
            return f"{first} – {last} {due_on.year} г."
        return f"{first} {starts_on.year} г. – {last} {due_on.year} г."
    if starts_on == due_on:
        return format_date(due_on)
    return f"{format_date(starts_on)} – {format_date(due_on)}"


def shift_event_dates(starts_on: date | None, due_on: date, years: int) -> tuple[date | None, date]:
    """Dates of a copied event: whole-month periods stay whole months (February ends on the
    29th in a leap year), fixed dates move to the same day."""
    whole = is_whole_months(starts_on, due_on)
    new_due = years_later(due_on, years)
    if whole:
        new_due = new_due.replace(day=calendar.monthrange(new_due.year, new_due.month)[1])
    return (years_later(starts_on, years) if starts_on else None), new_due
