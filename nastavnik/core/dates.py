"""Calendar arithmetic the rules share: the same day some years on, and a person's age."""

from __future__ import annotations

from datetime import date


def years_later(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February in
    a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    """Full years from `born` to `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
