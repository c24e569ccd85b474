"""The year at a glance: the stages as bands over the months, the events as marks, today's line.

Positions are percentages of the academic year, so the page draws it with plain CSS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

from nastavnik.programmes.models import Programme, RoadmapEvent, Stage
from nastavnik.programmes.roadmap_template import last_day, year_of_month


@dataclass(frozen=True)
class Month:
    first_day: date
    left: float
    width: float


@dataclass(frozen=True)
class Mark:
    event: RoadmapEvent
    left: float
    lane: int
    status: str  # done, overdue, open


@dataclass
class Row:
    number: int
    title: str | Promise
    band_left: float | None = None
    band_width: float = 0
    marks: list[Mark] = field(default_factory=list)

    @property
    def lanes(self) -> int:
        return max((mark.lane for mark in self.marks), default=0) + 1


@dataclass(frozen=True)
class Timeline:
    months: list[Month]
    rows: list[Row]
    today_left: float | None
    today: date


def _status(event: RoadmapEvent, today: date) -> str:
    if event.is_done:
        return "done"
    return "overdue" if event.is_overdue(today) else "open"


def build_timeline(programme: Programme, today: date) -> Timeline:
    year = programme.academic_year
    start, end = year.starts_on, year.ends_on
    days = (end - start).days + 1

    def at(day: date, *, end_of_day: bool = False) -> float:
        offset = (min(max(day, start), end) - start).days + (1 if end_of_day else 0)
        return round(100 * offset / days, 3)

    months = []
    for index in range(12):
        month = (8 + index) % 12 + 1
        first = date(year_of_month(year.start_year, month), month, 1)
        left = at(first)
        months.append(
            Month(first, left, round(at(last_day(first.year, month), end_of_day=True) - left, 3))
        )

    events = list(programme.events.all())
    rows = []
    for number, title in Stage.choices:
        row = Row(number, title)
        stage_events = sorted(
            (e for e in events if e.stage == number), key=lambda e: (e.due_on, e.pk)
        )
        if stage_events:
            first = min(e.window_start for e in stage_events)
            last = max(e.due_on for e in stage_events)
            row.band_left = at(first)
            row.band_width = round(at(last, end_of_day=True) - row.band_left, 3)
        lanes: dict[date, int] = {}
        for event in stage_events:
            lane = lanes.get(event.due_on, 0)
            lanes[event.due_on] = lane + 1
            # The mark sits at the middle of its due day.
            position = round((at(event.due_on) + at(event.due_on, end_of_day=True)) / 2, 3)
            row.marks.append(Mark(event, position, lane, _status(event, today)))
        rows.append(row)
    today_left = at(today) if start <= today <= end else None
    return Timeline(months, rows, today_left, today)
